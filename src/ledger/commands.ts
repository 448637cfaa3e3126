/**
 * The commands of the posting path, one variant per thing that moves money.
 *
 * A service builds a command from a request it has parsed and authorized as
 * far as it can without locks (who the caller is, which fields are valid);
 * everything that depends on the locked state of accounts is decided by the
 * planner (src/ledger/planner.ts): ownership of the debited account, limits,
 * fees, earned credit, the supply cap, idempotency. A command creates zero,
 * one or several transfers, all or none.
 *
 * Every command that creates a transfer carries the initiator's idempotency
 * key and the fingerprint of its request (idempotency.ts): a command whose
 * key the initiator used before is not applied again; its original transfers
 * come back, or IDEMPOTENCY_CONFLICT when the request differs. A command
 * creating several transfers gives each of its transfers a key of its own:
 * the command's key for the last (the one it answers with) and the key with
 * a suffix for the others.
 */

export const TRANSFER_KINDS = [
  'EXCHANGE',
  'PAYMENT',
  'ISSUANCE',
  'REDEMPTION',
  'FEE',
  'DEMURRAGE',
  'CONTRIBUTION',
  'DISBURSEMENT',
  'REVERSAL',
  'ADJUSTMENT',
] as const;
export type TransferKindValue = (typeof TRANSFER_KINDS)[number];

/** Kinds that only their own commands create, never a plain transfer. */
export const SYSTEM_TRANSFER_KINDS: ReadonlySet<TransferKindValue> = new Set([
  'ISSUANCE',
  'REDEMPTION',
  'FEE',
  'DEMURRAGE',
  'DISBURSEMENT',
  'REVERSAL',
]);

/** Who asked. `steward` is the community role: stewards may act on any account. */
export interface Initiator {
  userId: string;
  steward: boolean;
}

interface Keyed {
  initiator: Initiator;
  idempotencyKey: string;
  fingerprint: string;
  memo: string | null;
}

/**
 * An ordinary transfer, shaped by the currency's policy (maximum, daily
 * outflow, fee legs). `origin` says who decided it: a USER now (who must own
 * the debited account unless a steward), or a STANDING_ORDER its owner set up
 * earlier. Neither may move money into or out of ISSUANCE or out of a FUND.
 * With `holdUntil` the transfer is created PENDING and holds its amount until
 * posted, voided or expired.
 */
export interface TransferCommand extends Keyed {
  type: 'TRANSFER';
  origin: 'USER' | 'STANDING_ORDER';
  kind: TransferKindValue;
  fromAccountId: string;
  toAccountId: string;
  amountMinor: bigint;
  holdUntil: Date | null;
  /** Links to other records the transfer belongs to (e.g. the payment request it pays). */
  links?: Readonly<Record<string, string>>;
}

/** Several transfers of one initiator posted all or none (`transferBatch` with atomic). */
export interface AtomicBatchCommand {
  type: 'ATOMIC_BATCH';
  transfers: TransferCommand[];
}

/**
 * A pending transfer moves on. POST by its initiator or a steward (a
 * disbursement only through its fund's vote), VOID likewise, EXPIRE by the
 * system. A POST that comes after the deadline expires the transfer instead.
 */
export interface SettleCommand {
  type: 'SETTLE';
  transferId: string;
  event: 'POST' | 'VOID' | 'EXPIRE';
  /** USER: the initiator's rules; FUND_VOTE: decided by the fund's stewards; SYSTEM: expiry. */
  authority: { by: 'USER'; initiator: Initiator } | { by: 'FUND_VOTE' } | { by: 'SYSTEM' };
}

/** A steward undoes a posted transfer with its opposite legs, once; `force` overrides limits. */
export interface ReverseCommand extends Keyed {
  type: 'REVERSE';
  transferId: string;
  force: boolean;
}

/** New credits from the currency's ISSUANCE account; a backed currency's cap holds. */
export interface MintCommand extends Keyed {
  type: 'MINT';
  accountId: string;
  amountMinor: bigint;
}

/**
 * National money received for a member of a backed currency: the reserve
 * grows by `depositMinor` of the reserve currency and the member receives the
 * credits it buys at the mint rate, in one command.
 */
