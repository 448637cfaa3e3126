import Decimal from 'decimal.js';
import { convertMinor, convertMinorBack, percentOfMinor } from './amount';
import {
  AtomicBatchCommand,
  COMPANION_KEY_SUFFIX,
  DemurrageCommand,
  DisbursementRequestCommand,
  idempotencyKeysOf,
  Initiator,
  MintCommand,
  namedAccountIds,
  OnboardingGrantCommand,
  PostingCommand,
  RedeemCommand,
  referencedTransferIds,
  ReserveDepositCommand,
  ReverseCommand,
  SettleCommand,
  SYSTEM_TRANSFER_KINDS,
  TransferCommand,
  TransferKindValue,
} from './commands';
import {
  CURRENT_ENTRY_HASH_VERSION,
  entryHash,
  EntryHashVersion,
  TransferRecord,
  transferDigest,
} from './hash-chain';
import { assert, LedgerError } from './ledger-error';
import { earnedCreditRuleFor, LedgerPolicy } from './policy';
import {
  AccountLimitsState,
  Leg,
  planPosting,
  PostingMode,
  reversalLegs,
  simpleTransferLegs,
  validateLegs,
} from './posting';
import { AccountLabel, inUnits, supplyCapExceeded } from './refusals';
import {
  AccountSnapshot,
  CurrencySnapshot,
  keyOf,
  LedgerSnapshot,
  StoredTransfer,
} from './snapshot';
import { earnedFloorMinor, policyLegs } from './transfer-policy';
import { isExpired, TransferStatus } from './transfer-state';

/**
 * The posting planner: a group of commands against one snapshot of locked
 * accounts, in order, each seeing what the earlier ones did, without I/O.
 *
 * For each command the planner answers one of:
 *
 * - APPLIED, with the transfers it created or settled (their final state);
 * - REPLAYED, with the transfers an earlier use of its idempotency key made
 *   (in an earlier group, or earlier in this one);
 * - NOTHING, when the command legitimately had nothing to do (no onboarding
 *   grant in the policy, no demurrage on a balance of zero);
 * - REFUSED, with the LedgerError that says why, in the currency's units.
 *
 * A refused command leaves no trace: it is planned on a scratch copy of the
 * state that is thrown away, so it never affects the commands after it. An
 * atomic batch is one command. Before the commands, pending transfers past
 * their deadline on the locked accounts are expired, releasing their holds.
 *
 * Every rule of posting lives here or in the pure functions it calls:
 * ownership of the debited account and the kinds a plain transfer may not
 * touch (ISSUANCE, out of a FUND), floors (lowered by earned credit,
 * counting pending debits) and ceilings (posting.ts), fees, the largest
 * single transfer and the daily outflow (transfer-policy.ts), holds and their
 * expiry (transfer-state.ts), reversals once, the supply cap of a backed
 * currency, the onboarding grant, demurrage, and idempotency. The output is
 * the rows to write: new transfers, settled transfers, entries with their
 * balance after, running totals and version-2 hash, and the new state of
 * every account touched.
 */

export interface PlannedTransfer {
  record: TransferRecord;
  status: TransferStatus;
  postedAt: Date | null;
  finishedAt: Date | null;
  warnings: string[];
}

export type CommandResult =
  | { outcome: 'APPLIED'; transfers: PlannedTransfer[] }
  | { outcome: 'REPLAYED'; transfers: PlannedTransfer[] }
  | { outcome: 'NOTHING' }
  | { outcome: 'REFUSED'; error: LedgerError };

export interface PlannedEntryRow {
  accountId: string;
  sequence: bigint;
  transferId: string;
  amountMinor: bigint;
  balanceAfterMinor: bigint;
  totalInMinor: bigint;
  totalOutMinor: bigint;
  postedAt: Date;
  hash: string;
  hashVersion: EntryHashVersion;
}

export interface PlannedSettlement {
  transferId: string;
  status: 'POSTED' | 'VOIDED' | 'EXPIRED';
  postedAt: Date | null;
  finishedAt: Date | null;
}

export interface AccountWrite {
  id: string;
  balanceMinor: bigint;
  pendingDebitMinor: bigint;
  pendingCreditMinor: bigint;
  receivedMinor: bigint;
  totalInMinor: bigint;
  totalOutMinor: bigint;
  entryCount: bigint;
  lastHash: string;
}

export interface GroupPlan {
  results: CommandResult[];
  inserts: PlannedTransfer[];
  settlements: PlannedSettlement[];
  entries: PlannedEntryRow[];
  accounts: AccountWrite[];
}

/** Kinds whose credits count as "received in trade" for earn-your-limit. */
const EARNING_KINDS: ReadonlySet<string> = new Set(['EXCHANGE', 'PAYMENT']);

/** The mutable part of an account while a group is planned. */
interface AccountState {
  balanceMinor: bigint;
  pendingDebitMinor: bigint;
  pendingCreditMinor: bigint;
  receivedMinor: bigint;
  totalInMinor: bigint;
  totalOutMinor: bigint;
  entryCount: bigint;
  lastHash: string;
}

interface KeyUse {
  fingerprint: string;
  transfer: PlannedTransfer;
}

/**
 * The planning state: account states, transfers settled, keys used, what is
 * to be written. A fork reads through to its parent and is either merged
 * into it (the command was applied) or dropped (it was refused).
 */
class PlanState {
  private readonly accounts = new Map<string, AccountState>();
  private readonly statuses = new Map<string, PlannedTransfer>();
  private readonly keys = new Map<string, KeyUse>();
  private readonly reversed = new Set<string>();
  private readonly expired = new Set<string>();
  readonly inserts: PlannedTransfer[] = [];
  readonly settlements: PlannedSettlement[] = [];
  readonly entries: PlannedEntryRow[] = [];
  readonly touched = new Set<string>();

