import { TransferRecord } from './hash-chain';
import { LedgerPolicy } from './policy';
import { AccountStatus } from './posting';
import { TransferStatus } from './transfer-state';

/**
 * What the planner reads: the state of the locked accounts and of the
 * transfers a group of commands refers to, read in the group's transaction
 * after the locks were taken, and the policy in force of each currency as a
 * value. The planner never reads anything else.
 */

/** What an account is for (the GraphQL enum AccountKind has these values). */
export enum AccountKind {
  MEMBER = 'MEMBER',
  SHOP = 'SHOP',
  FUND = 'FUND',
  ISSUANCE = 'ISSUANCE',
  RESERVE = 'RESERVE',
  FEES = 'FEES',
}

export type AccountKindValue = `${AccountKind}`;

export interface AccountSnapshot {
  id: string;
  currencyCode: string;
  kind: AccountKindValue;
  name: string;
  ownerId: string | null;
  /** The owner's display name, for refusals that name the account. */
  ownerName: string | null;
  status: AccountStatus;
  balanceMinor: bigint;
  pendingDebitMinor: bigint;
  pendingCreditMinor: bigint;
  /** The account's own floor; "earn your limit" may lower the floor in force. */
  floorMinor: bigint | null;
  ceilingMinor: bigint | null;
  warningMinor: bigint | null;
  /** Received in trade, for "earn your limit". */
  receivedMinor: bigint;
  /** Everything ever credited and debited: the running totals entries carry. */
  totalInMinor: bigint;
  totalOutMinor: bigint;
  /** The head of the account's hash chain. */
  entryCount: bigint;
  lastHash: string;
  /**
   * The account's total out as it stood at the start of the daily-outflow
   * window (0 when it had no entry before it); null when no daily limit
   * applies. What left in the window is totalOutMinor minus this.
   */
  windowStartOutMinor: bigint | null;
}

export interface CurrencySnapshot {
  code: string;
  scale: number;
  /** The ISSUANCE account, null for a currency that has none. */
  issuanceAccountId: string | null;
  /** The newest policy version, null before the currency has one. */
  policy: LedgerPolicy | null;
}

/** A transfer already stored. */
export interface StoredTransfer {
  record: TransferRecord;
  status: TransferStatus;
  postedAt: Date | null;
  finishedAt: Date | null;
  warnings: readonly string[];
}

export interface LedgerSnapshot {
  communityId: string;
  /** The instant the group is planned at: createdAt and postedAt of what it writes. */
  now: Date;
  /** Every account the group asked to lock that exists, locked. */
  accounts: ReadonlyMap<string, AccountSnapshot>;
  /** The account ids the group asked for: one missing from `accounts` does not exist. */
  requestedAccountIds: ReadonlySet<string>;
  /** The currencies of the locked accounts, and of the reserves that back them. */
  currencies: ReadonlyMap<string, CurrencySnapshot>;
  /** Earlier transfers by initiator and idempotency key (see `keyOf`). */
  keyed: ReadonlyMap<string, StoredTransfer>;
  /** The transfers settle and reverse commands name, by id (pending ones locked). */
  referenced: ReadonlyMap<string, StoredTransfer>;
  /** Ids among `referenced` that have been reversed already. */
  reversed: ReadonlySet<string>;
  /** Pending transfers past their deadline on the locked accounts, locked, to expire first. */
  dueHolds: readonly StoredTransfer[];
}

/** The lookup key of an initiator's idempotency key. */
export function keyOf(userId: string, idempotencyKey: string): string {
  return `${userId}\u0000${idempotencyKey}`;
}
