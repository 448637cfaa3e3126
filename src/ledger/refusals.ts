import { formatAmount } from './amount';
import { LedgerError } from './ledger-error';

/**
 * Refusals in words a person can act on.
 *
 * The rules of posting.ts and transfer-policy.ts refuse in minor units and
 * account ids, which is what they know. Before a refusal leaves the planner
 * it is restated here in the currency's own units, naming the account the
 * way its owner knows it and saying what is still possible:
 *
 *   "Ana's HOUR account can send at most 16.50 HOUR (balance -3.50, floor -20.00)"
 *
 * Its details carry the same figures as decimal strings, named for what they
 * are: `available` (what can still be sent or minted), `balance`, `floor`,
 * `held` (pending debits), `limit`, `used`, `amount`, with `currencyCode`,
 * `accountId` and `accountName`. A credited account's balance is never part
 * of a refusal: the payer must not learn what the recipient holds.
 */

export interface AccountLabel {
  id: string;
  name: string;
  ownerName: string | null;
  currencyCode: string;
  scale: number;
}

/** "Ana's HOUR account", or "the HOUR account “fees HOUR”" when nobody owns it. */
export function accountPhrase(account: AccountLabel): string {
  return account.ownerName !== null
    ? `${account.ownerName}'s ${account.currencyCode} account`
    : `the ${account.currencyCode} account “${account.name}”`;
}

function capitalized(text: string): string {
  return text.length === 0 ? text : text[0].toUpperCase() + text.slice(1);
}

const minorOf = (details: Record<string, unknown>, name: string): bigint | null => {
  const value = details[name];
  return typeof value === 'string' && /^-?\d+$/.test(value) ? BigInt(value) : null;
};

/**
 * The refusal restated in units, when it is one of the limit refusals and its
 * account is known; any other error comes back as it is.
 */
export function inUnits(
  error: LedgerError,
  labelOf: (accountId: string) => AccountLabel | undefined,
  fallback: AccountLabel | undefined,
): LedgerError {
  const details = error.details as Record<string, unknown>;
  const accountId = typeof details.accountId === 'string' ? details.accountId : undefined;
  const account = (accountId === undefined ? undefined : labelOf(accountId)) ?? fallback;
  if (account === undefined) return error;
  const money = (minor: bigint) => formatAmount(minor, account.scale);
  const base = {
    accountId: account.id,
    accountName: account.name,
    currencyCode: account.currencyCode,
  };
  switch (error.code) {
    case 'INSUFFICIENT_FUNDS': {
      const balance = minorOf(details, 'balanceMinor');
      const held = minorOf(details, 'heldMinor') ?? 0n;
      const floor = minorOf(details, 'floorMinor');
      const amount = minorOf(details, 'amountMinor');
      if (balance === null || floor === null) return error;
      const availableMinor = balance - held - floor;
      const available = money(availableMinor > 0n ? availableMinor : 0n);
      const heldText = held > 0n ? `, ${money(held)} held for pending transfers` : '';
      return new LedgerError(
        error.code,
        `${capitalized(accountPhrase(account))} can send at most ${available} ${account.currencyCode} ` +
          `(balance ${money(balance)}, floor ${money(floor)}${heldText})`,
        {
          ...base,
          available,
          balance: money(balance),
          floor: money(floor),
          held: money(held),
          ...(amount === null ? {} : { amount: money(amount) }),
        },
      );
    }
    case 'CEILING_EXCEEDED': {
      const amount = minorOf(details, 'amountMinor');
      return new LedgerError(
        error.code,
        `${capitalized(accountPhrase(account))} cannot receive ${amount === null ? 'this amount' : `${money(amount)} ${account.currencyCode}`}: it would pass the account's ceiling`,
        { ...base, ...(amount === null ? {} : { amount: money(amount) }) },
      );
    }
    case 'TRANSFER_LIMIT_EXCEEDED': {
      const limit = minorOf(details, 'maxMinor');
      const amount = minorOf(details, 'amountMinor');
      if (limit === null) return error;
      return new LedgerError(
        error.code,
        `A single ${account.currencyCode} transfer may be at most ${money(limit)} ${account.currencyCode}` +
          (amount === null ? '' : ` (asked ${money(amount)})`),
        {
          currencyCode: account.currencyCode,
          limit: money(limit),
          ...(amount === null ? {} : { amount: money(amount) }),
        },
      );
    }
    case 'DAILY_LIMIT_EXCEEDED': {
      const limit = minorOf(details, 'limitMinor');
      const used = minorOf(details, 'usedMinor') ?? 0n;
      const amount = minorOf(details, 'amountMinor');
      if (limit === null) return error;
      const left = limit - used > 0n ? limit - used : 0n;
      return new LedgerError(
        error.code,
        `${capitalized(accountPhrase(account))} may send ${money(limit)} ${account.currencyCode} in 24 hours: ` +
          `${money(used)} already sent, so at most ${money(left)} more now`,
        {
          ...base,
          limit: money(limit),
          used: money(used),
          available: money(left),
          ...(amount === null ? {} : { amount: money(amount) }),
        },
      );
    }
    case 'BALANCE_OUT_OF_RANGE':
      return new LedgerError(
        error.code,
        `${capitalized(accountPhrase(account))} would leave the range of balances Mutua can keep`,
        base,
      );
    default:
      return error;
  }
}

/** A mint that would take a backed currency's supply past what its reserve backs. */
export function supplyCapExceeded(
  currencyCode: string,
  scale: number,
  capMinor: bigint,
  supplyMinor: bigint,
  amountMinor: bigint,
): LedgerError {
  const money = (minor: bigint) => formatAmount(minor, scale);
  const headroom = capMinor - supplyMinor > 0n ? capMinor - supplyMinor : 0n;
  return new LedgerError(
    'SUPPLY_CAP_EXCEEDED',
    `Minting ${money(amountMinor)} ${currencyCode} would put more in circulation than the reserve backs: ` +
      `the reserve backs ${money(capMinor)}, ${money(supplyMinor)} are in circulation, ` +
      `so at most ${money(headroom)} can be minted`,
    {
      currencyCode,
      limit: money(capMinor),
      supply: money(supplyMinor),
      available: money(headroom),
      amount: money(amountMinor),
    },
  );
}