  constructor(
    readonly snapshot: LedgerSnapshot,
    private readonly parent: PlanState | null,
  ) {}

  fork(): PlanState {
    return new PlanState(this.snapshot, this);
  }

  merge(): void {
    const parent = this.parent;
    assert(parent !== null, 'only a fork is merged');
    for (const [id, state] of this.accounts) parent.accounts.set(id, state);
    for (const [id, transfer] of this.statuses) parent.statuses.set(id, transfer);
    for (const [key, use] of this.keys) parent.keys.set(key, use);
    for (const id of this.reversed) parent.reversed.add(id);
    for (const id of this.expired) parent.expired.add(id);
    for (const id of this.touched) parent.touched.add(id);
    parent.inserts.push(...this.inserts);
    parent.settlements.push(...this.settlements);
    parent.entries.push(...this.entries);
  }

  snapshotOf(accountId: string): AccountSnapshot | undefined {
    return this.snapshot.accounts.get(accountId);
  }

  stateOf(accountId: string): AccountState {
    const own = this.accounts.get(accountId);
    if (own !== undefined) return own;
    if (this.parent !== null) return this.parent.stateOf(accountId);
    const snapshot = this.snapshot.accounts.get(accountId);
    assert(snapshot !== undefined, `account ${accountId} is locked`);
    return {
      balanceMinor: snapshot.balanceMinor,
      pendingDebitMinor: snapshot.pendingDebitMinor,
      pendingCreditMinor: snapshot.pendingCreditMinor,
      receivedMinor: snapshot.receivedMinor,
      totalInMinor: snapshot.totalInMinor,
      totalOutMinor: snapshot.totalOutMinor,
      entryCount: snapshot.entryCount,
      lastHash: snapshot.lastHash,
    };
  }

  setState(accountId: string, state: AccountState): void {
    this.accounts.set(accountId, state);
    this.touched.add(accountId);
  }

  transferOf(id: string): PlannedTransfer | StoredTransfer | undefined {
    return (
      this.statuses.get(id) ??
      (this.parent !== null ? this.parent.transferOf(id) : this.snapshot.referenced.get(id))
    );
  }

  setTransfer(transfer: PlannedTransfer): void {
    this.statuses.set(transfer.record.id, transfer);
  }

  keyUse(key: string): KeyUse | undefined {
    return this.keys.get(key) ?? this.parent?.keyUse(key);
  }

  useKey(key: string, use: KeyUse): void {
    this.keys.set(key, use);
  }

  isReversed(id: string): boolean {
    return this.reversed.has(id) || (this.parent?.isReversed(id) ?? this.snapshot.reversed.has(id));
  }

  markReversed(id: string): void {
    this.reversed.add(id);
  }

  expiredInGroup(id: string): boolean {
    return this.expired.has(id) || (this.parent?.expiredInGroup(id) ?? false);
  }

  markExpired(id: string): void {
    this.expired.add(id);
  }
}

/** A transfer about to be posted or held, before its legs are applied. */
interface TransferDraft {
  id: string;
  kind: TransferKindValue;
  fromAccountId: string;
  toAccountId: string;
  amountMinor: bigint;
  legs: Leg[];
  memo: string | null;
  initiatedBy: string;
  idempotencyKey: string;
  fingerprint: string;
  reversalOf: string | null;
  forced: boolean;
  holdUntil: Date | null;
  /** For a reversal, the kind of the transfer it undoes. */
  reversedKind: string | null;
  links?: Readonly<Record<string, string>>;
}

/** Plans a group of commands; see the top of this file. `newId` names new transfers. */
export function planGroup(
  snapshot: LedgerSnapshot,
  commands: readonly PostingCommand[],
  newId: () => string,
): GroupPlan {
  const root = new PlanState(snapshot, null);
  const planner = new Planner(snapshot, newId);
  const attempt = (command: PostingCommand): CommandResult | LedgerError => {
    const scratch = root.fork();
    try {
      const result = planner.apply(scratch, command);
      scratch.merge();
      return result;
    } catch (error) {
      if (!(error instanceof LedgerError)) throw error;
      return error;
    }
  };
  const results = commands.map((command): CommandResult => {
    let result = attempt(command);
    // Pending transfers past their deadline hold funds until they are expired:
    // when they stand in the way, expire them and try the command once more.
    if (
      result instanceof LedgerError &&
      (result.code === 'INSUFFICIENT_FUNDS' || result.code === 'CEILING_EXCEEDED') &&
      planner.expireDueHolds(root, String(result.details.accountId)) > 0
    ) {
      result = attempt(command);
    }
    return result instanceof LedgerError
      ? { outcome: 'REFUSED', error: planner.inUnits(result, command) }
      : result;
  });
  return {
    results,
    inserts: root.inserts,
    settlements: root.settlements,
    entries: root.entries,
    accounts: [...root.touched].map((id) => ({ id, ...root.stateOf(id) })),
  };
}

/**
 * The accounts a group must lock: those its commands name, the legs of the
 * transfers they settle or reverse, and those the currencies' policies name
 * (fee accounts, reserves, the demurrage fund, ISSUANCE accounts). Called
 * before locking with what is known of the directory, and again on the
 * snapshot: an account the fresh policy names that was not locked yet is
 * locked then.
 */
export interface AccountDirectory {
  currencyOf(accountId: string): string | undefined;
  currency(code: string): Pick<CurrencySnapshot, 'issuanceAccountId' | 'policy'> | undefined;
  transfer(id: string): Pick<StoredTransfer, 'record'> | undefined;
}

