import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  IsEnum,
  IsUUID,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import Decimal from 'decimal.js';
import { CurrencyKind } from '../currency.entity';
import { AccountKind } from '../../ledger';
import { DemurragePeriod, FeePayerEnum, IssuanceMode } from '../issuance-policy';

@InputType()
export class IssuancePolicyInput {
  @Field(() => IssuanceMode)
  @IsEnum(IssuanceMode)
  mode!: IssuanceMode;

  @Field(() => Decimal, {
    nullable: true,
    description: 'Floor of new member and shop accounts, e.g. "-10.00".',
  })
  @IsOptional()
  defaultFloor?: string | null;

  @Field(() => Decimal, { nullable: true, description: 'Ceiling of new member and shop accounts.' })
  @IsOptional()
  defaultCeiling?: string | null;

  @Field({ nullable: true, description: 'BACKED: the NATIONAL currency of the reserve.' })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  reserveCurrencyCode?: string;

  @Field(() => Decimal, {
    nullable: true,
    description: 'BACKED: credits minted per unit of reserve, e.g. "1.05".',
  })
  @IsOptional()
  mintRate?: string;

  @Field(() => Decimal, {
    nullable: true,
    description: 'BACKED: supply may not exceed reserve times this.',
  })
  @IsOptional()
  backingRatio?: string;

  @Field(() => Decimal, {
    nullable: true,
    description: 'BACKED: percent kept when a shop redeems credits.',
  })
  @IsOptional()
  redemptionFeePercent?: string;

  @Field(() => ID, {
    nullable: true,
    description: 'BACKED: the FEES or FUND account that receives redemption fees.',
  })
  @IsOptional()
  @IsUUID()
  redemptionFeeAccountId?: string;

  @Field(() => Decimal, {
    nullable: true,
    description: 'MUTUAL_CREDIT: credits paid once to each new member account.',
  })
  @IsOptional()
  onboardingGrant?: string;

  @Field(() => Decimal, {
    nullable: true,
    description:
      'MUTUAL_CREDIT, "earn your limit": the floor of member and shop accounts goes down by this percent of what they have received in trade (EXCHANGE and PAYMENT).',
  })
  @IsOptional()
  earnedCreditPercent?: string;

  @Field(() => Decimal, {
    nullable: true,
    description: 'MUTUAL_CREDIT: the most "earn your limit" lowers a floor by.',
  })
  @IsOptional()
  earnedCreditCap?: string;

  @Field(() => Decimal, { nullable: true, description: 'Transaction fee, percent of the amount.' })
  @IsOptional()
  transactionFeePercent?: string;

  @Field(() => Decimal, {
    nullable: true,
    description: 'Transaction fee, fixed part per transfer.',
  })
  @IsOptional()
  transactionFeeFixed?: string;

  @Field(() => FeePayerEnum, {
    nullable: true,
    description: 'Who pays the transaction fee (default PAYER).',
  })
  @IsOptional()
  @IsEnum(FeePayerEnum)
  transactionFeePaidBy?: FeePayerEnum;

  @Field(() => ID, {
    nullable: true,
    description: 'The FEES or FUND account that receives transaction fees.',
  })
  @IsOptional()
  @IsUUID()
  transactionFeeAccountId?: string;

  @Field(() => Decimal, {
    nullable: true,
    description: 'Demurrage: percent of a positive balance charged per period.',
  })
  @IsOptional()
  demurragePercent?: string;

  @Field(() => DemurragePeriod, { nullable: true })
  @IsOptional()
  @IsEnum(DemurragePeriod)
  demurragePeriod?: DemurragePeriod;

  @Field(() => [AccountKind], {
    nullable: true,
    description: 'Demurrage: the account kinds charged (default MEMBER and SHOP).',
  })
  @IsOptional()
  @IsEnum(AccountKind, { each: true })
  demurrageAccountKinds?: AccountKind[];

  @Field(() => ID, { nullable: true, description: 'Demurrage: the FUND account that receives it.' })
  @IsOptional()
  @IsUUID()
  demurrageFundAccountId?: string;

  @Field(() => Decimal, { nullable: true, description: 'Largest single transfer.' })
  @IsOptional()
  maxTransfer?: string;

  @Field(() => Decimal, {
    nullable: true,
    description: 'Most that may leave one account in any 24 hours.',
  })
  @IsOptional()
  dailyOutflowLimit?: string;
}

@InputType()
export class CreateCurrencyInput {
  @Field({ description: '2 to 10 capital letters or digits, starting with a letter, e.g. HOUR.' })
  @IsString()
  @Matches(/^[A-Z][A-Z0-9]{1,9}$/, {
    message: 'must be 2 to 10 capital letters or digits, starting with a letter',
  })
  code!: string;

  @Field()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  @Field(() => CurrencyKind)
  @IsEnum(CurrencyKind)
  kind!: CurrencyKind;

  @Field(() => Int, { description: 'Decimal places, 0 to 8, fixed for ever (HOUR uses 2).' })
  @IsInt()
  @Min(0)
  @Max(8)
  scale!: number;

  @Field(() => IssuancePolicyInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => IssuancePolicyInput)
  policy?: IssuancePolicyInput;
}
