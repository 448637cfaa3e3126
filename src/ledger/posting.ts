import { MAX_AMOUNT_MINOR } from './amount';
import { assert, LedgerError } from './ledger-error';

/**
 * Double entry, holds and account limits.
 *
 * A transfer is a list of legs, one per account, whose signed amounts sum to
 * exactly zero: a negative leg leaves its account (a debit), a positive leg
 * enters it (a credit). `validateLegs` enforces the shape: 2 to
 * MAX_LEGS_PER_TRANSFER legs, no zero leg, no magnitude above
 * MAX_AMOUNT_MINOR, and each account at most once, so that every transfer
 * writes at most one entry per account and an account's hash chain never holds
 * two entries of the same transfer.
 *
 * `planPosting` computes, without touching its inputs, what a transfer does to
 * its accounts in one of four modes:
 *
 * - POST applies the legs to the balances at once and yields the entries.
 * - HOLD reserves them for a pending transfer: a debited account's
 *   pendingDebitMinor grows by the debit, a credited account's
 *   pendingCreditMinor by the credit; balances do not change.
 * - POST_HELD posts a held transfer: it releases the reservation and applies
 *   the legs to the balances, yielding the entries.
 * - RELEASE_HELD releases the reservation of a voided or expired transfer.
 *
 * Limits. For every account the ledger keeps these two facts true:
 *
 *   (floor)    balanceMinor - pendingDebitMinor >= floorMinor
 *   (ceiling)  balanceMinor + pendingCreditMinor <= ceilingMinor
 *
 * POST and HOLD check them for each debited account (floor) and each credited
 * account (ceiling), counting pending debits against the floor and pending
 * credits against the ceiling, and refuse with INSUFFICIENT_FUNDS or
 * CEILING_EXCEEDED. A null floor or ceiling means no limit on that side (the
 * ISSUANCE account, whose negative balance is the money in circulation, has
 * no floor). Pending credits never count toward the floor: money that may
 * still be voided cannot be spent.
 *
 * Because of those checks, POST_HELD cannot break a limit: for a debited
 * account it lowers the balance and the pending debits by the same amount, so
 * balance - pendingDebit is unchanged, and symmetrically for the ceiling. It
 * therefore re-checks no floor or ceiling, even when a steward has changed the
 * limits since the hold: the reservation was a promise. It does re-check that
 * every account is OPEN, because a frozen or closed account moves no money;
 * the pending transfer then stays pending until it is voided or expires.
 * RELEASE_HELD checks nothing but the reservation itself, so a void or an
 * expiry always succeeds. A leg of POST_HELD or RELEASE_HELD without a
 * matching reservation is a bug in the caller, hence an assertion.
 *
 * `force` (steward-forced reversals) skips the floor and ceiling checks and
 * nothing else: currency and status are always checked, and so is the storage
 * range below.
 *
 * Storage range. Whatever the limits, the same two facts hold with
 * -MAX_BALANCE_MINOR in place of the floor and MAX_BALANCE_MINOR in place of
 * the ceiling (BALANCE_OUT_OF_RANGE otherwise, checked even under `force`).
 * It follows that |balanceMinor| <= MAX_BALANCE_MINOR and that pending totals
 * stay below 2 * MAX_BALANCE_MINOR, so every stored number fits a signed
 * 64-bit integer column.
 *
 * Warnings. `warningMinor` is a soft lower level: when a POST or HOLD takes an
 * account's available balance (balance - pendingDebit) from at or above that
 * level to below it, a BELOW_WARNING_LEVEL warning names the account. It is
 * reported when the level is crossed, not on every later debit, and never
 * refuses anything.
 */

export type AccountStatus = 'OPEN' | 'FROZEN' | 'CLOSED';
export const ACCOUNT_STATUSES: readonly AccountStatus[] = ['OPEN', 'FROZEN', 'CLOSED'];

export interface AccountLimitsState {
  id: string;
  currencyCode: string;
  status: AccountStatus;
  balanceMinor: bigint;
  pendingDebitMinor: bigint;
  pendingCreditMinor: bigint;
  /** The lowest allowed available balance; null for no lower limit. */
  floorMinor: bigint | null;
  /** The highest allowed balance including pending credits; null for no upper limit. */
  ceilingMinor: bigint | null;
  /** A soft lower level: crossing it downward is reported, never refused. */
  warningMinor?: bigint | null;
}