export function accountsToLock(
  commands: readonly PostingCommand[],
  directory: AccountDirectory,
): Set<string> {
  const ids = new Set<string>();
  const add = (id: string | null | undefined) => {
    if (id !== null && id !== undefined) ids.add(id);
  };
  const currencyOfAccount = (accountId: string) => {
    const code = directory.currencyOf(accountId);
    return code === undefined ? undefined : directory.currency(code);
  };
  const addIssuance = (code: string | undefined) => {
    if (code !== undefined) add(directory.currency(code)?.issuanceAccountId);
  };
  const visit = (command: PostingCommand): void => {
    namedAccountIds(command).forEach(add);
    for (const id of referencedTransferIds(command)) {
      directory.transfer(id)?.record.legs.forEach((leg) => add(leg.accountId));
    }
    switch (command.type) {
      case 'TRANSFER':
        add(currencyOfAccount(command.fromAccountId)?.policy?.transfer.feeAccountId);
        return;
      case 'ATOMIC_BATCH':
        command.transfers.forEach(visit);
        return;
      case 'MINT': {
        const code = directory.currencyOf(command.accountId);
        addIssuance(code);
        add(currencyOfAccount(command.accountId)?.policy?.backing?.reserveAccountId);
        return;
      }
      case 'RESERVE_DEPOSIT': {
        const backing = directory.currency(command.currencyCode)?.policy?.backing;
        addIssuance(command.currencyCode);
        add(backing?.reserveAccountId);
        addIssuance(backing?.reserveCurrencyCode);
        return;
      }
      case 'REDEEM': {
        const code = directory.currencyOf(command.accountId);
        const backing = currencyOfAccount(command.accountId)?.policy?.backing;
        addIssuance(code);
        add(backing?.reserveAccountId);
        add(backing?.redemptionFeeAccountId);
        addIssuance(backing?.reserveCurrencyCode);
        return;
      }
      case 'ONBOARDING_GRANT':
        addIssuance(directory.currencyOf(command.accountId));
        return;
      case 'DEMURRAGE':
        add(currencyOfAccount(command.accountId)?.policy?.demurrage?.fundAccountId);
        return;
      case 'SETTLE':
      case 'REVERSE':
      case 'DISBURSEMENT_REQUEST':
        return;
    }
  };
  commands.forEach(visit);
  return ids;
}

/** The snapshot seen as a directory, for the second call of `accountsToLock`. */
export function snapshotDirectory(snapshot: LedgerSnapshot): AccountDirectory {
  return {
    currencyOf: (accountId) => snapshot.accounts.get(accountId)?.currencyCode,
    currency: (code) => snapshot.currencies.get(code),
    transfer: (id) => snapshot.referenced.get(id),
  };
}

/** The (initiator, key) pairs of a group, for the snapshot's lookup of earlier uses. */
export function groupKeys(
  commands: readonly PostingCommand[],
): Array<{ userId: string; key: string }> {
  return commands.flatMap(idempotencyKeysOf);
}

class Planner {
  constructor(
    private readonly snapshot: LedgerSnapshot,
    private readonly newId: () => string,
  ) {}

  apply(state: PlanState, command: PostingCommand): CommandResult {
    switch (command.type) {
      case 'TRANSFER':
        return this.keyed(state, [command], () => [this.transfer(state, command)]);
      case 'ATOMIC_BATCH':
        return this.atomicBatch(state, command);
      case 'SETTLE':
        return this.settleCommand(state, command);
      case 'REVERSE':
        return this.keyed(state, [command], () => [this.reverse(state, command)]);
      case 'MINT':
        return this.keyed(state, [command], () => [this.mint(state, command)]);
      case 'RESERVE_DEPOSIT':
        return this.keyed(state, companionKeys(command), () => this.deposit(state, command));
      case 'REDEEM':
        return this.keyed(state, companionKeys(command), () => this.redeem(state, command));
      case 'ONBOARDING_GRANT':
        return this.keyed(state, [command], () => this.grant(state, command));
      case 'DEMURRAGE':
        return this.keyed(state, [command], () => this.demurrage(state, command));
      case 'DISBURSEMENT_REQUEST':
        return this.keyed(state, [command], () => [this.disbursementRequest(state, command)]);
    }
  }

  /**
   * Expires the snapshot's pending transfers past their deadline that touch
   * `accountId` and whose accounts are all locked; returns how many.
   */
  expireDueHolds(root: PlanState, accountId: string): number {
    let expired = 0;
    for (const hold of this.snapshot.dueHolds) {
      const current = root.transferOf(hold.record.id) ?? hold;
      const legs = hold.record.legs;
      if (
        current.status !== 'PENDING' ||
        !legs.some((leg) => leg.accountId === accountId) ||
        !legs.every((leg) => this.snapshot.accounts.has(leg.accountId))
      ) {
        continue;
      }
      const scratch = root.fork();
      this.settle(scratch, current, 'EXPIRE');
      scratch.merge();
      expired += 1;
    }
    return expired;
  }

  /** Restates a refusal in the units of the account it names (or the command's first account). */
  inUnits(error: LedgerError, command: PostingCommand): LedgerError {
    const first = namedAccountIds(command).find((id) => this.snapshot.accounts.has(id));
    return inUnits(
      error,
      (id) => this.labelOf(id),
      first === undefined ? undefined : this.labelOf(first),
    );
  }

  private labelOf(accountId: string): AccountLabel | undefined {
    const account = this.snapshot.accounts.get(accountId);
    if (account === undefined) return undefined;
    const currency = this.snapshot.currencies.get(account.currencyCode);
    if (currency === undefined) return undefined;
    return {
      id: account.id,
      name: account.name,
      ownerName: account.ownerName,
      currencyCode: account.currencyCode,
      scale: currency.scale,
    };
  }

