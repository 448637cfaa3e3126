import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import Decimal from 'decimal.js';
import { formatAmount } from '../ledger';
import { CurrencyEntity, CurrencyKind } from './currency.entity';
import { DemurragePeriod, FeePayerEnum, IssuanceMode, PolicyRules } from './issuance-policy';

registerEnumType(CurrencyKind, { name: 'CurrencyKind' });

@ObjectType()
export class IssuancePolicy {
  @Field(() => Int)
  version!: number;

  @Field(() => IssuanceMode)
  mode!: IssuanceMode;

  @Field(() => Decimal, { nullable: true })
  defaultFloor!: string | null;

  @Field(() => Decimal, { nullable: true })
  defaultCeiling!: string | null;

  @Field(() => String, { nullable: true })
  reserveCurrencyCode!: string | null;

  @Field(() => Decimal, { nullable: true })
  mintRate!: string | null;

  @Field(() => Decimal, { nullable: true })
  backingRatio!: string | null;

  @Field(() => Decimal, { nullable: true })
  redemptionFeePercent!: string | null;

  @Field(() => ID, { nullable: true })
  reserveAccountId!: string | null;

  @Field(() => ID, { nullable: true })
  redemptionFeeAccountId!: string | null;

  @Field(() => Decimal, { nullable: true })
  onboardingGrant!: string | null;

  @Field(() => Decimal, {
    nullable: true,
    description: 'Earn your limit: percent of what is received in trade that lowers the floor.',
  })
  earnedCreditPercent!: string | null;

  @Field(() => Decimal, {
    nullable: true,
    description: 'Earn your limit: the most it lowers a floor by.',
  })
  earnedCreditCap!: string | null;

  @Field(() => Decimal, { nullable: true })
  transactionFeePercent!: string | null;

  @Field(() => Decimal, { nullable: true })
  transactionFeeFixed!: string | null;

  @Field(() => FeePayerEnum)
  transactionFeePaidBy!: FeePayerEnum;

  @Field(() => ID, { nullable: true })
  transactionFeeAccountId!: string | null;

  @Field(() => Decimal, { nullable: true })
  maxTransfer!: string | null;

  @Field(() => Decimal, { nullable: true })
  dailyOutflowLimit!: string | null;

  @Field(() => Decimal, { nullable: true })
  demurragePercent!: string | null;

  @Field(() => DemurragePeriod, { nullable: true })
  demurragePeriod!: DemurragePeriod | null;

  @Field(() => ID, { nullable: true })
  demurrageFundAccountId!: string | null;
}

@ObjectType()
export class Currency {
  @Field()
  code!: string;

  @Field()
  name!: string;

  @Field(() => CurrencyKind)
  kind!: CurrencyKind;

  @Field(() => Int)
  scale!: number;

  @Field(() => IssuancePolicy, { nullable: true, description: 'The policy version in force.' })
  policy!: IssuancePolicy | null;

  /** The rules of that version as stored, for field resolvers that apply them. */
  rules!: PolicyRules | null;
}

function minorText(value: string | null | undefined, scale: number): string | null {
  return value === null || value === undefined ? null : formatAmount(BigInt(value), scale);
}

export function toIssuancePolicy(
  rules: PolicyRules,
  version: number,
  scale: number,
): IssuancePolicy {
  return {
    version,
    mode: rules.mode as IssuanceMode,
    defaultFloor: minorText(rules.defaultFloorMinor, scale),
    defaultCeiling: minorText(rules.defaultCeilingMinor, scale),
    reserveCurrencyCode: rules.reserveCurrencyCode,
    mintRate: rules.mintRate,
    backingRatio: rules.backingRatio,
    redemptionFeePercent: rules.redemptionFeePercent,
    reserveAccountId: rules.reserveAccountId ?? null,
    redemptionFeeAccountId: rules.redemptionFeeAccountId ?? null,
    onboardingGrant: minorText(rules.onboardingGrantMinor, scale),
    earnedCreditPercent: rules.earnedCredit?.percent ?? null,
    earnedCreditCap: minorText(rules.earnedCredit?.capMinor, scale),
    transactionFeePercent: rules.transactionFeePercent ?? null,
    transactionFeeFixed: minorText(rules.transactionFeeFixedMinor, scale),
    transactionFeePaidBy: (rules.transactionFeePaidBy ?? 'PAYER') as FeePayerEnum,
    transactionFeeAccountId: rules.transactionFeeAccountId ?? null,
    maxTransfer: minorText(rules.maxTransferMinor, scale),
    dailyOutflowLimit: minorText(rules.dailyOutflowLimitMinor, scale),
    demurragePercent: rules.demurrage?.percent ?? null,
    demurragePeriod: (rules.demurrage?.period ?? null) as DemurragePeriod | null,
    demurrageFundAccountId: rules.demurrage?.fundAccountId ?? null,
  };
}

export function toCurrency(
  entity: CurrencyEntity,
  rules: PolicyRules | null,
  version: number | null,
): Currency {
  return {
    code: entity.code,
    name: entity.name,
    kind: entity.kind,
    scale: entity.scale,
    rules: rules === null || version === null ? null : rules,
    policy:
      rules === null || version === null ? null : toIssuancePolicy(rules, version, entity.scale),
  };
}