/** One account's part of a transfer; negative leaves the account. */
export interface Leg {
  accountId: string;
  amountMinor: bigint;
}

export const MAX_LEGS_PER_TRANSFER = 16;

/** The bound of every balance, whatever the account's limits (see the top of this file). */
export const MAX_BALANCE_MINOR = 10n ** 18n;

export type PostingMode = 'POST' | 'HOLD' | 'POST_HELD' | 'RELEASE_HELD';
export const POSTING_MODES: readonly PostingMode[] = ['POST', 'HOLD', 'POST_HELD', 'RELEASE_HELD'];

export interface PostingOptions {
  /** Skip the floor and ceiling checks (steward-forced reversals). */
  force?: boolean;
}

export interface PlannedEntry {
  accountId: string;
  amountMinor: bigint;
  balanceAfterMinor: bigint;
}

export interface PostingWarning {
  accountId: string;
  code: 'BELOW_WARNING_LEVEL';
}

export interface PostingPlan {
  /** One entry per leg, in leg order; empty for HOLD and RELEASE_HELD. */
  entries: PlannedEntry[];
  /** The new state of every account named by a leg, and of no other. */
  accounts: Map<string, AccountLimitsState>;
  warnings: PostingWarning[];
}

/** What the account could spend now: its balance less the debits it has promised. */
export function availableBalanceMinor(account: AccountLimitsState): bigint {
  return account.balanceMinor - account.pendingDebitMinor;
}

/**
 * Checks the shape of a transfer's legs (see the top of this file). Fewer than
 * two legs, a zero leg, an empty account id or a sum other than zero can only
 * come from a bug in the code that built the legs, so they fail assertions; a
 * zero fee, for instance, must be left out rather than written as a leg.
 */
export function validateLegs(legs: readonly Leg[]): void {
  assert(legs.length >= 2, `a transfer has at least 2 legs, got ${legs.length}`);
  if (legs.length > MAX_LEGS_PER_TRANSFER) {
    throw new LedgerError(
      'TOO_MANY_ENTRIES',
      `A transfer has at most ${MAX_LEGS_PER_TRANSFER} entries, got ${legs.length}`,
      { maxEntries: MAX_LEGS_PER_TRANSFER },
    );
  }
  const seenAccountIds = new Set<string>();
  let sumMinor = 0n;
  for (const leg of legs) {
    assert(leg.accountId.length > 0, 'every leg names an account');
    assert(leg.amountMinor !== 0n, `the leg of account ${leg.accountId} is not zero`);
    if (leg.amountMinor > MAX_AMOUNT_MINOR || leg.amountMinor < -MAX_AMOUNT_MINOR) {
      throw new LedgerError('AMOUNT_TOO_LARGE', 'An entry of the transfer is too large', {
        accountId: leg.accountId,
        maxAmountMinor: MAX_AMOUNT_MINOR.toString(),
      });
    }
    if (seenAccountIds.has(leg.accountId)) {
      throw new LedgerError('SAME_ACCOUNT', 'An account appears more than once in the transfer', {
        accountId: leg.accountId,
      });
    }
    seenAccountIds.add(leg.accountId);
    sumMinor += leg.amountMinor;
  }
  assert(sumMinor === 0n, `the legs of a transfer sum to zero, got ${sumMinor}`);
}

function requirePositiveAmount(amountMinor: bigint): void {
  if (amountMinor <= 0n) {
    throw new LedgerError('AMOUNT_NOT_POSITIVE', 'The amount must be greater than zero');
  }
}

/** The two legs of a plain transfer of `amountMinor` from one account to another. */
export function simpleTransferLegs(fromId: string, toId: string, amountMinor: bigint): Leg[] {
  if (fromId === toId) {
    throw new LedgerError('SAME_ACCOUNT', 'A transfer needs two different accounts', {
      accountId: fromId,
    });
  }
  requirePositiveAmount(amountMinor);
  const legs = [
    { accountId: fromId, amountMinor: -amountMinor },
    { accountId: toId, amountMinor },
  ];
  validateLegs(legs);
  return legs;
}