  /**
   * Idempotency. `keys` are the command's (initiator, key, fingerprint), one
   * per transfer it creates, the answering transfer last. When the first key
   * was used before, the command is a retry: the same request gets the
   * original transfers back, a different one IDEMPOTENCY_CONFLICT. Otherwise
   * it is planned, and its keys are recorded for the rest of the group.
   */
  private keyed(
    state: PlanState,
    keys: ReadonlyArray<{ initiator: Initiator; idempotencyKey: string; fingerprint: string }>,
    plan: () => PlannedTransfer[] | null,
  ): CommandResult {
    const found = keys.map((key) => this.keyUse(state, key.initiator.userId, key.idempotencyKey));
    const answering = found[found.length - 1];
    if (answering !== undefined) {
      if (answering.fingerprint !== keys[keys.length - 1].fingerprint) {
        throw new LedgerError(
          'IDEMPOTENCY_KEY_REUSED',
          'This idempotency key was already used for a different request',
          { field: 'idempotencyKey' },
        );
      }
      const originals = found.filter((use): use is KeyUse => use !== undefined);
      return {
        outcome: 'REPLAYED',
        transfers: originals.map((use) => this.current(state, use.transfer)),
      };
    }
    const transfers = plan();
    if (transfers === null) return { outcome: 'NOTHING' };
    // A command may create fewer transfers than it has keys (a redemption without a
    // reserve); its transfers take the keys from the end, the answering one last.
    const offset = keys.length - transfers.length;
    assert(offset >= 0, 'a command creates at most one transfer per key');
    transfers.forEach((transfer, index) => {
      const key = keys[offset + index];
      state.useKey(keyOf(key.initiator.userId, key.idempotencyKey), {
        fingerprint: key.fingerprint,
        transfer,
      });
    });
    return { outcome: 'APPLIED', transfers };
  }

  private keyUse(state: PlanState, userId: string, key: string): KeyUse | undefined {
    const lookup = keyOf(userId, key);
    const inGroup = state.keyUse(lookup);
    if (inGroup !== undefined) return inGroup;
    const stored = this.snapshot.keyed.get(lookup);
    if (stored === undefined) return undefined;
    return { fingerprint: stored.record.requestFingerprint, transfer: plannedOf(stored) };
  }

  /** A transfer as it stands now in the plan (it may have been settled since). */
  private current(state: PlanState, transfer: PlannedTransfer): PlannedTransfer {
    const now = state.transferOf(transfer.record.id);
    return now === undefined ? transfer : plannedOf(now);
  }

  private atomicBatch(state: PlanState, command: AtomicBatchCommand): CommandResult {
    const seen = new Set<string>();
    for (const transfer of command.transfers) {
      const key = keyOf(transfer.initiator.userId, transfer.idempotencyKey);
      if (seen.has(key)) {
        throw new LedgerError(
          'IDEMPOTENCY_KEY_REUSED',
          'The same idempotency key appears twice in this batch',
          { field: 'idempotencyKey' },
        );
      }
      seen.add(key);
    }
    const transfers: PlannedTransfer[] = [];
    let replayed = 0;
    for (const transfer of command.transfers) {
      const result = this.keyed(state, [transfer], () => [this.transfer(state, transfer)]);
      assert(result.outcome === 'APPLIED' || result.outcome === 'REPLAYED', 'a transfer applies');
      if (result.outcome === 'REPLAYED') replayed += 1;
      transfers.push(...result.transfers);
    }
    return { outcome: replayed === transfers.length ? 'REPLAYED' : 'APPLIED', transfers };
  }

  private account(accountId: string, field: string): AccountSnapshot {
    const account = this.snapshot.accounts.get(accountId);
    if (account === undefined) {
      assert(
        this.snapshot.requestedAccountIds.has(accountId),
        `account ${accountId} was asked for before planning`,
      );
      throw new LedgerError('ACCOUNT_NOT_FOUND', `No account ${accountId}`, {
        field,
        accountId,
      });
    }
    return account;
  }

  private currency(code: string): CurrencySnapshot {
    const currency = this.snapshot.currencies.get(code);
    assert(currency !== undefined, `currency ${code} of a locked account is known`);
    return currency;
  }

  private policyOf(code: string): LedgerPolicy | null {
    return this.currency(code).policy;
  }

  private issuanceOf(code: string): AccountSnapshot {
    const id = this.currency(code).issuanceAccountId;
    assert(id !== null, `currency ${code} has an ISSUANCE account`);
    return this.account(id, 'currencyCode');
  }

  // ---- ordinary transfers -------------------------------------------------

  private transfer(state: PlanState, command: TransferCommand): PlannedTransfer {
    if (SYSTEM_TRANSFER_KINDS.has(command.kind)) {
      throw new LedgerError(
        'SYSTEM_KIND',
        `${command.kind} transfers are made by their own operations (issuance, redemption, reversal, funds), not by transfer`,
        { field: 'kind' },
      );
    }
    if (command.kind === 'ADJUSTMENT' && !command.initiator.steward) {
      throw new LedgerError('STEWARDS_ONLY', 'Only stewards make adjustments', { field: 'kind' });
    }
    const from = this.account(command.fromAccountId, 'fromAccountId');
    const to = this.account(command.toAccountId, 'toAccountId');
    if (command.origin === 'USER' && !command.initiator.steward) {
      if (from.ownerId !== command.initiator.userId) {
        throw new LedgerError('NOT_YOURS', 'You may only move money out of your own accounts', {
          field: 'fromAccountId',
        });
      }
    }
    refusePolicyBypass(from, to);
    const policy = this.policyOf(from.currencyCode);
    const fromState = state.stateOf(from.id);
    const windowStart = from.windowStartOutMinor;
    const usedMinor = windowStart === null ? 0n : fromState.totalOutMinor - windowStart;
    const shaped = policyLegs(
      from.id,
      to.id,
      command.amountMinor,
      policy?.transfer ?? {
        maxTransferMinor: null,
        dailyOutflowLimitMinor: null,
        feePercent: null,
        feeFixedMinor: null,
        feePaidBy: 'PAYER',
        feeAccountId: null,
      },
      usedMinor,
    );
    return this.post(state, {
      id: this.newId(),
      kind: command.kind,
      fromAccountId: from.id,
      toAccountId: to.id,
      amountMinor: command.amountMinor,
      legs: shaped.legs,
      memo: command.memo,
      initiatedBy: command.initiator.userId,
      idempotencyKey: command.idempotencyKey,
      fingerprint: command.fingerprint,
      reversalOf: null,
      forced: false,
      holdUntil: command.holdUntil,
      reversedKind: null,
      links: command.links,
    });
  }

