import { EarnedCreditRule, FeePayer, NO_TRANSFER_RULES, TransferRules } from './transfer-policy';

/**
 * A currency's issuance policy, as stored and as the planner reads it.
 *
 * A policy is kept as numbered, append-only versions (currency_policies):
 * who wrote it, when, and the whole rule set as JSON (`StoredPolicyRules`),
 * amounts in minor units and rates as decimal strings so that they read back
 * exactly. Every command reads the newest version under its accounts' locks,
 * so a transfer follows exactly one version, and records which.
 *
 * `LedgerPolicy` is that JSON read once into typed values: the rules of an
 * ordinary transfer (fee, maximum, daily outflow), "earn your limit", the
 * onboarding grant, the backing of a BACKED currency and demurrage.
 */
export type IssuanceModeValue = 'MUTUAL_CREDIT' | 'BACKED';
export type DemurragePeriodValue = 'DAY' | 'MONTH' | 'QUARTER';

export interface StoredPolicyRules {
  mode: IssuanceModeValue;
  /** Floor given to new MEMBER and SHOP accounts. */
  defaultFloorMinor: string | null;
  defaultCeilingMinor: string | null;
  /** Paid once from ISSUANCE to each new member (mutual credit). */
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
    period: DemurragePeriodValue;
    accountKinds: string[];
    fundAccountId: string;
  } | null;
}

/** What backs a BACKED currency: supply ≤ reserve × mintRate × backingRatio. */
export interface BackingRules {
  reserveCurrencyCode: string;
  reserveAccountId: string;
  mintRate: string;
  backingRatio: string;
  redemptionFeePercent: string | null;
  redemptionFeeAccountId: string | null;
}

export interface DemurrageRules {
  percent: string;
  period: DemurragePeriodValue;
  accountKinds: readonly string[];
  fundAccountId: string;
}

export interface LedgerPolicy {
  version: number;
  mode: IssuanceModeValue;
  transfer: TransferRules;
  /** Applies to MEMBER and SHOP accounts only (see `earnedCreditRuleFor`). */
  earnedCredit: EarnedCreditRule | null;
  onboardingGrantMinor: bigint | null;
  backing: BackingRules | null;
  demurrage: DemurrageRules | null;
}

const minor = (value: string | null | undefined): bigint | null =>
  value === null || value === undefined ? null : BigInt(value);

/** The part of a stored policy that shapes ordinary transfers. */
export function transferRulesOf(rules: StoredPolicyRules | null | undefined): TransferRules {
  if (rules === null || rules === undefined) return NO_TRANSFER_RULES;
  return {
    maxTransferMinor: minor(rules.maxTransferMinor),
    dailyOutflowLimitMinor: minor(rules.dailyOutflowLimitMinor),
    feePercent: rules.transactionFeePercent ?? null,
    feeFixedMinor: minor(rules.transactionFeeFixedMinor),
    feePaidBy: rules.transactionFeePaidBy ?? 'PAYER',
    feeAccountId: rules.transactionFeeAccountId ?? null,
  };
}

/** The account kinds whose floor "earn your limit" lowers. */
const EARNING_ACCOUNT_KINDS: ReadonlySet<string> = new Set(['MEMBER', 'SHOP']);

/** The "earn your limit" rule of a stored policy for an account of this kind, or null. */
export function earnedCreditRuleOf(
  rules: StoredPolicyRules | null | undefined,
  accountKind: string,
): EarnedCreditRule | null {
  const earned = rules?.earnedCredit;
  if (earned === null || earned === undefined || !EARNING_ACCOUNT_KINDS.has(accountKind)) {
    return null;
  }
  return { percent: earned.percent, capMinor: BigInt(earned.capMinor) };
}

/** The rule of a read policy for an account of this kind, or null. */
export function earnedCreditRuleFor(
  policy: LedgerPolicy | null,
  accountKind: string,
): EarnedCreditRule | null {
  if (policy === null || !EARNING_ACCOUNT_KINDS.has(accountKind)) return null;
  return policy.earnedCredit;
}

/** A stored policy version read into the values the planner uses. */
export function readPolicy(version: number, rules: StoredPolicyRules): LedgerPolicy {
  const earned = rules.earnedCredit;
  const backed =
    rules.mode === 'BACKED' &&
    rules.reserveCurrencyCode !== null &&
    rules.reserveAccountId !== null &&
    rules.reserveAccountId !== undefined &&
    rules.mintRate !== null;
  return {
    version,
    mode: rules.mode,
    transfer: transferRulesOf(rules),
    earnedCredit:
      earned === null || earned === undefined
        ? null
        : { percent: earned.percent, capMinor: BigInt(earned.capMinor) },
    onboardingGrantMinor: rules.mode === 'MUTUAL_CREDIT' ? minor(rules.onboardingGrantMinor) : null,
    backing: backed
      ? {
          reserveCurrencyCode: rules.reserveCurrencyCode!,
          reserveAccountId: rules.reserveAccountId!,
          mintRate: rules.mintRate!,
          backingRatio: rules.backingRatio ?? '1',
          redemptionFeePercent: rules.redemptionFeePercent,
          redemptionFeeAccountId: rules.redemptionFeeAccountId ?? null,
        }
      : null,
    demurrage:
      rules.demurrage === null || rules.demurrage === undefined
        ? null
        : {
            percent: rules.demurrage.percent,
            period: rules.demurrage.period,
            accountKinds: rules.demurrage.accountKinds,
            fundAccountId: rules.demurrage.fundAccountId,
          },
  };
}

/**
 * The accounts a command under this policy may touch besides the ones it
 * names: the fee account of transfers, the reserve and redemption-fee
 * accounts of a backed currency, the fund demurrage pays into.
 */
export function policyAccountIds(rules: StoredPolicyRules | null | undefined): {
  transferFee: string | null;
  reserve: string | null;
  redemptionFee: string | null;
  demurrageFund: string | null;
} {
  return {
    transferFee: rules?.transactionFeeAccountId ?? null,
    reserve: rules?.reserveAccountId ?? null,
    redemptionFee: rules?.redemptionFeeAccountId ?? null,
    demurrageFund: rules?.demurrage?.fundAccountId ?? null,
  };
}