export interface FeeLeg {
  accountId: string;
  feeMinor: bigint;
}

/**
 * The legs of a transfer whose fees are taken out of the amount: `amountMinor`
 * leaves `fromId`, each fee goes to its account, and `toId` receives the rest.
 * Zero fees are left out. Refuses with FEE_EXCEEDS_AMOUNT when the fees would
 * leave the recipient nothing, SAME_ACCOUNT when an account appears twice.
 */
export function feeTransferLegs(
  fromId: string,
  toId: string,
  amountMinor: bigint,
  fees: readonly FeeLeg[],
): Leg[] {
  if (fromId === toId) {
    throw new LedgerError('SAME_ACCOUNT', 'A transfer needs two different accounts', {
      accountId: fromId,
    });
  }
  requirePositiveAmount(amountMinor);
  let totalFeeMinor = 0n;
  const feeLegs: Leg[] = [];
  for (const fee of fees) {
    assert(fee.feeMinor >= 0n, `the fee for account ${fee.accountId} is not negative`);
    if (fee.feeMinor === 0n) continue;
    totalFeeMinor += fee.feeMinor;
    feeLegs.push({ accountId: fee.accountId, amountMinor: fee.feeMinor });
  }
  if (totalFeeMinor >= amountMinor) {
    throw new LedgerError('FEE_EXCEEDS_AMOUNT', 'The fees would take the whole amount', {
      amountMinor: amountMinor.toString(),
      feeMinor: totalFeeMinor.toString(),
    });
  }
  const legs = [
    { accountId: fromId, amountMinor: -amountMinor },
    { accountId: toId, amountMinor: amountMinor - totalFeeMinor },
    ...feeLegs,
  ];
  validateLegs(legs);
  return legs;
}

/** The legs that undo a transfer: the same accounts with negated amounts. */
export function reversalLegs(legs: readonly Leg[]): Leg[] {
  validateLegs(legs);
  return legs.map((leg) => ({ accountId: leg.accountId, amountMinor: -leg.amountMinor }));
}

function checkAccountShape(account: AccountLimitsState, accountId: string): void {
  assert(account.id === accountId, `account ${accountId} is stored under its own id`);
  assert(account.pendingDebitMinor >= 0n, `pending debits of ${accountId} are not negative`);
  assert(account.pendingCreditMinor >= 0n, `pending credits of ${accountId} are not negative`);
}

function requireSameCurrency(accounts: readonly AccountLimitsState[]): void {
  const currencyCode = accounts[0].currencyCode;
  for (const account of accounts) {
    if (account.currencyCode !== currencyCode) {
      throw new LedgerError('CURRENCY_MISMATCH', 'All accounts of a transfer share one currency', {
        accountId: account.id,
        currencyCode: account.currencyCode,
        expectedCurrencyCode: currencyCode,
      });
    }
  }
}

function requireOpen(accounts: readonly AccountLimitsState[]): void {
  for (const account of accounts) {
    if (account.status !== 'OPEN') {
      throw new LedgerError('ACCOUNT_NOT_OPEN', `Account ${account.id} is ${account.status}`, {
        accountId: account.id,
        status: account.status,
      });
    }
  }
}

/**
 * The floor, ceiling and storage-range checks of one leg of a POST or HOLD,
 * against the account's state before the transfer (an account has one leg).
 * Details never include a credited account's balance: the payer must not
 * learn what the recipient holds.
 */