  private disbursementRequest(
    state: PlanState,
    command: DisbursementRequestCommand,
  ): PlannedTransfer {
    const fund = this.account(command.fundAccountId, 'fundAccountId');
    const to = this.account(command.toAccountId, 'toAccountId');
    if (to.kind === 'ISSUANCE') {
      throw new LedgerError(
        'POLICY_BYPASS',
        "Money enters or leaves the ISSUANCE account only through the currency's policy",
        { field: 'toAccountId' },
      );
    }
    if (!command.requesterIsFundSteward && to.ownerId !== command.initiator.userId) {
      throw new LedgerError(
        'NOT_YOURS',
        "Ask for aid into an account of yours; only the fund's stewards request payments to others",
        { field: 'toAccountId' },
      );
    }
    return this.post(state, {
      id: this.newId(),
      kind: 'DISBURSEMENT',
      fromAccountId: fund.id,
      toAccountId: to.id,
      amountMinor: command.amountMinor,
      legs: simpleTransferLegs(fund.id, to.id, command.amountMinor),
      memo: command.memo,
      initiatedBy: command.initiator.userId,
      idempotencyKey: command.idempotencyKey,
      fingerprint: command.fingerprint,
      reversalOf: null,
      forced: false,
      holdUntil: command.holdUntil,
      reversedKind: null,
    });
  }

  // ---- reversals and settlement -------------------------------------------

  private reverse(state: PlanState, command: ReverseCommand): PlannedTransfer {
    const original = state.transferOf(command.transferId);
    if (original === undefined) {
      throw new LedgerError('TRANSFER_NOT_FOUND', 'No such transfer', { field: 'transferId' });
    }
    if (original.status !== 'POSTED') {
      throw new LedgerError(
        'NOT_REVERSIBLE',
        `Only posted transfers can be reversed; this one is ${original.status}`,
        { field: 'transferId', status: original.status },
      );
    }
    if (original.record.kind === 'REVERSAL') {
      throw new LedgerError('NOT_REVERSIBLE', 'A reversal cannot itself be reversed', {
        field: 'transferId',
      });
    }
    if (state.isReversed(original.record.id)) {
      throw new LedgerError('ALREADY_REVERSED', 'This transfer has already been reversed', {
        field: 'transferId',
      });
    }
    state.markReversed(original.record.id);
    return this.post(state, {
      id: this.newId(),
      kind: 'REVERSAL',
      fromAccountId: original.record.toAccountId,
      toAccountId: original.record.fromAccountId,
      amountMinor: original.record.amountMinor,
      legs: reversalLegs(original.record.legs),
      memo: command.memo,
      initiatedBy: command.initiator.userId,
      idempotencyKey: command.idempotencyKey,
      fingerprint: command.fingerprint,
      reversalOf: original.record.id,
      forced: command.force,
      holdUntil: null,
      reversedKind: original.record.kind,
    });
  }

  private settleCommand(state: PlanState, command: SettleCommand): CommandResult {
    const transfer = state.transferOf(command.transferId);
    if (transfer === undefined) {
      throw new LedgerError('TRANSFER_NOT_FOUND', 'No such transfer', { field: 'id' });
    }
    if (transfer.status === 'EXPIRED' && state.expiredInGroup(transfer.record.id)) {
      // Its deadline passed and this group expired it a moment ago: the caller
      // learns it expired, as when the command itself finds it too late.
      return { outcome: 'APPLIED', transfers: [plannedOf(transfer)] };
    }
    if (transfer.status !== 'PENDING') {
      throw new LedgerError(
        'INVALID_STATE_TRANSITION',
        `The transfer is ${transfer.status}, no longer pending`,
        { status: transfer.status },
      );
    }
    let event = command.event;
    if (event === 'POST' && isExpired(transfer.record.expiresAt, this.snapshot.now)) {
      // Too late to post: the hold is released and the caller learns it expired.
      event = 'EXPIRE';
    }
    if (event !== 'EXPIRE' && command.authority.by === 'USER') {
      const initiator = command.authority.initiator;
      if (!initiator.steward && transfer.record.initiatedBy !== initiator.userId) {
        throw new LedgerError(
          'NOT_YOURS',
          'Only whoever created a pending transfer, or a steward, settles it',
        );
      }
      if (transfer.record.kind === 'DISBURSEMENT') {
        throw new LedgerError(
          'SETTLED_BY_VOTE',
          'A fund disbursement posts through its stewards’ approvals',
        );
      }
    }
    return { outcome: 'APPLIED', transfers: [this.settle(state, transfer, event)] };
  }

