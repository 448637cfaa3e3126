import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import Decimal from 'decimal.js';
import { formatAmount } from '../ledger';
import { CurrencyEntity, CurrencyKind } from './currency.entity';
import { IssuanceMode, PolicyRules } from './issuance-policy';

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
}

function minorText(value: string | null, scale: number): string | null {
  return value === null ? null : formatAmount(BigInt(value), scale);
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
    policy:
      rules === null || version === null
        ? null
        : {
            version,
            mode: rules.mode,
            defaultFloor: minorText(rules.defaultFloorMinor, entity.scale),
            defaultCeiling: minorText(rules.defaultCeilingMinor, entity.scale),
            reserveCurrencyCode: rules.reserveCurrencyCode,
            mintRate: rules.mintRate,
            backingRatio: rules.backingRatio,
            redemptionFeePercent: rules.redemptionFeePercent,
          },
  };
}
