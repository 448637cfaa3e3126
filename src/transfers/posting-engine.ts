import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AccountEntity, AccountKind } from '../accounts/account.entity';
import {
  DEADLOCK_DETECTED,
  isUniqueViolation,
  SERIALIZATION_FAILURE,
  sqlState,
} from '../common/database/postgres-errors';
import { AppError } from '../common/errors/app-error';
import { AccountLimitsState, entryHash, Leg, LedgerError, planPosting } from '../ledger';
import { StoredLeg, TransferEntity, TransferKind, TransferStatusEnum } from './transfer.entity';

/**
 * The write path of the ledger. Every command (one transfer, a batch, a
 * reversal, posting or voiding a pending transfer) is one database
 * transaction that:
 *
 * 1. locks the rows of every account it touches with SELECT … FOR UPDATE in
 *    id order (so that two commands over the same accounts queue instead of
 *    deadlocking), reading balances, pending totals, limits and chain heads;
 * 2. plans every transfer with the pure ledger core (src/ledger/), one after
 *    the other against the locked state, so that a batch sees its own effects;
 * 3. writes transfers, entries and new account states in one statement;
 * 4. commits.
 *
 * That is four round trips for a transfer whatever its size. Nothing is
 * checked outside the locks, so limits hold however many commands run at
 * once. The whole transaction is retried a bounded number of times on a
 * serialization failure or deadlock, and once more after an idempotency-key
 * collision, when the retry finds and returns the transfer that won.
 */

export const MAX_ATTEMPTS = 5;

/** One transfer to create, after authorization and parsing. */
export interface NewTransfer {
  kind: TransferKind;
  fromAccountId: string;
  toAccountId: string;
  /** Minor units; the legs carry the same amount out of fromAccount. */
  amountMinor: bigint;
  legs: Leg[];
  memo: string | null;
  idempotencyKey: string;
  fingerprint: string;
  /** POST now, or HOLD as a pending transfer until `expiresAt`. */
  mode: 'POST' | 'HOLD';
  expiresAt: Date | null;
  reversalOf: string | null;
  force: boolean;
}

/** Checks run under the locks, with the locked rows of the transfer's accounts. */
export type Authorize = (
  transfer: NewTransfer,
  accounts: ReadonlyMap<string, AccountEntity>,
) => void;

export type Outcome =
  { transfer: TransferEntity; replayed: boolean } | { error: AppError | LedgerError };

/** A pending transfer moving on: posted, voided or expired. */
export interface Settlement {
  transferId: string;
  event: 'POST' | 'VOID' | 'EXPIRE';
  /** Checks run under the locks on the pending transfer before it settles. */
  check?: (transfer: TransferEntity) => void;
}

interface AccountWrite {
  id: string;
  balanceMinor: bigint;
  pendingDebitMinor: bigint;
  pendingCreditMinor: bigint;
  entryCount: bigint;
  lastHash: string;
}

interface EntryWrite {
  accountId: string;
  sequence: bigint;
  transferId: string;
  amountMinor: bigint;
  balanceAfterMinor: bigint;
  postedAt: Date;
  hash: string;
}

interface TransferUpdate {
  id: string;
  status: TransferStatusEnum;
  postedAt: Date | null;
  finishedAt: Date | null;
}

/** The locked accounts of one command and what has happened to them so far. */
class LockedAccounts {
  readonly rows = new Map<string, AccountEntity>();
  readonly state = new Map<string, AccountLimitsState>();
  readonly chain = new Map<string, { count: bigint; hash: string }>();
  readonly touched = new Set<string>();

