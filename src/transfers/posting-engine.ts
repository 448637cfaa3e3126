import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AccountEntity, AccountKind } from '../accounts/account.entity';
import {
  isTransientConflict,
  isUniqueViolation,
  sqlState,
} from '../common/database/postgres-errors';
import { AppError } from '../common/errors/app-error';
import {
  AccountLimitsState,
  assert,
  EarnedCreditRule,
  earnedFloorMinor,
  entryHash,
  Leg,
  LedgerError,
  planPosting,
  policyLegs,
} from '../ledger';
import { earnedCreditRuleOf, PolicyRules, transferRulesOf } from '../currencies/issuance-policy';
import { CommandStatements } from './command-statements';
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

/**
 * Commands of up to this many transfers send BEGIN and COMMIT with their
 * statements, values written in (see command-statements.ts); larger ones
 * send them apart, with parameters.
 */
const MERGE_AT_MOST = 4;

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
  /**
   * Shape the legs by the currency's policy in force (fee, maximum, daily
   * outflow): ordinary transfers do, policy operations (mint, redeem,
   * reversal) build their own legs.
   */
  applyPolicy?: boolean;
  /** Accounts to lock besides the legs', for checks that read them (a mint reads the reserve). */
  lockAlso?: string[];
  /** For a reversal: the kind of the transfer it reverses (undoes what that one earned). */
  reversedKind?: TransferKind;
  /** Shops: the payment request a PAYMENT pays (checked and counted by a trigger). */
  paymentRequestId?: string | null;
  /** Shops: the payment a refund returns; the refund undoes what that payment earned. */
  refundOf?: string | null;
}

/**
 * Trade counts towards "earn your limit": credits of posted EXCHANGE and
 * PAYMENT transfers add to what an account has received, and a reversal of
 * one takes its debit back off (never below zero).
 */
const EARNING_KINDS: ReadonlySet<TransferKind> = new Set([
  TransferKind.EXCHANGE,
  TransferKind.PAYMENT,
]);

type Earning = 'RECEIVED' | 'REVERSED' | null;

function earningOf(kind: TransferKind, reversedKind: TransferKind | undefined): Earning {
  if (EARNING_KINDS.has(kind)) return 'RECEIVED';
  if (
    kind === TransferKind.REVERSAL &&
    reversedKind !== undefined &&
    EARNING_KINDS.has(reversedKind)
  ) {
    return 'REVERSED';
  }
  return null;
}

/** What a check run under the locks may read: rows as locked, balances as planned so far, the policy in force. */
export interface LockedView {
  rows: ReadonlyMap<string, AccountEntity>;
  balanceMinor(accountId: string): bigint;
  policyOf(currencyCode: string): PolicyInForce | null;
}

export interface PolicyInForce {
  version: number;
  rules: PolicyRules;
}

/** Checks run under the locks, before the transfer is planned. */
export type Authorize = (transfer: NewTransfer, locked: LockedView) => void;

export type Outcome =
  { transfer: TransferEntity; replayed: boolean } | { error: AppError | LedgerError };

/** A pending transfer moving on: posted, voided or expired. */
export interface Settlement {
  transferId: string;
  event: 'POST' | 'VOID' | 'EXPIRE';
  /** Checks run under the locks on the pending transfer before it settles. */
  check?: (transfer: TransferEntity) => void;
}

type LockedRow = AccountEntity & { policyVersion: number | null; policyRules: PolicyRules | null };

interface AccountWrite {
  id: string;
  balanceMinor: bigint;
  pendingDebitMinor: bigint;
  pendingCreditMinor: bigint;
  entryCount: bigint;
  lastHash: string;
  receivedMinor: bigint;
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
class LockedAccounts implements LockedView {
  readonly rows = new Map<string, AccountEntity>();
  readonly policies = new Map<string, PolicyInForce>();
  readonly state = new Map<string, AccountLimitsState>();
  readonly chain = new Map<string, { count: bigint; hash: string }>();
  readonly touched = new Set<string>();
  /** What each account has received in trade, its floor before earnings and its earning rule. */
  readonly earned = new Map<
    string,
    { receivedMinor: bigint; baseFloorMinor: bigint | null; rule: EarnedCreditRule | null }
  >();

  constructor(rows: LockedRow[]) {
    this.add(rows);
  }

