import { Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import Decimal from 'decimal.js';
import { IssuancePolicyInput } from '../../currencies/dto/create-currency.input';
import { MAX_MEMO_LENGTH, ValidIdempotencyKey } from '../../transfers/dto/transfer.inputs';

@InputType()
export class SetIssuancePolicyInput {
  @Field()
  @IsString()
  @Matches(/^[A-Z][A-Z0-9]{1,9}$/, { message: 'must be a currency code such as HOUR' })
  currencyCode!: string;

  @Field(() => IssuancePolicyInput, {
    description: 'The whole new policy; rules left out are switched off.',
  })
  @ValidateNested()
  @Type(() => IssuancePolicyInput)
  policy!: IssuancePolicyInput;

  @Field({
    nullable: true,
    description:
      'Also give every MEMBER and SHOP account the new default floor and ceiling (accounts the new limits would put out of bounds keep theirs and are counted as skipped).',
  })
  @IsOptional()
  @IsBoolean()
  applyToExistingAccounts?: boolean;
}

@InputType()
export class RecordReserveDepositInput {
  @Field({ description: 'The BACKED currency whose reserve grows.' })
  @IsString()
  @MaxLength(10)
  currencyCode!: string;

  @Field(() => ID, { description: 'The account that receives the credits the deposit buys.' })
  @IsUUID()
  accountId!: string;

  @Field(() => Decimal, { description: 'National money received, in the reserve currency.' })
  @IsString()
  amount!: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_MEMO_LENGTH)
  memo?: string;

  @Field()
  @ValidIdempotencyKey()
  idempotencyKey!: string;
}

@InputType()
export class MintInput {
  @Field(() => ID, { description: 'The account that receives the new credits.' })
  @IsUUID()
  accountId!: string;

  @Field(() => Decimal, { description: 'Credits to create, in the account’s currency.' })
  @IsString()
  amount!: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_MEMO_LENGTH)
  memo?: string;

  @Field()
  @ValidIdempotencyKey()
  idempotencyKey!: string;
}

@InputType()
export class RedeemInput extends MintInput {}
