import { Field, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  IsEnum,
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
import { IssuanceMode } from '../issuance-policy';

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