function checkLimits(account: AccountLimitsState, amountMinor: bigint, force: boolean): void {
  if (amountMinor < 0n) {
    const availableMinor = availableBalanceMinor(account);
    const availableAfterMinor = availableMinor + amountMinor;
    if (!force && account.floorMinor !== null && availableAfterMinor < account.floorMinor) {
      throw new LedgerError('INSUFFICIENT_FUNDS', `Account ${account.id} has insufficient funds`, {
        accountId: account.id,
        balanceMinor: account.balanceMinor.toString(),
        heldMinor: account.pendingDebitMinor.toString(),
        floorMinor: account.floorMinor.toString(),
        amountMinor: (-amountMinor).toString(),
      });
    }
    if (availableAfterMinor < -MAX_BALANCE_MINOR) {
      throw new LedgerError(
        'BALANCE_OUT_OF_RANGE',
        `The balance of account ${account.id} would leave the supported range`,
        { accountId: account.id },
      );
    }
  } else {
    const committedAfterMinor = account.balanceMinor + account.pendingCreditMinor + amountMinor;
    if (!force && account.ceilingMinor !== null && committedAfterMinor > account.ceilingMinor) {
      throw new LedgerError('CEILING_EXCEEDED', `Account ${account.id} would exceed its ceiling`, {
        accountId: account.id,
        amountMinor: amountMinor.toString(),
      });
    }
    if (committedAfterMinor > MAX_BALANCE_MINOR) {
      throw new LedgerError(
        'BALANCE_OUT_OF_RANGE',
        `The balance of account ${account.id} would leave the supported range`,
        { accountId: account.id },
      );
    }
  }
}

function checkReservation(account: AccountLimitsState, amountMinor: bigint): void {
  if (amountMinor < 0n) {
    assert(
      account.pendingDebitMinor >= -amountMinor,
      `account ${account.id} holds a pending debit of at least ${-amountMinor}`,
    );
  } else {
    assert(
      account.pendingCreditMinor >= amountMinor,
      `account ${account.id} holds a pending credit of at least ${amountMinor}`,
    );
  }
}

function debitOf(amountMinor: bigint): bigint {
  return amountMinor < 0n ? -amountMinor : 0n;
}

function creditOf(amountMinor: bigint): bigint {
  return amountMinor > 0n ? amountMinor : 0n;
}

function applyLeg(
  account: AccountLimitsState,
  amountMinor: bigint,
  mode: PostingMode,
): AccountLimitsState {
  const debitMinor = debitOf(amountMinor);
  const creditMinor = creditOf(amountMinor);
  switch (mode) {
    case 'POST':
      return { ...account, balanceMinor: account.balanceMinor + amountMinor };
    case 'HOLD':
      return {
        ...account,
        pendingDebitMinor: account.pendingDebitMinor + debitMinor,
        pendingCreditMinor: account.pendingCreditMinor + creditMinor,
      };
    case 'POST_HELD':
      return {
        ...account,
        balanceMinor: account.balanceMinor + amountMinor,
        pendingDebitMinor: account.pendingDebitMinor - debitMinor,
        pendingCreditMinor: account.pendingCreditMinor - creditMinor,
      };
    case 'RELEASE_HELD':
      return {
        ...account,
        pendingDebitMinor: account.pendingDebitMinor - debitMinor,
        pendingCreditMinor: account.pendingCreditMinor - creditMinor,
      };
  }
}

function crossedWarningLevel(before: AccountLimitsState, after: AccountLimitsState): boolean {
  const warningMinor = before.warningMinor;
  if (warningMinor === undefined || warningMinor === null) return false;
  return (
    availableBalanceMinor(before) >= warningMinor && availableBalanceMinor(after) < warningMinor
  );
}

/**
 * What a transfer's legs do to their accounts in `mode` (see the top of this
 * file). `accounts` must hold every account named by a leg; it may hold
 * others, which are ignored. Refuses with CURRENCY_MISMATCH, ACCOUNT_NOT_OPEN,
 * INSUFFICIENT_FUNDS, CEILING_EXCEEDED or BALANCE_OUT_OF_RANGE, checked in
 * that order (limits leg by leg), and with the refusals of `validateLegs`.
 * Never modifies its arguments.
 */
