import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { mayReadAccount } from '../accounts/account-access';
import { AccountEntity } from '../accounts/account.entity';
import { Actor, isSteward } from '../access/actor';
import { withinCommunity, withoutCommunity } from '../common/database/tenancy';
import { AppError, invalidInput } from '../common/errors/app-error';
import { decodeCursor, PageArgs, pageSize } from '../common/pagination/connection';
import {
  CommandResult,
  Initiator,
  isExpired,
  LedgerError,
  parseAmount,
  readField,
  requestFingerprint,
  TransferCommand,
} from '../ledger';
import { ReverseTransferInput, TransferFilter, TransferInput } from './dto/transfer.inputs';
import { LedgerDirectory } from './ledger-directory';
import { answerOf, PostingService } from './posting.service';
import { TransferEntity, TransferStatusEnum } from './transfer.entity';

/** The longest a pending transfer may hold funds. */
export const MAX_PENDING_MS = 30 * 24 * 3600 * 1000;

export type Outcome =
  { transfer: TransferEntity; replayed: boolean } | { error: AppError | LedgerError };

/** Who asks, as the planner's rules know them. */
export function initiatorOf(actor: Actor): Initiator {
  return { userId: actor.userId, steward: isSteward(actor) };
}

/**
 * The ledger's commands and reads as the API offers them: parsing amounts by
 * the currency's scale and checking what needs no lock, then handing the
 * command to the posting path, which decides the rest under the accounts'
 * locks (src/ledger/planner.ts).
 */
@Injectable()
export class TransfersService {
  private readonly logger = new Logger(TransfersService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly posting: PostingService,
    private readonly directory: LedgerDirectory,
  ) {}

  async transfer(actor: Actor, input: TransferInput): Promise<TransferEntity> {
    const command = await this.prepare(actor, input);
    return answerOf(await this.posting.post(actor.communityId, command));
  }

  /**
   * Many transfers in one request. With `atomic` they are one command: all
   * post or none does. Without, each is a command of its own and the
   * outcomes say which posted; a key used twice in the request is refused at
   * its second use.
   */
  async transferBatch(actor: Actor, inputs: TransferInput[], atomic: boolean): Promise<Outcome[]> {
    await this.directory.load(
      actor.communityId,
      inputs.map((input) => input.fromAccountId),
    );
    const prepared: Array<TransferCommand | { error: AppError | LedgerError }> = [];
    const seenKeys = new Set<string>();
    for (const input of inputs) {
      try {
        const command = await this.prepare(actor, input);
        if (!atomic && seenKeys.has(input.idempotencyKey)) {
          prepared.push({
            error: new AppError(
              'IDEMPOTENCY_CONFLICT',
              'The same idempotency key appears twice in this batch',
              { field: 'idempotencyKey' },
            ),
          });
        } else {
          prepared.push(command);
        }
        seenKeys.add(input.idempotencyKey);
      } catch (error) {
        if (atomic || !(error instanceof AppError || error instanceof LedgerError)) throw error;
        prepared.push({ error });
      }
    }
    if (atomic) {
      const commands = prepared as TransferCommand[];
      const result = await this.posting.post(actor.communityId, {
        type: 'ATOMIC_BATCH',
        transfers: commands,
      });
      if (result.outcome === 'REFUSED') throw result.error;
      if (result.outcome === 'NOTHING') return [];
      return result.transfers.map((transfer) => ({
        transfer: answerOf({ outcome: 'APPLIED', transfers: [transfer] }),
        replayed: result.outcome === 'REPLAYED',
      }));
    }
    const commands = prepared.filter((item): item is TransferCommand => !('error' in item));
    const results = await this.posting.postEach(actor.communityId, commands);
    let next = 0;
    return prepared.map((item) => ('error' in item ? item : outcomeOf(results[next++])));
  }