  /** Posts, voids or expires a pending transfer whose accounts are locked. */
  settle(
    state: PlanState,
    transfer: PlannedTransfer | StoredTransfer,
    event: 'POST' | 'VOID' | 'EXPIRE',
  ): PlannedTransfer {
    assert(transfer.status === 'PENDING', 'only a pending transfer settles');
    const legs = transfer.record.legs.map((leg) => ({ ...leg }));
    for (const leg of legs) this.account(leg.accountId, 'id');
    const now = this.snapshot.now;
    const postedAt = event === 'POST' ? now : null;
    this.applyLegs(
      state,
      transfer.record,
      legs,
      event === 'POST' ? 'POST_HELD' : 'RELEASE_HELD',
      false,
      postedAt,
      transfer.record.kind,
      null,
    );
    const settled: PlannedTransfer = {
      record: transfer.record,
      status: event === 'POST' ? 'POSTED' : event === 'VOID' ? 'VOIDED' : 'EXPIRED',
      postedAt,
      finishedAt: event === 'POST' ? null : now,
      warnings: [...transfer.warnings],
    };
    state.setTransfer(settled);
    if (event === 'EXPIRE') state.markExpired(transfer.record.id);
    state.settlements.push({
      transferId: transfer.record.id,
      status: settled.status as PlannedSettlement['status'],
      postedAt: settled.postedAt,
      finishedAt: settled.finishedAt,
    });
    return settled;
  }

  // ---- issuance -----------------------------------------------------------

  private mint(state: PlanState, command: MintCommand): PlannedTransfer {
    const target = this.account(command.accountId, 'accountId');
    const issuance = this.issuanceOf(target.currencyCode);
    const transfer = this.systemTransfer(state, command, {
      kind: 'ISSUANCE',
      from: issuance,
      to: target,
      amountMinor: command.amountMinor,
      idempotencyKey: command.idempotencyKey,
    });
    this.checkSupplyCap(state, target.currencyCode, command.amountMinor);
    return transfer;
  }

  private deposit(state: PlanState, command: ReserveDepositCommand): PlannedTransfer[] {
    const backing = this.backingOf(command.currencyCode);
    const target = this.account(command.accountId, 'accountId');
    if (target.currencyCode !== command.currencyCode) {
      throw new LedgerError(
        'CURRENCY_MISMATCH',
        `accountId: the account does not hold ${command.currencyCode}`,
        { field: 'accountId' },
      );
    }
    const reserve = this.account(backing.reserveAccountId, 'currencyCode');
    const creditsMinor = convertMinor(
      command.depositMinor,
      this.currency(backing.reserveCurrencyCode).scale,
      backing.mintRate,
      this.currency(command.currencyCode).scale,
    );
    const reserveMovement = this.systemTransfer(state, command, {
      kind: 'ISSUANCE',
      from: this.issuanceOf(backing.reserveCurrencyCode),
      to: reserve,
      amountMinor: command.depositMinor,
      idempotencyKey: `${command.idempotencyKey}${COMPANION_KEY_SUFFIX}`,
    });
    const credits = this.systemTransfer(state, command, {
      kind: 'ISSUANCE',
      from: this.issuanceOf(command.currencyCode),
      to: target,
      amountMinor: creditsMinor,
      idempotencyKey: command.idempotencyKey,
    });
    this.checkSupplyCap(state, command.currencyCode, creditsMinor);
    return [reserveMovement, credits];
  }

  private redeem(state: PlanState, command: RedeemCommand): PlannedTransfer[] {
    const source = this.account(command.accountId, 'accountId');
    if (!command.initiator.steward) {
      if (source.ownerId !== command.initiator.userId) {
        throw new LedgerError('NOT_YOURS', 'Shops redeem from their own accounts only', {
          field: 'accountId',
        });
      }
      if (source.kind !== 'SHOP') {
        throw new LedgerError('SHOPS_ONLY', 'Only shop accounts redeem credits', {
          field: 'accountId',
        });
      }
    }
    const policy = this.policyOf(source.currencyCode);
    if (policy?.backing === null && policy.mode === 'MUTUAL_CREDIT' && command.initiator.steward) {
      return [this.retire(state, command, source)];
    }
    const backing = this.backingOf(source.currencyCode);
    const feeMinor =
      backing.redemptionFeePercent === null
        ? 0n
        : percentOfMinor(command.amountMinor, backing.redemptionFeePercent);
    const netMinor = command.amountMinor - feeMinor;
    const payoutMinor =
      netMinor <= 0n
        ? 0n
        : convertMinorBack(
            netMinor,
            this.currency(source.currencyCode).scale,
            backing.mintRate,
            this.currency(backing.reserveCurrencyCode).scale,
          );
    if (netMinor <= 0n || payoutMinor <= 0n) {
      throw new LedgerError('AMOUNT_NOT_POSITIVE', 'amount: too small to redeem after the fee', {
        field: 'amount',
      });
    }
    const issuance = this.issuanceOf(source.currencyCode);
    const legs: Leg[] = [
      { accountId: source.id, amountMinor: -command.amountMinor },
      { accountId: issuance.id, amountMinor: netMinor },
    ];
    if (feeMinor > 0n) {
      if (backing.redemptionFeeAccountId === null) {
        throw new LedgerError('NO_FEE_ACCOUNT', 'The currency has no redemption fee account');
      }
      legs.push({
        accountId: this.account(backing.redemptionFeeAccountId, 'accountId').id,
        amountMinor: feeMinor,
      });
    }
    const reserve = this.account(backing.reserveAccountId, 'accountId');
    // The reserve pays out first; the credits return last, answering the command.
    const payout = this.systemTransfer(state, command, {
      kind: 'REDEMPTION',
      from: reserve,
      to: this.issuanceOf(backing.reserveCurrencyCode),
      amountMinor: payoutMinor,
      idempotencyKey: `${command.idempotencyKey}${COMPANION_KEY_SUFFIX}`,
    });
    const redemption = this.post(state, {
      id: this.newId(),
      kind: 'REDEMPTION',
      fromAccountId: source.id,
      toAccountId: issuance.id,
      amountMinor: command.amountMinor,
      legs,
      memo: command.memo,
      initiatedBy: command.initiator.userId,
      idempotencyKey: command.idempotencyKey,
      fingerprint: command.fingerprint,
      reversalOf: null,
      forced: false,
      holdUntil: null,
      reversedKind: null,
    });
    return [payout, redemption];
  }