  constructor(rows: AccountEntity[]) {
    for (const row of rows) {
      this.rows.set(row.id, row);
      this.state.set(row.id, {
        id: row.id,
        currencyCode: row.currencyCode,
        status: row.status,
        balanceMinor: BigInt(row.balanceMinor),
        pendingDebitMinor: BigInt(row.pendingDebitMinor),
        pendingCreditMinor: BigInt(row.pendingCreditMinor),
        floorMinor: row.floorMinor === null ? null : BigInt(row.floorMinor),
        ceilingMinor: row.ceilingMinor === null ? null : BigInt(row.ceilingMinor),
        warningMinor: row.warningMinor === null ? null : BigInt(row.warningMinor),
      });
      this.chain.set(row.id, { count: BigInt(row.entryCount), hash: row.lastHash });
    }
  }

  /** Applies a plan, returning the entries it writes with their sequence numbers and hashes. */
  apply(
    communityId: string,
    transferId: string,
    plan: ReturnType<typeof planPosting>,
    postedAt: Date | null,
  ): EntryWrite[] {
    for (const [id, state] of plan.accounts) {
      this.state.set(id, state);
      this.touched.add(id);
    }
    return plan.entries.map((entry) => {
      const head = this.chain.get(entry.accountId)!;
      const sequence = head.count + 1n;
      const hash = entryHash(head.hash, {
        communityId,
        accountId: entry.accountId,
        sequence: Number(sequence),
        transferId,
        amountMinor: entry.amountMinor,
        balanceAfterMinor: entry.balanceAfterMinor,
        postedAt: postedAt!,
      });
      this.chain.set(entry.accountId, { count: sequence, hash });
      return {
        accountId: entry.accountId,
        sequence,
        transferId,
        amountMinor: entry.amountMinor,
        balanceAfterMinor: entry.balanceAfterMinor,
        postedAt: postedAt!,
        hash,
      };
    });
  }

  writes(): AccountWrite[] {
    return [...this.touched].map((id) => {
      const state = this.state.get(id)!;
      const head = this.chain.get(id)!;
      return {
        id,
        balanceMinor: state.balanceMinor,
        pendingDebitMinor: state.pendingDebitMinor,
        pendingCreditMinor: state.pendingCreditMinor,
        entryCount: head.count,
        lastHash: head.hash,
      };
    });
  }
}