  /**
   * A steward undoes a posted transfer with a REVERSAL transfer of the
   * opposite legs, once; a reversal that would take an account past a limit
   * is refused unless the steward forces it, which the reversal records.
   */
  async reverse(actor: Actor, input: ReverseTransferInput): Promise<TransferEntity> {
    const force = input.force === true;
    return answerOf(
      await this.posting.post(actor.communityId, {
        type: 'REVERSE',
        initiator: initiatorOf(actor),
        idempotencyKey: input.idempotencyKey,
        fingerprint: requestFingerprint({
          operation: 'reverseTransfer',
          transferId: input.transferId,
          reason: input.reason,
          force,
        }),
        memo: input.reason,
        transferId: input.transferId,
        force,
      }),
    );
  }

  /** Posts or voids a pending transfer: its initiator or a steward. */
  async settle(actor: Actor, id: string, event: 'POST' | 'VOID'): Promise<TransferEntity> {
    return answerOf(
      await this.posting.post(actor.communityId, {
        type: 'SETTLE',
        transferId: id,
        event,
        authority: { by: 'USER', initiator: initiatorOf(actor) },
      }),
    );
  }

  /** A transfer the caller took part in (stewards: any of the community); a pending one past its expiry is expired now. */
  async get(actor: Actor, id: string): Promise<TransferEntity> {
    let transfer = await this.dataSource
      .getRepository(TransferEntity)
      .findOneBy({ communityId: actor.communityId, id });
    if (transfer === null) throw new AppError('NOT_FOUND', 'No such transfer');
    await this.assertMayRead(actor, transfer);
    if (
      transfer.status === TransferStatusEnum.PENDING &&
      isExpired(transfer.expiresAt, new Date())
    ) {
      transfer = await this.expire(actor.communityId, transfer.id);
    }
    return transfer;
  }

  async list(actor: Actor, filter: TransferFilter, page: PageArgs): Promise<TransferEntity[]> {
    const steward = isSteward(actor);
    const query = this.dataSource
      .getRepository(TransferEntity)
      .createQueryBuilder('transfer')
      .where('transfer.community_id = :communityId', { communityId: actor.communityId })
      .orderBy('transfer.created_at', 'DESC')
      .addOrderBy('transfer.id', 'DESC')
      .take(pageSize(page) + 1);
    if (filter.accountId !== undefined) {
      const account = await this.dataSource
        .getRepository(AccountEntity)
        .findOneBy({ communityId: actor.communityId, id: filter.accountId });
      if (account === null)
        throw new AppError('NOT_FOUND', 'No such account', { field: 'accountId' });
      if (!mayReadAccount(actor, account))
        throw new AppError('FORBIDDEN', 'This account is not yours');
      query.andWhere(
        '(transfer.from_account_id = :accountId OR transfer.to_account_id = :accountId)',
        {
          accountId: filter.accountId,
        },
      );
    } else if (!steward) {
      const own =
        'SELECT id FROM accounts WHERE community_id = :communityId AND owner_id = :ownerId';
      query.andWhere(
        `(transfer.from_account_id IN (${own}) OR transfer.to_account_id IN (${own}))`,
        {
          ownerId: actor.userId,
        },
      );
    }
    if (filter.kind !== undefined) query.andWhere('transfer.kind = :kind', { kind: filter.kind });
    if (filter.status !== undefined)
      query.andWhere('transfer.status = :status', { status: filter.status });
    if (filter.from !== undefined)
      query.andWhere('transfer.created_at >= :from', { from: filter.from });
    if (filter.to !== undefined) query.andWhere('transfer.created_at < :to', { to: filter.to });
    if (page.after !== undefined) {
      const [createdAt, afterId] = decodeCursor(page.after, ['instant', 'uuid']);
      query.andWhere('(transfer.created_at, transfer.id) < (:createdAt, :afterId)', {
        createdAt,
        afterId,
      });
    }
    return query.getMany();
  }