  /**
   * Mutual credit has no reserve to pay out: a steward retires credit (a
   * member who leaves with a positive balance) by returning it to ISSUANCE,
   * the mirror of minting it.
   */
  private retire(
    state: PlanState,
    command: RedeemCommand,
    source: AccountSnapshot,
  ): PlannedTransfer {
    return this.systemTransfer(state, command, {
      kind: 'REDEMPTION',
      from: source,
      to: this.issuanceOf(source.currencyCode),
      amountMinor: command.amountMinor,
      idempotencyKey: command.idempotencyKey,
    });
  }

  private grant(state: PlanState, command: OnboardingGrantCommand): PlannedTransfer[] | null {
    const account = this.account(command.accountId, 'accountId');
    const grantMinor = this.policyOf(account.currencyCode)?.onboardingGrantMinor ?? null;
    if (account.kind !== 'MEMBER' || grantMinor === null || grantMinor <= 0n) return null;
    return [
      this.systemTransfer(state, command, {
        kind: 'ISSUANCE',
        from: this.issuanceOf(account.currencyCode),
        to: account,
        amountMinor: grantMinor,
        idempotencyKey: command.idempotencyKey,
      }),
    ];
  }

  private demurrage(state: PlanState, command: DemurrageCommand): PlannedTransfer[] | null {
    const account = this.account(command.accountId, 'accountId');
    const rules = this.policyOf(account.currencyCode)?.demurrage ?? null;
    if (
      rules === null ||
      account.id === rules.fundAccountId ||
      account.status !== 'OPEN' ||
      !rules.accountKinds.includes(account.kind)
    ) {
      return null;
    }
    const balanceMinor = state.stateOf(account.id).balanceMinor;
    const feeMinor = balanceMinor > 0n ? percentOfMinor(balanceMinor, rules.percent) : 0n;
    if (feeMinor <= 0n) return null;
    return [
      this.systemTransfer(state, command, {
        kind: 'DEMURRAGE',
        from: account,
        to: this.account(rules.fundAccountId, 'accountId'),
        amountMinor: feeMinor,
        idempotencyKey: command.idempotencyKey,
      }),
    ];
  }

  private backingOf(currencyCode: string) {
    const backing = this.snapshot.currencies.get(currencyCode)?.policy?.backing ?? null;
    if (backing === null || !this.snapshot.currencies.has(backing.reserveCurrencyCode)) {
      throw new LedgerError('NOT_BACKED', `${currencyCode} is not a currency backed by a reserve`, {
        field: 'currencyCode',
      });
    }
    return backing;
  }

  /** Refuses a mint that would take a backed currency's supply past reserve × rate × backing ratio. */
  private checkSupplyCap(state: PlanState, currencyCode: string, amountMinor: bigint): void {
    const backing = this.policyOf(currencyCode)?.backing ?? null;
    if (backing === null) return;
    const issuance = this.issuanceOf(currencyCode);
    const reserve = this.account(backing.reserveAccountId, 'accountId');
    const scale = this.currency(currencyCode).scale;
    // The mint has been applied: the supply after it is what ISSUANCE owes now.
    const supplyAfterMinor = -state.stateOf(issuance.id).balanceMinor;
    const capMinor = convertMinor(
      state.stateOf(reserve.id).balanceMinor,
      this.currency(backing.reserveCurrencyCode).scale,
      new Decimal(backing.mintRate).times(backing.backingRatio).toFixed(),
      scale,
    );
    if (supplyAfterMinor > capMinor) {
      throw supplyCapExceeded(
        currencyCode,
        scale,
        capMinor,
        supplyAfterMinor - amountMinor,
        amountMinor,
      );
    }
  }

  private systemTransfer(
    state: PlanState,
    command: { initiator: Initiator; fingerprint: string; memo: string | null },
    transfer: {
      kind: TransferKindValue;
      from: AccountSnapshot;
      to: AccountSnapshot;
      amountMinor: bigint;
      idempotencyKey: string;
    },
  ): PlannedTransfer {
    return this.post(state, {
      id: this.newId(),
      kind: transfer.kind,
      fromAccountId: transfer.from.id,
      toAccountId: transfer.to.id,
      amountMinor: transfer.amountMinor,
      legs: simpleTransferLegs(transfer.from.id, transfer.to.id, transfer.amountMinor),
      memo: command.memo,
      initiatedBy: command.initiator.userId,
      idempotencyKey: transfer.idempotencyKey,
      fingerprint: command.fingerprint,
      reversalOf: null,
      forced: false,
      holdUntil: null,
      reversedKind: null,
    });
  }

  // ---- applying legs ------------------------------------------------------

  /** Creates a transfer: posted now, or held until `holdUntil`. */
  private post(state: PlanState, draft: TransferDraft): PlannedTransfer {
    validateLegs(draft.legs);
    for (const leg of draft.legs) this.account(leg.accountId, 'accountId');
    const from = this.account(draft.fromAccountId, 'fromAccountId');
    const now = this.snapshot.now;
    const record: TransferRecord = {
      communityId: this.snapshot.communityId,
      id: draft.id,
      currencyCode: from.currencyCode,
      kind: draft.kind,
      amountMinor: draft.amountMinor,
      fromAccountId: draft.fromAccountId,
      toAccountId: draft.toAccountId,
      legs: draft.legs,
      memo: draft.memo,
      initiatedBy: draft.initiatedBy,
      idempotencyKey: draft.idempotencyKey,
      requestFingerprint: draft.fingerprint,
      reversalOf: draft.reversalOf,
      forced: draft.forced,
      createdAt: now,
      expiresAt: draft.holdUntil,
      policyVersion: this.policyOf(from.currencyCode)?.version ?? null,
      ...(draft.links === undefined ? {} : { links: draft.links }),
    };
    const held = draft.holdUntil !== null;
    const postedAt = held ? null : now;
    const warnings = this.applyLegs(
      state,
      record,
      draft.legs,
      held ? 'HOLD' : 'POST',
      draft.forced,
      postedAt,
      draft.kind,
      draft.reversedKind,
    );
    const transfer: PlannedTransfer = {
      record,
      status: held ? 'PENDING' : 'POSTED',
      postedAt,
      finishedAt: null,
      warnings,
    };
    state.setTransfer(transfer);
    state.inserts.push(transfer);
    return transfer;
  }