export function planPosting(
  legs: readonly Leg[],
  accounts: ReadonlyMap<string, AccountLimitsState>,
  mode: PostingMode,
  options: PostingOptions = {},
): PostingPlan {
  validateLegs(legs);
  const force = options.force === true;
  const before = legs.map((leg) => {
    const account = accounts.get(leg.accountId);
    assert(account !== undefined, `account ${leg.accountId} of the transfer is loaded`);
    checkAccountShape(account, leg.accountId);
    return account;
  });

  switch (mode) {
    case 'POST':
    case 'HOLD':
      requireSameCurrency(before);
      requireOpen(before);
      legs.forEach((leg, index) => checkLimits(before[index], leg.amountMinor, force));
      break;
    case 'POST_HELD':
      assertSameCurrency(before);
      requireOpen(before);
      legs.forEach((leg, index) => checkReservation(before[index], leg.amountMinor));
      break;
    case 'RELEASE_HELD':
      assertSameCurrency(before);
      legs.forEach((leg, index) => checkReservation(before[index], leg.amountMinor));
      break;
  }

  const after = legs.map((leg, index) => applyLeg(before[index], leg.amountMinor, mode));
  const postsToBalances = mode === 'POST' || mode === 'POST_HELD';
  const entries: PlannedEntry[] = postsToBalances
    ? legs.map((leg, index) => ({
        accountId: leg.accountId,
        amountMinor: leg.amountMinor,
        balanceAfterMinor: after[index].balanceMinor,
      }))
    : [];
  const warnings: PostingWarning[] =
    mode === 'POST' || mode === 'HOLD'
      ? before
          .filter((account, index) => crossedWarningLevel(account, after[index]))
          .map((account) => ({ accountId: account.id, code: 'BELOW_WARNING_LEVEL' }))
      : [];

  assertPlanInvariants(legs, before, after, mode, force);
  return {
    entries,
    accounts: new Map(after.map((account) => [account.id, account])),
    warnings,
  };
}

function assertSameCurrency(accounts: readonly AccountLimitsState[]): void {
  const currencyCode = accounts[0].currencyCode;
  for (const account of accounts) {
    assert(
      account.currencyCode === currencyCode,
      `held transfer's account ${account.id} is in ${currencyCode}`,
    );
  }
}

/**
 * The second check of the plan (the first being the refusals above): balance
 * changes sum to zero, holds and releases leave balances alone, pending totals
 * stay non-negative, every account stays within the storage range, posting a
 * held transfer leaves each account's side of the limits unchanged, and,
 * unless forced, a POST or HOLD leaves each debited account at or above its
 * floor and each credited account at or below its ceiling.
 */
function assertPlanInvariants(
  legs: readonly Leg[],
  before: readonly AccountLimitsState[],
  after: readonly AccountLimitsState[],
  mode: PostingMode,
  force: boolean,
): void {
  let balanceChangeMinor = 0n;
  legs.forEach((leg, index) => {
    const previous = before[index];
    const next = after[index];
    const committedMinor = next.balanceMinor + next.pendingCreditMinor;
    balanceChangeMinor += next.balanceMinor - previous.balanceMinor;
    assert(next.pendingDebitMinor >= 0n, `pending debits of ${next.id} stay non-negative`);
    assert(next.pendingCreditMinor >= 0n, `pending credits of ${next.id} stay non-negative`);
    assert(
      availableBalanceMinor(next) >= -MAX_BALANCE_MINOR && committedMinor <= MAX_BALANCE_MINOR,
      `account ${next.id} stays within the storage range`,
    );
    if (mode === 'HOLD' || mode === 'RELEASE_HELD') {
      assert(next.balanceMinor === previous.balanceMinor, `${next.id}: a hold moves no balance`);
    }
    if (mode === 'POST_HELD') {
      assert(
        leg.amountMinor < 0n
          ? availableBalanceMinor(next) === availableBalanceMinor(previous)
          : committedMinor === previous.balanceMinor + previous.pendingCreditMinor,
        `${next.id}: posting a held transfer keeps the reserved position`,
      );
    }
    if (force || (mode !== 'POST' && mode !== 'HOLD')) return;
    if (leg.amountMinor < 0n && previous.floorMinor !== null) {
      assert(
        availableBalanceMinor(next) >= previous.floorMinor,
        `${next.id} stays above its floor`,
      );
    }
    if (leg.amountMinor > 0n && previous.ceilingMinor !== null) {
      assert(committedMinor <= previous.ceilingMinor, `${next.id} stays below its ceiling`);
    }
  });
  assert(balanceChangeMinor === 0n, 'the balance changes of a transfer sum to zero');
}