export interface ReserveDepositCommand extends Keyed {
  type: 'RESERVE_DEPOSIT';
  currencyCode: string;
  accountId: string;
  depositMinor: bigint;
}

/**
 * Credits back into national money: they return to ISSUANCE less the
 * redemption fee, and the reserve pays out the net amount at the mint rate.
 * In a mutual-credit currency, which has no reserve, a steward retires
 * credit this way: it returns to ISSUANCE, the mirror of a mint.
 */
export interface RedeemCommand extends Keyed {
  type: 'REDEEM';
  accountId: string;
  amountMinor: bigint;
}

/**
 * The onboarding grant of a member's account in a mutual-credit currency,
 * paid once per member and currency (its key is derived from both); nothing
 * when the policy has no grant.
 */
export interface OnboardingGrantCommand extends Keyed {
  type: 'ONBOARDING_GRANT';
  accountId: string;
}

/** The demurrage of one account for one period: a percent of its positive balance into the fund. */
export interface DemurrageCommand extends Keyed {
  type: 'DEMURRAGE';
  accountId: string;
}

/**
 * Money asked of a fund: a PENDING DISBURSEMENT that posts only when k of the
 * fund's stewards approve. Into the requester's own account unless the
 * requester is one of the fund's stewards.
 */
export interface DisbursementRequestCommand extends Keyed {
  type: 'DISBURSEMENT_REQUEST';
  fundAccountId: string;
  toAccountId: string;
  amountMinor: bigint;
  holdUntil: Date;
  requesterIsFundSteward: boolean;
}

export type PostingCommand =
  | TransferCommand
  | AtomicBatchCommand
  | SettleCommand
  | ReverseCommand
  | MintCommand
  | ReserveDepositCommand
  | RedeemCommand
  | OnboardingGrantCommand
  | DemurrageCommand
  | DisbursementRequestCommand;

/** The key suffix of the reserve-currency transfer of a deposit or redemption. */
export const COMPANION_KEY_SUFFIX = '#reserve';

/** The accounts a command names itself; the planner adds those its policy names. */
export function namedAccountIds(command: PostingCommand): string[] {
  switch (command.type) {
    case 'TRANSFER':
      return [command.fromAccountId, command.toAccountId];
    case 'ATOMIC_BATCH':
      return command.transfers.flatMap(namedAccountIds);
    case 'SETTLE':
    case 'REVERSE':
      return [];
    case 'MINT':
    case 'RESERVE_DEPOSIT':
    case 'REDEEM':
    case 'ONBOARDING_GRANT':
    case 'DEMURRAGE':
      return [command.accountId];
    case 'DISBURSEMENT_REQUEST':
      return [command.fundAccountId, command.toAccountId];
  }
}

/** The transfers a command refers to (pending ones to settle, posted ones to reverse). */
export function referencedTransferIds(command: PostingCommand): string[] {
  switch (command.type) {
    case 'SETTLE':
    case 'REVERSE':
      return [command.transferId];
    case 'ATOMIC_BATCH':
    case 'TRANSFER':
    case 'MINT':
    case 'RESERVE_DEPOSIT':
    case 'REDEEM':
    case 'ONBOARDING_GRANT':
    case 'DEMURRAGE':
    case 'DISBURSEMENT_REQUEST':
      return [];
  }
}

/** The (initiator, key) pairs a command would use, to look up earlier uses. */
export function idempotencyKeysOf(command: PostingCommand): Array<{ userId: string; key: string }> {
  switch (command.type) {
    case 'ATOMIC_BATCH':
      return command.transfers.flatMap(idempotencyKeysOf);
    case 'SETTLE':
      return [];
    case 'RESERVE_DEPOSIT':
    case 'REDEEM':
      return [
        { userId: command.initiator.userId, key: command.idempotencyKey },
        {
          userId: command.initiator.userId,
          key: `${command.idempotencyKey}${COMPANION_KEY_SUFFIX}`,
        },
      ];
    case 'TRANSFER':
    case 'REVERSE':
    case 'MINT':
    case 'ONBOARDING_GRANT':
    case 'DEMURRAGE':
    case 'DISBURSEMENT_REQUEST':
      return [{ userId: command.initiator.userId, key: command.idempotencyKey }];
  }
}
