import Decimal from 'decimal.js';
import { percentOfMinor } from './amount';
import { LedgerError } from './ledger-error';
import { Leg, MAX_BALANCE_MINOR, simpleTransferLegs } from './posting';

/**
 * The rules of a currency's policy that shape an ordinary transfer, applied
 * under the accounts' locks with the version of the policy in force:
 *
 * - maximum single transfer: a larger amount is refused (LIMIT_EXCEEDED);
 * - daily outflow: what left the paying account in the last 24 hours plus
 *   this amount (and its fee, when the payer pays it) may not exceed the
 *   limit (LIMIT_EXCEEDED);
 * - transaction fee: percent of the amount (rounded half away from zero to a
 *   minor unit, see amount.ts) plus a fixed part, paid into the fee account
 *   as a third leg of the same transfer. When the PAYER pays, the payee gets
 *   the whole amount and the payer pays amount + fee; when the RECEIVER pays,
 *   the payer pays the amount and the payee gets amount − fee.
 *
 * The transfer's amount is always what left the payer's hands for its
 * purpose; fees appear only in the legs.
 */
export type FeePayer = 'PAYER' | 'RECEIVER';

export interface TransferRules {
  maxTransferMinor: bigint | null;
  dailyOutflowLimitMinor: bigint | null;
  feePercent: Decimal | string | null;
  feeFixedMinor: bigint | null;
  feePaidBy: FeePayer;
  feeAccountId: string | null;
}

export interface PolicyLegs {
  legs: Leg[];
  feeMinor: bigint;
  /** What this transfer takes out of the paying account, for the next daily-outflow check. */
  outflowMinor: bigint;
}

export const NO_TRANSFER_RULES: TransferRules = {
  maxTransferMinor: null,
  dailyOutflowLimitMinor: null,
  feePercent: null,
  feeFixedMinor: null,
  feePaidBy: 'PAYER',
  feeAccountId: null,
};

export function transferFeeMinor(amountMinor: bigint, rules: TransferRules): bigint {
  const percentPart =
    rules.feePercent === null ? 0n : percentOfMinor(amountMinor, rules.feePercent);
  return percentPart + (rules.feeFixedMinor ?? 0n);
}

export function policyLegs(
  fromId: string,
  toId: string,
  amountMinor: bigint,
  rules: TransferRules,
  outflowLast24hMinor: bigint,
): PolicyLegs {
  if (rules.maxTransferMinor !== null && amountMinor > rules.maxTransferMinor) {
    throw new LedgerError(
      'TRANSFER_LIMIT_EXCEEDED',
      'The amount is above the largest single transfer this currency allows',
      {
        maxMinor: rules.maxTransferMinor.toString(),
        amountMinor: amountMinor.toString(),
      },
    );
  }
  const feeAccountId = rules.feeAccountId;
  const feeMinor =
    feeAccountId === null || feeAccountId === fromId || feeAccountId === toId
      ? 0n
      : transferFeeMinor(amountMinor, rules);
  let legs: Leg[];
  let outflowMinor = amountMinor;
  if (feeMinor === 0n || feeAccountId === null) {
    legs = simpleTransferLegs(fromId, toId, amountMinor);
  } else if (rules.feePaidBy === 'PAYER') {
    outflowMinor = amountMinor + feeMinor;
    legs = [
      ...simpleTransferLegs(fromId, toId, amountMinor),
      { accountId: feeAccountId, amountMinor: feeMinor },
    ];
    legs[0] = { accountId: fromId, amountMinor: -outflowMinor };
  } else {
    if (feeMinor >= amountMinor) {
      throw new LedgerError('FEE_EXCEEDS_AMOUNT', 'The fee would take the whole amount', {
        feeMinor: feeMinor.toString(),
      });
    }
    legs = [
      { accountId: fromId, amountMinor: -amountMinor },
      { accountId: toId, amountMinor: amountMinor - feeMinor },
      { accountId: feeAccountId, amountMinor: feeMinor },
    ];
  }
  if (
    rules.dailyOutflowLimitMinor !== null &&
    outflowLast24hMinor + outflowMinor > rules.dailyOutflowLimitMinor
  ) {
    throw new LedgerError(
      'DAILY_LIMIT_EXCEEDED',
      'This would take the account past its daily outflow limit',
      {
        accountId: fromId,
        limitMinor: rules.dailyOutflowLimitMinor.toString(),
        usedMinor: outflowLast24hMinor.toString(),
        amountMinor: outflowMinor.toString(),
      },
    );
  }
  return { legs, feeMinor, outflowMinor };
}

/**
 * "Earn your limit": an account's floor goes down by `percent` percent of
 * what it has received in trade (rounded half away from zero, like every
 * percentage), by at most `capMinor`. An account without a floor keeps none.
 */
export interface EarnedCreditRule {
  percent: Decimal | string;
  capMinor: bigint;
}

export function earnedCreditMinor(receivedMinor: bigint, rule: EarnedCreditRule | null): bigint {
  if (rule === null || receivedMinor <= 0n) return 0n;
  const earned = percentOfMinor(receivedMinor, rule.percent);
  return earned < rule.capMinor ? earned : rule.capMinor;
}

export function earnedFloorMinor(
  baseFloorMinor: bigint | null,
  receivedMinor: bigint,
  rule: EarnedCreditRule | null,
): bigint | null {
  if (baseFloorMinor === null) return null;
  const floor = baseFloorMinor - earnedCreditMinor(receivedMinor, rule);
  return floor < -MAX_BALANCE_MINOR ? -MAX_BALANCE_MINOR : floor;
}