  /**
   * Applies legs to the locked accounts in `mode` through posting.ts's rules,
   * with the floor in force (earned credit lowers it), and writes the entries
   * of a posting with their running totals and hashes. Returns the warnings.
   */
  private applyLegs(
    state: PlanState,
    record: TransferRecord,
    legs: readonly Leg[],
    mode: PostingMode,
    force: boolean,
    postedAt: Date | null,
    kind: string,
    reversedKind: string | null,
  ): string[] {
    const limits = new Map<string, AccountLimitsState>();
    for (const leg of legs) {
      const account = this.account(leg.accountId, 'accountId');
      const current = state.stateOf(account.id);
      const rule = earnedCreditRuleFor(this.policyOf(account.currencyCode), account.kind);
      limits.set(account.id, {
        id: account.id,
        currencyCode: account.currencyCode,
        status: account.status,
        balanceMinor: current.balanceMinor,
        pendingDebitMinor: current.pendingDebitMinor,
        pendingCreditMinor: current.pendingCreditMinor,
        floorMinor: earnedFloorMinor(account.floorMinor, current.receivedMinor, rule),
        ceilingMinor: account.ceilingMinor,
        warningMinor: account.warningMinor,
      });
    }
    const plan = planPosting(legs, limits, mode, { force });
    // What undoes a trade (a reversal, a refund) takes back what that trade
    // earned; a trade itself earns its credits.
    const earning =
      reversedKind !== null
        ? EARNING_KINDS.has(reversedKind)
          ? 'REVERSED'
          : null
        : EARNING_KINDS.has(kind)
          ? 'RECEIVED'
          : null;
    const digest = plan.entries.length > 0 ? transferDigest(record) : '';
    for (const leg of legs) {
      const before = state.stateOf(leg.accountId);
      const after = plan.accounts.get(leg.accountId)!;
      const next: AccountState = {
        ...before,
        balanceMinor: after.balanceMinor,
        pendingDebitMinor: after.pendingDebitMinor,
        pendingCreditMinor: after.pendingCreditMinor,
      };
      const entry = plan.entries.find((planned) => planned.accountId === leg.accountId);
      if (entry !== undefined) {
        assert(postedAt !== null, 'entries are written only by a posting');
        const credit = entry.amountMinor > 0n;
        next.totalInMinor = before.totalInMinor + (credit ? entry.amountMinor : 0n);
        next.totalOutMinor = before.totalOutMinor + (credit ? 0n : -entry.amountMinor);
        if (earning === 'RECEIVED' && credit) {
          next.receivedMinor = before.receivedMinor + entry.amountMinor;
        } else if (earning === 'REVERSED' && !credit) {
          const left = before.receivedMinor + entry.amountMinor;
          next.receivedMinor = left > 0n ? left : 0n;
        }
        const sequence = before.entryCount + 1n;
        const hash = entryHash(before.lastHash, {
          communityId: this.snapshot.communityId,
          accountId: leg.accountId,
          sequence: Number(sequence),
          transferId: record.id,
          amountMinor: entry.amountMinor,
          balanceAfterMinor: entry.balanceAfterMinor,
          postedAt,
          hashVersion: CURRENT_ENTRY_HASH_VERSION,
          transferDigest: digest,
        });
        next.entryCount = sequence;
        next.lastHash = hash;
        state.entries.push({
          accountId: leg.accountId,
          sequence,
          transferId: record.id,
          amountMinor: entry.amountMinor,
          balanceAfterMinor: entry.balanceAfterMinor,
          totalInMinor: next.totalInMinor,
          totalOutMinor: next.totalOutMinor,
          postedAt,
          hash,
          hashVersion: CURRENT_ENTRY_HASH_VERSION,
        });
      }
      state.setState(leg.accountId, next);
    }
    return plan.warnings.map((warning) => `${warning.code}:${warning.accountId}`);
  }
}

/**
 * What a plain transfer or a standing order may not move, whoever asks: into
 * or out of ISSUANCE (only the currency's policy creates or destroys money),
 * and out of a FUND (only a disbursement its stewards approve).
 */
function refusePolicyBypass(from: AccountSnapshot, to: AccountSnapshot): void {
  if (from.kind === 'ISSUANCE' || to.kind === 'ISSUANCE') {
    throw new LedgerError(
      'POLICY_BYPASS',
      "Money enters or leaves the ISSUANCE account only through the currency's policy",
    );
  }
  if (from.kind === 'FUND') {
    throw new LedgerError(
      'POLICY_BYPASS',
      'Money leaves a fund only as a disbursement its stewards approve: use requestDisbursement',
      { field: 'fromAccountId' },
    );
  }
}

function companionKeys(command: ReserveDepositCommand | RedeemCommand) {
  return [
    {
      initiator: command.initiator,
      idempotencyKey: `${command.idempotencyKey}${COMPANION_KEY_SUFFIX}`,
      fingerprint: command.fingerprint,
    },
    command,
  ];
}

function plannedOf(transfer: PlannedTransfer | StoredTransfer): PlannedTransfer {
  return {
    record: transfer.record,
    status: transfer.status,
    postedAt: transfer.postedAt,
    finishedAt: transfer.finishedAt,
    warnings: [...transfer.warnings],
  };
}