  add(rows: LockedRow[]): void {
    for (const row of rows) {
      if (row.policyVersion !== null && row.policyRules !== null) {
        this.policies.set(row.currencyCode, { version: row.policyVersion, rules: row.policyRules });
      }
      this.rows.set(row.id, row);
      const earned = {
        receivedMinor: BigInt(row.receivedMinor),
        baseFloorMinor: row.floorMinor === null ? null : BigInt(row.floorMinor),
        rule: earnedCreditRuleOf(row.policyRules, row.kind),
      };
      this.earned.set(row.id, earned);
      this.state.set(row.id, {
        id: row.id,
        currencyCode: row.currencyCode,
        status: row.status,
        balanceMinor: BigInt(row.balanceMinor),
        pendingDebitMinor: BigInt(row.pendingDebitMinor),
        pendingCreditMinor: BigInt(row.pendingCreditMinor),
        floorMinor: earnedFloorMinor(earned.baseFloorMinor, earned.receivedMinor, earned.rule),
        ceilingMinor: row.ceilingMinor === null ? null : BigInt(row.ceilingMinor),
        warningMinor: row.warningMinor === null ? null : BigInt(row.warningMinor),
      });
      this.chain.set(row.id, { count: BigInt(row.entryCount), hash: row.lastHash });
    }
  }

  balanceMinor(accountId: string): bigint {
    const state = this.state.get(accountId);
    assert(state !== undefined, `account ${accountId} is locked`);
    return state.balanceMinor;
  }

  policyOf(currencyCode: string): PolicyInForce | null {
    return this.policies.get(currencyCode) ?? null;
  }

  /** Applies a plan, returning the entries it writes with their sequence numbers and hashes. */
  apply(
    communityId: string,
    transferId: string,
    plan: ReturnType<typeof planPosting>,
    postedAt: Date | null,
    earning: Earning,
  ): EntryWrite[] {
    for (const [id, state] of plan.accounts) {
      this.state.set(id, state);
      this.touched.add(id);
    }
    if (earning !== null) {
      for (const entry of plan.entries) {
        const earned = this.earned.get(entry.accountId)!;
        if (earning === 'RECEIVED' && entry.amountMinor > 0n) {
          earned.receivedMinor += entry.amountMinor;
        } else if (earning === 'REVERSED' && entry.amountMinor < 0n) {
          const left = earned.receivedMinor + entry.amountMinor;
          earned.receivedMinor = left > 0n ? left : 0n;
        } else {
          continue;
        }
        const state = this.state.get(entry.accountId)!;
        this.state.set(entry.accountId, {
          ...state,
          floorMinor: earnedFloorMinor(earned.baseFloorMinor, earned.receivedMinor, earned.rule),
        });
      }
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
        receivedMinor: this.earned.get(id)!.receivedMinor,
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
    let holdsExpired = false;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await CommandStatements.owned(
          this.dataSource,
          { merge: transfers.length <= MERGE_AT_MOST },
          (statements) =>
            this.createOnce(
              statements,
              communityId,
              initiatedBy,
              transfers,
              options,
              lookForReplays,
            ),
        );
      } catch (error) {
        if (
          !lookForReplays &&
          (isUniqueViolation(error, 'uq_transfers_idempotency') ||
            error instanceof RefusedBeforeReplayCheck)
        ) {
          // The key may have been used before (a retry), or by a concurrent request that
          // committed first: look it up and return the original rather than a refusal.
          lookForReplays = true;
          continue;
        }
        const refusal = error instanceof RefusedBeforeReplayCheck ? error.refusal : error;
        if (!holdsExpired && isLimitRefusal(refusal)) {
          // Pending transfers past their expiry still hold funds until they are expired:
          // expire those of the accounts involved, then try once more.
          holdsExpired = true;
          const accountIds = transfers.flatMap((transfer) =>
            transfer.legs.map((leg) => leg.accountId),
          );
          if ((await this.expireDueHolds(communityId, accountIds)) > 0) continue;
        }
        if (error instanceof RefusedBeforeReplayCheck) throw error.refusal;
        if (!this.shouldRetry(error, attempt)) throw error;
      }
    }
  }

