import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppError } from '../common/errors/app-error';
import {
  ChainHead,
  checkpointBody,
  compareWithCheckpoint,
  readSignedCheckpoint,
  SignedCheckpoint,
  signedText,
} from '../ledger';
import { LedgerCheckpointEntity } from './ledger-checkpoint.entity';
import { UUID } from './ledger-directory';
import { LedgerSigningKey } from './ledger-signing-key';

/**
 * Taking, keeping and checking signed checkpoints of a currency's ledger
 * (src/ledger/checkpoint.ts says what they prove). A checkpoint reads every
 * account's chain head in one statement, so the heads are of one instant.
 */

/** A checkpoint lists every account; larger currencies are refused rather than half-listed. */
export const MAX_CHECKPOINT_ACCOUNTS = 200_000;
/** Heads compared per statement when a checkpoint is checked. */
const HEADS_PER_QUERY = 5_000;

export interface CheckpointView {
  row: LedgerCheckpointEntity;
  heads: ChainHead[];
}

@Injectable()
export class LedgerCheckpointsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly key: LedgerSigningKey,
  ) {}

  async take(communityId: string, currencyCode: string, takenBy: string): Promise<CheckpointView> {
    const rows = await this.dataSource.query<
      Array<{ id: string; entry_count: string; last_hash: string }>
    >(
      `SELECT id, entry_count::text, last_hash FROM accounts
        WHERE community_id = $1 AND currency_code = $2 ORDER BY id LIMIT $3`,
      [communityId, currencyCode, MAX_CHECKPOINT_ACCOUNTS + 1],
    );
    if (rows.length > MAX_CHECKPOINT_ACCOUNTS) {
      throw new AppError(
        'POLICY_VIOLATION',
        `A checkpoint lists at most ${MAX_CHECKPOINT_ACCOUNTS} accounts; ${currencyCode} has more`,
        { field: 'currencyCode', limit: MAX_CHECKPOINT_ACCOUNTS },
      );
    }
    const heads = rows.map((row) => ({
      accountId: row.id,
      entryCount: Number(row.entry_count),
      hash: row.last_hash,
    }));
    const body = checkpointBody(communityId, currencyCode, new Date(), heads);
    const signed: SignedCheckpoint = {
      checkpoint: body,
      signature: this.key.sign(signedText(body)),
      publicKey: this.key.publicKeyPem,
    };
    const row = Object.assign(new LedgerCheckpointEntity(), {
      communityId,
      id: randomUUID(),
      currencyCode,
      takenAt: new Date(body.takenAt),
      takenBy,
      accountCount: body.accountCount,
      merkleRoot: body.merkleRoot,
      publicKey: signed.publicKey,
      signature: signed.signature,
      document: JSON.stringify(signed),
    });
    await this.dataSource.getRepository(LedgerCheckpointEntity).insert(row);
    return { row, heads };
  }

  async list(communityId: string, currencyCode: string, first: number): Promise<CheckpointView[]> {
    const rows = await this.dataSource.getRepository(LedgerCheckpointEntity).find({
      where: { communityId, currencyCode },
      order: { takenAt: 'DESC' },
      take: first,
    });
    return rows.map((row) => ({
      row,
      heads: (JSON.parse(row.document) as SignedCheckpoint).checkpoint.heads,
    }));
  }

  /**
   * Checks a kept checkpoint against the ledger as it is now; returns the
   * problems found (none when nothing up to the checkpoint was rewritten) and
   * how many accounts were compared.
   */
  async check(
    communityId: string,
    currencyCode: string,
    text: string,
  ): Promise<{ problems: string[]; compared: number }> {
    const signed = readSignedCheckpoint(text);
    if (typeof signed === 'string') {
      throw new AppError('INVALID_INPUT', `checkpoint: ${signed}`, { field: 'checkpoint' });
    }
    const body = signed.checkpoint;
    if (body.communityId !== communityId || body.currencyCode !== currencyCode) {
      throw new AppError(
        'INVALID_INPUT',
        `checkpoint: it is a checkpoint of ${body.currencyCode} in another community or currency`,
        { field: 'checkpoint' },
      );
    }
    const problems: string[] = [];
    if (!LedgerSigningKey.verify(signedText(body), signed.signature, signed.publicKey)) {
      problems.push('The checkpoint’s signature does not match its contents: it was altered.');
    } else if (signed.publicKey.trim() !== this.key.publicKeyPem.trim()) {
      problems.push(
        'The checkpoint was signed by a key that is not this server’s signing key: it proves nothing here.',
      );
    }
    const current = new Map<string, Map<number, string>>();
    const existing = new Set<string>();
    for (let start = 0; start < body.heads.length; start += HEADS_PER_QUERY) {
      // An id that is not a UUID names no account: it is reported as missing.
      const slice = body.heads
        .slice(start, start + HEADS_PER_QUERY)
        .filter((head) => UUID.test(head.accountId));
      const accounts = await this.dataSource.query<Array<{ id: string }>>(
        `SELECT id FROM accounts WHERE community_id = $1 AND currency_code = $2 AND id = ANY($3::uuid[])`,
        [communityId, currencyCode, slice.map((head) => head.accountId)],
      );
      accounts.forEach((account) => existing.add(account.id));
      const withEntries = slice.filter((head) => head.entryCount > 0);
      const entries = await this.dataSource.query<
        Array<{ account_id: string; sequence: string; hash: string }>
      >(
        `SELECT e.account_id, e.sequence::text, e.hash
           FROM unnest($2::uuid[], $3::bigint[]) AS h(account_id, sequence)
           JOIN entries e ON e.community_id = $1 AND e.account_id = h.account_id
                         AND e.sequence = h.sequence`,
        [
          communityId,
          withEntries.map((head) => head.accountId),
          withEntries.map((head) => head.entryCount),
        ],
      );
      for (const entry of entries) {
        const byAccount = current.get(entry.account_id) ?? new Map<number, string>();
        byAccount.set(Number(entry.sequence), entry.hash);
        current.set(entry.account_id, byAccount);
      }
    }
    problems.push(
      ...compareWithCheckpoint(body, (accountId, entryCount) =>
        existing.has(accountId) ? (current.get(accountId)?.get(entryCount) ?? null) : undefined,
      ),
    );
    return { problems, compared: body.heads.length };
  }
}