@Injectable()
export class PostingEngine {
  private readonly logger = new Logger(PostingEngine.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Creates transfers for one initiator. With `atomic`, the first refusal
   * refuses them all and nothing is written; without, each transfer stands or
   * falls alone and the outcomes say which. A transfer whose idempotency key
   * the initiator used before is not created again: its original comes back
   * (or IDEMPOTENCY_CONFLICT when the request differs).
   */
  async create(
    communityId: string,
    initiatedBy: string,
    transfers: NewTransfer[],
    options: { atomic: boolean; authorize: Authorize },
  ): Promise<Outcome[]> {
    let lookForReplays = false;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.dataSource.transaction((manager) =>
          this.createOnce(manager, communityId, initiatedBy, transfers, options, lookForReplays),
        );
      } catch (error) {
        if (isUniqueViolation(error, 'uq_transfers_idempotency') && !lookForReplays) {
          // A concurrent request with the same key committed first: look again and return it.
          lookForReplays = true;
          continue;
        }
        if (!this.shouldRetry(error, attempt)) throw error;
      }
    }
  }

  private async createOnce(
    manager: EntityManager,
    communityId: string,
    initiatedBy: string,
    transfers: NewTransfer[],
    options: { atomic: boolean; authorize: Authorize },
    lookForReplays: boolean,
  ): Promise<Outcome[]> {
    const outcomes: Array<Outcome | undefined> = transfers.map(() => undefined);
    if (lookForReplays || transfers.length > 1) {
      const existing = await this.findByKeys(
        manager,
        communityId,
        initiatedBy,
        transfers.map((transfer) => transfer.idempotencyKey),
      );
      transfers.forEach((transfer, index) => {
        const original = existing.get(transfer.idempotencyKey);
        if (original === undefined) return;
        outcomes[index] =
          original.requestFingerprint === transfer.fingerprint
            ? { transfer: original, replayed: true }
            : {
                error: new AppError(
                  'IDEMPOTENCY_CONFLICT',
                  'This idempotency key was already used for a different request',
                  { field: 'idempotencyKey' },
                ),
              };
      });
    }
    const seenKeys = new Set<string>();
    transfers.forEach((transfer, index) => {
      if (outcomes[index] !== undefined) return;
      if (seenKeys.has(transfer.idempotencyKey)) {
        outcomes[index] = {
          error: new AppError(
            'IDEMPOTENCY_CONFLICT',
            'The same idempotency key appears twice in this batch',
            {
              field: 'idempotencyKey',
            },
          ),
        };
      }
      seenKeys.add(transfer.idempotencyKey);
    });
    if (options.atomic) {
      const refused = outcomes.find((outcome) => outcome !== undefined && 'error' in outcome);
      if (refused !== undefined && 'error' in refused) throw refused.error;
    }

    const accountIds = new Set<string>();
    transfers.forEach((transfer, index) => {
      if (outcomes[index] === undefined)
        for (const leg of transfer.legs) accountIds.add(leg.accountId);
    });
    const locked = new LockedAccounts(
      await this.lockAccounts(manager, communityId, [...accountIds]),
    );

    const now = new Date();
    const rows: TransferEntity[] = [];
    const entries: EntryWrite[] = [];
    transfers.forEach((transfer, index) => {
      if (outcomes[index] !== undefined) return;
      try {
        for (const leg of transfer.legs) {
          if (!locked.rows.has(leg.accountId)) {
            throw new AppError('NOT_FOUND', `No account ${leg.accountId}`, {
              accountId: leg.accountId,
            });
          }
        }
        options.authorize(transfer, locked.rows);
        const plan = planPosting(transfer.legs, locked.state, transfer.mode, {
          force: transfer.force,
        });
        const id = randomUUID();
        const postedAt = transfer.mode === 'POST' ? now : null;
        entries.push(...locked.apply(communityId, id, plan, postedAt));
        const row = this.newRow(communityId, initiatedBy, id, transfer, now, postedAt);
        row.warnings = plan.warnings.map((warning) => `${warning.code}:${warning.accountId}`);
        row.currencyCode = locked.rows.get(transfer.fromAccountId)!.currencyCode;
        rows.push(row);
        outcomes[index] = { transfer: row, replayed: false };
      } catch (error) {
        if (!(error instanceof AppError) && !(error instanceof LedgerError)) throw error;
        if (options.atomic) throw error;
        outcomes[index] = { error };
      }
    });

    await this.write(manager, communityId, {
      inserts: rows,
      updates: [],
      entries,
      accounts: locked.writes(),
    });
    return outcomes as Outcome[];
  }

  /**
   * Posts, voids or expires a pending transfer. The transfer row is locked
   * first, so that of a concurrent post and void exactly one finds it
   * pending; the other gets CONFLICT.
   */
  async settle(communityId: string, settlement: Settlement): Promise<TransferEntity> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.dataSource.transaction((manager) =>
          this.settleOnce(manager, communityId, settlement),
        );
      } catch (error) {
        if (!this.shouldRetry(error, attempt)) throw error;
      }
    }
  }

  private async settleOnce(
    manager: EntityManager,
    communityId: string,
    settlement: Settlement,
  ): Promise<TransferEntity> {
    const transfer = await manager
      .getRepository(TransferEntity)
      .createQueryBuilder('transfer')
      .setLock('pessimistic_write')
      .where('transfer.community_id = :communityId AND transfer.id = :id', {
        communityId,
        id: settlement.transferId,
      })
      .getOne();
    if (transfer === null) throw new AppError('NOT_FOUND', 'No such transfer');
    if (transfer.status !== TransferStatusEnum.PENDING) {
      throw new AppError(
        'INVALID_STATE_TRANSITION',
        `The transfer is ${transfer.status}, no longer pending`,
        {
          status: transfer.status,
        },
      );
    }
    const now = new Date();
    let event = settlement.event;
    if (
      event === 'POST' &&
      transfer.expiresAt !== null &&
      transfer.expiresAt.getTime() <= now.getTime()
    ) {
      event = 'EXPIRE';
    }
    if (event !== 'EXPIRE') settlement.check?.(transfer);

    const legs = transfer.legs.map((leg) => ({
      accountId: leg.accountId,
      amountMinor: BigInt(leg.amountMinor),
    }));
    const locked = new LockedAccounts(
      await this.lockAccounts(
        manager,
        communityId,
        legs.map((leg) => leg.accountId),
      ),
    );
    const plan = planPosting(legs, locked.state, event === 'POST' ? 'POST_HELD' : 'RELEASE_HELD');
    const postedAt = event === 'POST' ? now : null;
    const entries = locked.apply(communityId, transfer.id, plan, postedAt);
    const status =
      event === 'POST'
        ? TransferStatusEnum.POSTED
        : event === 'VOID'
          ? TransferStatusEnum.VOIDED
          : TransferStatusEnum.EXPIRED;
    const update = { id: transfer.id, status, postedAt, finishedAt: event === 'POST' ? null : now };
    await this.write(manager, communityId, {
      inserts: [],
      updates: [update],
      entries,
      accounts: locked.writes(),
    });
    Object.assign(transfer, update);
    if (settlement.event === 'POST' && event === 'EXPIRE') {
      // Committed as expired; the caller learns why their post did not happen.
      this.logger.debug(
        { transferId: transfer.id },
        'pending transfer expired before it was posted',
      );
    }
    return transfer;
  }

  private newRow(
    communityId: string,
    initiatedBy: string,
    id: string,
    transfer: NewTransfer,
    now: Date,
    postedAt: Date | null,
  ): TransferEntity {
    const row = new TransferEntity();
    Object.assign(row, {
      communityId,
      id,
      currencyCode: '',
      kind: transfer.kind,
      status: transfer.mode === 'POST' ? TransferStatusEnum.POSTED : TransferStatusEnum.PENDING,
      amountMinor: transfer.amountMinor.toString(),
      fromAccountId: transfer.fromAccountId,
      toAccountId: transfer.toAccountId,
      memo: transfer.memo,
      initiatedBy,
      idempotencyKey: transfer.idempotencyKey,
      requestFingerprint: transfer.fingerprint,
      legs: transfer.legs.map((leg): StoredLeg => ({
        accountId: leg.accountId,
        amountMinor: leg.amountMinor.toString(),
      })),
      reversalOf: transfer.reversalOf,
      forced: transfer.force,
      warnings: [],
      createdAt: now,
      expiresAt: transfer.mode === 'HOLD' ? transfer.expiresAt : null,
      postedAt,
      finishedAt: null,
    });
    return row;
  }

  private async findByKeys(
    manager: EntityManager,
    communityId: string,
    initiatedBy: string,
    keys: string[],
  ): Promise<Map<string, TransferEntity>> {
    const rows = await manager
      .getRepository(TransferEntity)
      .createQueryBuilder('transfer')
      .where('transfer.community_id = :communityId AND transfer.initiated_by = :initiatedBy', {
        communityId,
        initiatedBy,
      })
      .andWhere('transfer.idempotency_key IN (:...keys)', { keys })
      .getMany();
    return new Map(rows.map((row) => [row.idempotencyKey, row]));
  }

  private async lockAccounts(
    manager: EntityManager,
    communityId: string,
    ids: string[],
  ): Promise<AccountEntity[]> {
    if (ids.length === 0) return [];
    return manager
      .getRepository(AccountEntity)
      .createQueryBuilder('account')
      .setLock('pessimistic_write')
      .where('account.community_id = :communityId AND account.id IN (:...ids)', {
        communityId,
        ids,
      })
      .orderBy('account.id', 'ASC')
      .getMany();
  }

  /**
   * Writes a command's effects in one statement: new transfers, settled
   * transfers, entries and account states. The entries trigger checks, after
   * the statement, that they balance and agree with the accounts.
   */
  private async write(
    manager: EntityManager,
    communityId: string,
    changes: {
      inserts: TransferEntity[];
      updates: TransferUpdate[];
      entries: EntryWrite[];
      accounts: AccountWrite[];
    },
  ): Promise<void> {
    const parts: string[] = [];
    const parameters: unknown[] = [communityId];
    const parameter = (value: unknown, type: string): string => {
      parameters.push(value);
      return `$${parameters.length}::${type}`;
    };
    const { inserts, updates, entries, accounts } = changes;
    if (inserts.length > 0) {
      parts.push(`inserted_transfers AS (
        INSERT INTO transfers (community_id, id, currency_code, kind, status, amount_minor, from_account_id,
          to_account_id, memo, initiated_by, idempotency_key, request_fingerprint, legs, reversal_of, forced,
          warnings, created_at, expires_at, posted_at)
        SELECT $1, t.id, t.currency_code, t.kind, t.status, t.amount_minor, t.from_account_id, t.to_account_id,
          t.memo, t.initiated_by, t.idempotency_key, t.request_fingerprint, t.legs, t.reversal_of, t.forced,
          ARRAY(SELECT jsonb_array_elements_text(t.warnings)), t.created_at, t.expires_at, t.posted_at
        FROM unnest(${parameter(
          inserts.map((row) => row.id),
          'uuid[]',
        )},
          ${parameter(
            inserts.map((row) => row.currencyCode),
            'varchar[]',
          )},
          ${parameter(
            inserts.map((row) => row.kind),
            'varchar[]',
          )},
          ${parameter(
            inserts.map((row) => row.status),
            'varchar[]',
          )},
          ${parameter(
            inserts.map((row) => row.amountMinor),
            'bigint[]',
          )},
          ${parameter(
            inserts.map((row) => row.fromAccountId),
            'uuid[]',
          )},
          ${parameter(
            inserts.map((row) => row.toAccountId),
            'uuid[]',
          )},
          ${parameter(
            inserts.map((row) => row.memo),
            'varchar[]',
          )},
          ${parameter(
            inserts.map((row) => row.initiatedBy),
            'uuid[]',
          )},
          ${parameter(
            inserts.map((row) => row.idempotencyKey),
            'varchar[]',
          )},
          ${parameter(
            inserts.map((row) => row.requestFingerprint),
            'char(64)[]',
          )},
          ${parameter(
            inserts.map((row) => JSON.stringify(row.legs)),
            'jsonb[]',
          )},
          ${parameter(
            inserts.map((row) => row.reversalOf),
            'uuid[]',
          )},
          ${parameter(
            inserts.map((row) => row.forced),
            'boolean[]',
          )},
          ${parameter(
            inserts.map((row) => JSON.stringify(row.warnings)),
            'jsonb[]',
          )},
          ${parameter(
            inserts.map((row) => row.createdAt.toISOString()),
            'timestamptz[]',
          )},
          ${parameter(
            inserts.map((row) => row.expiresAt?.toISOString() ?? null),
            'timestamptz[]',
          )},
          ${parameter(
            inserts.map((row) => row.postedAt?.toISOString() ?? null),
            'timestamptz[]',
          )})
          AS t(id, currency_code, kind, status, amount_minor, from_account_id, to_account_id, memo, initiated_by,
            idempotency_key, request_fingerprint, legs, reversal_of, forced, warnings, created_at, expires_at,
            posted_at)
      )`);
    }
    if (updates.length > 0) {
      parts.push(`settled_transfers AS (
        UPDATE transfers SET status = u.status, posted_at = u.posted_at, finished_at = u.finished_at
        FROM unnest(${parameter(
          updates.map((row) => row.id),
          'uuid[]',
        )},
          ${parameter(
            updates.map((row) => row.status),
            'varchar[]',
          )},
          ${parameter(
            updates.map((row) => row.postedAt?.toISOString() ?? null),
            'timestamptz[]',
          )},
          ${parameter(
            updates.map((row) => row.finishedAt?.toISOString() ?? null),
            'timestamptz[]',
          )})
          AS u(id, status, posted_at, finished_at)
        WHERE transfers.community_id = $1 AND transfers.id = u.id
      )`);
    }
    if (entries.length > 0) {
      parts.push(`inserted_entries AS (
        INSERT INTO entries (community_id, account_id, sequence, transfer_id, amount_minor, balance_after_minor,
          posted_at, hash)
        SELECT $1, e.account_id, e.sequence, e.transfer_id, e.amount_minor, e.balance_after_minor, e.posted_at, e.hash
        FROM unnest(${parameter(
          entries.map((row) => row.accountId),
          'uuid[]',
        )},
          ${parameter(
            entries.map((row) => row.sequence.toString()),
            'bigint[]',
          )},
          ${parameter(
            entries.map((row) => row.transferId),
            'uuid[]',
          )},
          ${parameter(
            entries.map((row) => row.amountMinor.toString()),
            'bigint[]',
          )},
          ${parameter(
            entries.map((row) => row.balanceAfterMinor.toString()),
            'bigint[]',
          )},
          ${parameter(
            entries.map((row) => row.postedAt.toISOString()),
            'timestamptz[]',
          )},
          ${parameter(
            entries.map((row) => row.hash),
            'char(64)[]',
          )})
          AS e(account_id, sequence, transfer_id, amount_minor, balance_after_minor, posted_at, hash)
      )`);
    }
    if (accounts.length > 0) {
      parts.push(`updated_accounts AS (
        UPDATE accounts SET balance_minor = a.balance_minor, pending_debit_minor = a.pending_debit_minor,
          pending_credit_minor = a.pending_credit_minor, entry_count = a.entry_count, last_hash = a.last_hash,
          updated_at = now()
        FROM unnest(${parameter(
          accounts.map((row) => row.id),
          'uuid[]',
        )},
          ${parameter(
            accounts.map((row) => row.balanceMinor.toString()),
            'bigint[]',
          )},
          ${parameter(
            accounts.map((row) => row.pendingDebitMinor.toString()),
            'bigint[]',
          )},
          ${parameter(
            accounts.map((row) => row.pendingCreditMinor.toString()),
            'bigint[]',
          )},
          ${parameter(
            accounts.map((row) => row.entryCount.toString()),
            'bigint[]',
          )},
          ${parameter(
            accounts.map((row) => row.lastHash),
            'char(64)[]',
          )})
          AS a(id, balance_minor, pending_debit_minor, pending_credit_minor, entry_count, last_hash)
        WHERE accounts.community_id = $1 AND accounts.id = a.id
      )`);
    }
    if (parts.length === 0) return;
    await manager.query(`WITH ${parts.join(',\n')} SELECT 1`, parameters);
  }

  private shouldRetry(error: unknown, attempt: number): boolean {
    const state = sqlState(error);
    if (
      (state === SERIALIZATION_FAILURE || state === DEADLOCK_DETECTED) &&
      attempt < MAX_ATTEMPTS
    ) {
      this.logger.warn(
        { attempt, state },
        'retrying a ledger command after a transient database conflict',
      );
      return true;
    }
    return false;
  }
}

/** Kinds that only their own operations create (policy, reversals, funds), never a plain `transfer`. */
export const SYSTEM_TRANSFER_KINDS: ReadonlySet<TransferKind> = new Set([
  TransferKind.ISSUANCE,
  TransferKind.REDEMPTION,
  TransferKind.FEE,
  TransferKind.DEMURRAGE,
  TransferKind.DISBURSEMENT,
  TransferKind.REVERSAL,
]);

export function isSystemAccount(account: AccountEntity): boolean {
  return account.kind === AccountKind.ISSUANCE;
}