  private async createOnce(
    statements: CommandStatements,
    communityId: string,
    initiatedBy: string,
    transfers: NewTransfer[],
    options: { atomic: boolean; authorize: Authorize },
    lookForReplays: boolean,
  ): Promise<Outcome[]> {
    const outcomes: Array<Outcome | undefined> = transfers.map(() => undefined);
    // One transfer takes the fast path: its key is looked up only if it is refused or collides.
    const keysChecked = lookForReplays || transfers.length > 1;
    if (keysChecked) {
      await statements.begin();
      const existing = await this.findByKeys(
        statements.manager,
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
      if (outcomes[index] !== undefined) return;
      for (const leg of transfer.legs) accountIds.add(leg.accountId);
      for (const id of transfer.lockAlso ?? []) accountIds.add(id);
    });
    const locked = new LockedAccounts(
      await this.lockAccounts(statements, communityId, [...accountIds]),
    );
    const outflow = await this.preparePolicy(statements, communityId, transfers, outcomes, locked);

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
        options.authorize(transfer, locked);
        const currencyCode = locked.rows.get(transfer.fromAccountId)!.currencyCode;
        const policy = locked.policyOf(currencyCode);
        let legs = transfer.legs;
        let outflowMinor = 0n;
        if (transfer.applyPolicy === true) {
          const shaped = policyLegs(
            transfer.fromAccountId,
            transfer.toAccountId,
            transfer.amountMinor,
            transferRulesOf(policy?.rules),
            outflow.get(transfer.fromAccountId) ?? 0n,
          );
          legs = shaped.legs;
          outflowMinor = shaped.outflowMinor;
        }
        const plan = planPosting(legs, locked.state, transfer.mode, {
          force: transfer.force,
        });
        outflow.set(
          transfer.fromAccountId,
          (outflow.get(transfer.fromAccountId) ?? 0n) + outflowMinor,
        );
        const id = randomUUID();
        const postedAt = transfer.mode === 'POST' ? now : null;
        entries.push(
          ...locked.apply(
            communityId,
            id,
            plan,
            postedAt,
            transfer.refundOf === null || transfer.refundOf === undefined
              ? earningOf(transfer.kind, transfer.reversedKind)
              : earningOf(TransferKind.REVERSAL, TransferKind.PAYMENT),
          ),
        );
        const row = this.newRow(communityId, initiatedBy, id, { ...transfer, legs }, now, postedAt);
        row.policyVersion = policy?.version ?? null;
        row.warnings = plan.warnings.map((warning) => `${warning.code}:${warning.accountId}`);
        row.currencyCode = currencyCode;
        rows.push(row);
        outcomes[index] = { transfer: row, replayed: false };
      } catch (error) {
        if (!(error instanceof AppError) && !(error instanceof LedgerError)) throw error;
        // A refusal of a key not yet checked may be a retry of a transfer that
        // already posted: the caller checks the key, then refuses or replays.
        if (!keysChecked) throw new RefusedBeforeReplayCheck(error);
        if (options.atomic) throw error;
        outcomes[index] = { error };
      }
    });

    await this.write(statements, communityId, {
      inserts: rows,
      updates: [],
      entries,
      accounts: locked.writes(),
    });
    return outcomes as Outcome[];
  }

  /**
   * Expires the pending transfers past their time that touch these accounts,
   * releasing their holds; returns how many. Each is settled on its own, like
   * the periodic sweep does.
   */
  async expireDueHolds(communityId: string, accountIds: string[]): Promise<number> {
    const due = await this.dataSource.query<Array<{ id: string }>>(
      `SELECT id FROM transfers
        WHERE community_id = $1 AND status = 'PENDING' AND expires_at <= now()
          AND (from_account_id = ANY($2::uuid[]) OR to_account_id = ANY($2::uuid[]))
        LIMIT 100`,
      [communityId, accountIds],
    );
    let expired = 0;
    for (const row of due) {
      try {
        await this.settle(communityId, { transferId: row.id, event: 'EXPIRE' });
        expired += 1;
      } catch (error) {
        // Settled meanwhile by someone else: nothing to release.
        if (!(error instanceof AppError && error.code === 'INVALID_STATE_TRANSITION')) throw error;
      }
    }
    return expired;
  }

  /**
   * Posts, voids or expires a pending transfer. The transfer row is locked
   * first, so that of a concurrent post and void exactly one finds it
   * pending; the other gets CONFLICT.
   */
  async settle(communityId: string, settlement: Settlement): Promise<TransferEntity> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await CommandStatements.owned(this.dataSource, { merge: true }, (statements) =>
          this.settleOnce(statements, communityId, settlement),
        );
      } catch (error) {
        if (!this.shouldRetry(error, attempt)) throw error;
      }
    }
  }

  /**
   * `settle` inside a transaction the caller owns, for commands that must
   * decide and settle under the same lock (a fund's vote that reaches its
   * threshold). It neither retries nor commits: the caller retries its whole
   * transaction on a transient conflict. Locking is the same as `settle`'s,
   * the transfer row first and then its accounts in id order, and taking the
   * transfer row again is harmless when the caller already holds it.
   */
  settleWithin(
    manager: EntityManager,
    communityId: string,
    settlement: Settlement,
  ): Promise<TransferEntity> {
    return this.settleOnce(CommandStatements.within(manager), communityId, settlement);
  }

  private async settleOnce(
    statements: CommandStatements,
    communityId: string,
    settlement: Settlement,
  ): Promise<TransferEntity> {
    await statements.begin();
    const transfer = await statements.manager
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
        statements,
        communityId,
        legs.map((leg) => leg.accountId),
      ),
    );
    const plan = planPosting(legs, locked.state, event === 'POST' ? 'POST_HELD' : 'RELEASE_HELD');
    const postedAt = event === 'POST' ? now : null;
    const entries = locked.apply(
      communityId,
      transfer.id,
      plan,
      postedAt,
      earningOf(transfer.kind, undefined),
    );
    const status =
      event === 'POST'
        ? TransferStatusEnum.POSTED
        : event === 'VOID'
          ? TransferStatusEnum.VOIDED
          : TransferStatusEnum.EXPIRED;
    const update = { id: transfer.id, status, postedAt, finishedAt: event === 'POST' ? null : now };
    await this.write(statements, communityId, {
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
      paymentRequestId: transfer.paymentRequestId ?? null,
      refundOf: transfer.refundOf ?? null,
      forced: transfer.force,
      warnings: [],
      createdAt: now,
      expiresAt: transfer.mode === 'HOLD' ? transfer.expiresAt : null,
      postedAt,
      finishedAt: null,
      policyVersion: null,
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

  /**
   * Locks accounts in id order and reads, in the same statement, the policy
   * version in force for each one's currency.
   */
  private async lockAccounts(
    statements: CommandStatements,
    communityId: string,
    ids: string[],
  ): Promise<LockedRow[]> {
    if (ids.length === 0) return [];
    const rows = await statements.query<Record<string, unknown>>(
      `SELECT a.community_id, a.id, a.currency_code, a.kind, a.name, a.owner_id, a.status,
              a.floor_minor::text, a.ceiling_minor::text, a.warning_minor::text, a.balance_minor::text,
              a.pending_debit_minor::text, a.pending_credit_minor::text, a.entry_count::text, a.last_hash,
              a.received_minor::text,
              a.created_at, a.updated_at, p.version AS policy_version, p.rules AS policy_rules
         FROM accounts a
         LEFT JOIN LATERAL (
           SELECT version, rules FROM currency_policies cp
            WHERE cp.community_id = a.community_id AND cp.currency_code = a.currency_code
            ORDER BY version DESC LIMIT 1) p ON true
        WHERE a.community_id = $1 AND a.id = ANY($2::uuid[])
        ORDER BY a.id
        FOR UPDATE OF a`,
      [communityId, ids],
    );
    return rows.map((row) => {
      const account = new AccountEntity();
      Object.assign(account, {
        communityId: row.community_id,
        id: row.id,
        currencyCode: row.currency_code,
        kind: row.kind,
        name: row.name,
        ownerId: row.owner_id,
        status: row.status,
        floorMinor: row.floor_minor,
        ceilingMinor: row.ceiling_minor,
        warningMinor: row.warning_minor,
        balanceMinor: row.balance_minor,
        pendingDebitMinor: row.pending_debit_minor,
        pendingCreditMinor: row.pending_credit_minor,
        entryCount: row.entry_count,
        lastHash: row.last_hash,
        receivedMinor: row.received_minor,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
      });
      return Object.assign(account, {
        policyVersion: row.policy_version as number | null,
        policyRules: row.policy_rules as PolicyRules | null,
      });
    });
  }

  /**
   * For transfers shaped by their currency's policy: locks the fee accounts
   * the policy names (a second, short lock; a deadlock it might cause is
   * retried like any other), and reads how much left each paying account in
   * the last 24 hours when a daily limit applies.
   */
  private async preparePolicy(
    statements: CommandStatements,
    communityId: string,
    transfers: NewTransfer[],
    outcomes: Array<Outcome | undefined>,
    locked: LockedAccounts,
  ): Promise<Map<string, bigint>> {
    const feeAccounts = new Set<string>();
    const limited = new Set<string>();
    transfers.forEach((transfer, index) => {
      if (outcomes[index] !== undefined || transfer.applyPolicy !== true) return;
      const from = locked.rows.get(transfer.fromAccountId);
      if (from === undefined) return;
      const rules = locked.policyOf(from.currencyCode)?.rules;
      const feeAccountId = rules?.transactionFeeAccountId;
      if (feeAccountId !== null && feeAccountId !== undefined && !locked.rows.has(feeAccountId)) {
        feeAccounts.add(feeAccountId);
      }
      if (rules?.dailyOutflowLimitMinor !== null && rules?.dailyOutflowLimitMinor !== undefined) {
        limited.add(from.id);
      }
    });
    if (feeAccounts.size > 0)
      locked.add(await this.lockAccounts(statements, communityId, [...feeAccounts]));
    const outflow = new Map<string, bigint>();
    if (limited.size > 0) {
      const sums = await statements.query<{ account_id: string; outflow: string }>(
        `SELECT account_id, (-sum(amount_minor))::text AS outflow FROM entries
          WHERE community_id = $1 AND account_id = ANY($2::uuid[]) AND amount_minor < 0
            AND posted_at > now() - interval '24 hours'
          GROUP BY account_id`,
        [communityId, [...limited]],
      );
      for (const row of sums) outflow.set(row.account_id, BigInt(row.outflow));
    }
    return outflow;
  }

  /**
   * Writes a command's effects in one statement: new transfers, settled
   * transfers, entries and account states, each passed as parallel arrays and
   * unnested. The entries trigger checks, after the statement, that they
   * balance and agree with the accounts they move.
   */
  private async write(
    statements: CommandStatements,
    communityId: string,
    changes: {
      inserts: TransferEntity[];
      updates: TransferUpdate[];
      entries: EntryWrite[];
      accounts: AccountWrite[];
    },
  ): Promise<void> {
    const parameters: unknown[] = [communityId];
    /** `unnest($2::uuid[], $3::bigint[], …) AS alias(a, b, …)` over the rows, one array per column. */
    const unnest = <R>(
      rows: R[],
      alias: string,
      columns: Array<[string, string, (row: R) => unknown]>,
    ): string => {
      const arrays = columns.map(([, type, value]) => {
        parameters.push(rows.map(value));
        return `$${parameters.length}::${type}[]`;
      });
      return `unnest(${arrays.join(', ')}) AS ${alias}(${columns.map(([name]) => name).join(', ')})`;
    };
    const iso = (date: Date | null) => date?.toISOString() ?? null;
    const parts: string[] = [];
    const { inserts, updates, entries, accounts } = changes;
    if (inserts.length > 0) {
      const columns: Array<[string, string, (row: TransferEntity) => unknown]> = [
        ['id', 'uuid', (row) => row.id],
        ['currency_code', 'varchar', (row) => row.currencyCode],
        ['kind', 'varchar', (row) => row.kind],
        ['status', 'varchar', (row) => row.status],
        ['amount_minor', 'bigint', (row) => row.amountMinor],
        ['from_account_id', 'uuid', (row) => row.fromAccountId],
        ['to_account_id', 'uuid', (row) => row.toAccountId],
        ['memo', 'varchar', (row) => row.memo],
        ['initiated_by', 'uuid', (row) => row.initiatedBy],
        ['idempotency_key', 'varchar', (row) => row.idempotencyKey],
        ['request_fingerprint', 'char(64)', (row) => row.requestFingerprint],
        ['legs', 'jsonb', (row) => JSON.stringify(row.legs)],
        ['reversal_of', 'uuid', (row) => row.reversalOf],
        ['forced', 'boolean', (row) => row.forced],
        ['warnings', 'jsonb', (row) => JSON.stringify(row.warnings)],
        ['created_at', 'timestamptz', (row) => iso(row.createdAt)],
        ['expires_at', 'timestamptz', (row) => iso(row.expiresAt)],
        ['posted_at', 'timestamptz', (row) => iso(row.postedAt)],
        ['policy_version', 'integer', (row) => row.policyVersion],
        ['payment_request_id', 'uuid', (row) => row.paymentRequestId],
        ['refund_of', 'uuid', (row) => row.refundOf],
      ];
      const names = columns.map(([name]) => name);
      const values = names.map((name) =>
        name === 'warnings' ? 'ARRAY(SELECT jsonb_array_elements_text(t.warnings))' : `t.${name}`,
      );
      parts.push(`inserted_transfers AS (
        INSERT INTO transfers (community_id, ${names.join(', ')})
        SELECT $1, ${values.join(', ')} FROM ${unnest(inserts, 't', columns)})`);
    }
    if (updates.length > 0) {
      parts.push(`settled_transfers AS (
        UPDATE transfers SET status = u.status, posted_at = u.posted_at, finished_at = u.finished_at
        FROM ${unnest(updates, 'u', [
          ['id', 'uuid', (row) => row.id],
          ['status', 'varchar', (row) => row.status],
          ['posted_at', 'timestamptz', (row) => iso(row.postedAt)],
          ['finished_at', 'timestamptz', (row) => iso(row.finishedAt)],
        ])}
        WHERE transfers.community_id = $1 AND transfers.id = u.id)`);
    }
    if (entries.length > 0) {
      parts.push(`inserted_entries AS (
        INSERT INTO entries (community_id, account_id, sequence, transfer_id, amount_minor, balance_after_minor,
          posted_at, hash)
        SELECT $1, e.account_id, e.sequence, e.transfer_id, e.amount_minor, e.balance_after_minor, e.posted_at, e.hash
        FROM ${unnest(entries, 'e', [
          ['account_id', 'uuid', (row) => row.accountId],
          ['sequence', 'bigint', (row) => row.sequence.toString()],
          ['transfer_id', 'uuid', (row) => row.transferId],
          ['amount_minor', 'bigint', (row) => row.amountMinor.toString()],
          ['balance_after_minor', 'bigint', (row) => row.balanceAfterMinor.toString()],
          ['posted_at', 'timestamptz', (row) => iso(row.postedAt)],
          ['hash', 'char(64)', (row) => row.hash],
        ])})`);
    }
    if (accounts.length > 0) {
      parts.push(`updated_accounts AS (
        UPDATE accounts SET balance_minor = a.balance_minor, pending_debit_minor = a.pending_debit_minor,
          pending_credit_minor = a.pending_credit_minor, entry_count = a.entry_count, last_hash = a.last_hash,
          received_minor = a.received_minor, updated_at = now()
        FROM ${unnest(accounts, 'a', [
          ['id', 'uuid', (row) => row.id],
          ['balance_minor', 'bigint', (row) => row.balanceMinor.toString()],
          ['pending_debit_minor', 'bigint', (row) => row.pendingDebitMinor.toString()],
          ['pending_credit_minor', 'bigint', (row) => row.pendingCreditMinor.toString()],
          ['entry_count', 'bigint', (row) => row.entryCount.toString()],
          ['last_hash', 'char(64)', (row) => row.lastHash],
          ['received_minor', 'bigint', (row) => row.receivedMinor.toString()],
        ])}
        WHERE accounts.community_id = $1 AND accounts.id = a.id)`);
    }
    if (parts.length === 0) {
      await statements.finish();
      return;
    }
    await statements.finish(`WITH ${parts.join(',\n')} SELECT 1`, parameters);
  }

  private shouldRetry(error: unknown, attempt: number): boolean {
    if (isTransientConflict(error) && attempt < MAX_ATTEMPTS) {
      this.logger.warn(
        { attempt, state: sqlState(error) },
        'retrying a ledger command after a transient database conflict',
      );
      return true;
    }
    return false;
  }
}

/** A refusal met before the idempotency keys were looked up (the single-transfer fast path). */
class RefusedBeforeReplayCheck extends Error {
  constructor(readonly refusal: AppError | LedgerError) {
    super(refusal.message);
  }
}

function isLimitRefusal(error: unknown): boolean {
  return (
    (error instanceof LedgerError || error instanceof AppError) &&
    (error.code === 'INSUFFICIENT_FUNDS' || error.code === 'CEILING_EXCEEDED')
  );
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