  /** Expires one pending transfer, releasing its hold; a no-op if it was settled meanwhile. */
  async expire(communityId: string, id: string): Promise<TransferEntity> {
    const result = await this.posting.post(communityId, {
      type: 'SETTLE',
      transferId: id,
      event: 'EXPIRE',
      authority: { by: 'SYSTEM' },
    });
    if (result.outcome === 'REFUSED' && result.error.code === 'INVALID_STATE_TRANSITION') {
      return this.dataSource.getRepository(TransferEntity).findOneByOrFail({ communityId, id });
    }
    return answerOf(result);
  }

  /** Expires every pending transfer past its time, oldest first, at most `limit` per call. */
  async expireDue(limit: number): Promise<number> {
    // What is due, in every community; each community's expiry is then its own work.
    const due = await withoutCommunity(() =>
      this.dataSource.query<Array<{ community_id: string; id: string }>>(
        `SELECT community_id, id FROM transfers
          WHERE status = 'PENDING' AND expires_at <= now()
          ORDER BY expires_at LIMIT $1`,
        [limit],
      ),
    );
    const byCommunity = new Map<string, string[]>();
    for (const row of due) {
      byCommunity.set(row.community_id, [...(byCommunity.get(row.community_id) ?? []), row.id]);
    }
    for (const [communityId, ids] of byCommunity) {
      await withinCommunity(communityId, () =>
        this.posting.postEach(
          communityId,
          ids.map((id) => ({
            type: 'SETTLE' as const,
            transferId: id,
            event: 'EXPIRE' as const,
            authority: { by: 'SYSTEM' as const },
          })),
        ),
      );
    }
    if (due.length > 0) this.logger.log(`expired ${due.length} pending transfer(s)`);
    return due.length;
  }

  private async assertMayRead(actor: Actor, transfer: TransferEntity): Promise<void> {
    if (actor.kind === 'USER' && (isSteward(actor) || transfer.initiatedBy === actor.userId)) {
      return;
    }
    const accounts = await this.dataSource.getRepository(AccountEntity).findBy([
      { communityId: actor.communityId, id: transfer.fromAccountId },
      { communityId: actor.communityId, id: transfer.toAccountId },
    ]);
    if (!accounts.some((account) => mayReadAccount(actor, account))) {
      throw new AppError('FORBIDDEN', 'You took no part in this transfer');
    }
  }

  /** Parses and checks what can be checked without locks; the planner decides the rest. */
  private async prepare(actor: Actor, input: TransferInput): Promise<TransferCommand> {
    const now = Date.now();
    if (input.pendingUntil !== undefined) {
      const until = input.pendingUntil.getTime();
      if (until <= now || until > now + MAX_PENDING_MS) {
        throw invalidInput(
          'pendingUntil',
          'pendingUntil: must be in the future and within 30 days',
        );
      }
    }
    const scale = await this.directory.scaleOf(actor.communityId, input.fromAccountId);
    if (scale === undefined) {
      throw new AppError('NOT_FOUND', `No account ${input.fromAccountId}`, {
        field: 'fromAccountId',
      });
    }
    const amountMinor = readField('amount', () => parseAmount(input.amount, scale));
    const memo = input.memo ?? null;
    return {
      type: 'TRANSFER',
      origin: 'USER',
      initiator: initiatorOf(actor),
      kind: input.kind,
      fromAccountId: input.fromAccountId,
      toAccountId: input.toAccountId,
      amountMinor,
      memo,
      holdUntil: input.pendingUntil ?? null,
      idempotencyKey: input.idempotencyKey,
      fingerprint: requestFingerprint({
        operation: 'transfer',
        fromAccountId: input.fromAccountId,
        toAccountId: input.toAccountId,
        amountMinor,
        kind: input.kind,
        memo,
        pendingUntil: input.pendingUntil,
      }),
    };
  }
}

function outcomeOf(result: CommandResult): Outcome {
  if (result.outcome === 'REFUSED') return { error: result.error };
  return { transfer: answerOf(result), replayed: result.outcome === 'REPLAYED' };
}
