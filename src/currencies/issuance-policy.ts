import { registerEnumType } from '@nestjs/graphql';
import { FeePayer } from '../ledger';

/**
 * How money of a currency comes into being, and the rules its transfers
 * follow. MUTUAL_CREDIT: members start at zero and may go down to their
 * floor (time banks). BACKED: credits are minted against a reserve of
 * national money at a set rate, supply never above reserve × backing ratio,
 * and shops redeem credits back for national money less a fee.
 *
 * A policy is stored as numbered, append-only versions (currency_policies):
 * who wrote it, when, and the whole rule set as JSON, amounts in minor units
 * and rates as decimal strings so that they read back exactly. Every command
 * reads the newest version inside its own transaction, under the accounts'
 * locks, so that a transfer follows exactly one version.
 */
export enum IssuanceMode {
  MUTUAL_CREDIT = 'MUTUAL_CREDIT',
  BACKED = 'BACKED',
}

export enum DemurragePeriod {
  DAY = 'DAY',
  MONTH = 'MONTH',
  QUARTER = 'QUARTER',
}

export enum FeePayerEnum {
  PAYER = 'PAYER',
  RECEIVER = 'RECEIVER',
}

registerEnumType(IssuanceMode, { name: 'IssuanceMode' });
registerEnumType(DemurragePeriod, {
  name: 'DemurragePeriod',
  description: 'How often demurrage is charged: once per account per day, month or quarter.',
});
registerEnumType(FeePayerEnum, { name: 'FeePayer', description: 'Who bears a transaction fee.' });

export interface PolicyRules {
  mode: IssuanceMode;
  /** Floor given to new MEMBER and SHOP accounts. */
  defaultFloorMinor: string | null;
  defaultCeilingMinor: string | null;
  /** Paid once from ISSUANCE to each new MEMBER account (mutual credit). */
  onboardingGrantMinor?: string | null;
  reserveCurrencyCode: string | null;
  /** The RESERVE account, in the reserve currency, that backs this one. */
  reserveAccountId?: string | null;
  mintRate: string | null;
  backingRatio: string | null;
  redemptionFeePercent: string | null;
  redemptionFeeAccountId?: string | null;
  transactionFeePercent?: string | null;
  transactionFeeFixedMinor?: string | null;
  transactionFeePaidBy?: FeePayer;
  transactionFeeAccountId?: string | null;
  maxTransferMinor?: string | null;
  dailyOutflowLimitMinor?: string | null;
  /**
   * "Earn your limit" (mutual credit): the floor of MEMBER and SHOP accounts
   * goes down by `percent` of what they received in trade, by at most `capMinor`.
   */
  earnedCredit?: { percent: string; capMinor: string } | null;
  /** A holding fee on positive balances, charged once per account per period into a fund. */
  demurrage?: {
    percent: string;
    period: DemurragePeriod;
    accountKinds: string[];
    fundAccountId: string;
  } | null;
}
