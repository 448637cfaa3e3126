import { Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
  IsEnum,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import Decimal from 'decimal.js';
import { TransferKind, TransferStatusEnum } from '../transfer.entity';

export const MAX_MEMO_LENGTH = 500;
export const MAX_BATCH_SIZE = 100;
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9._:-]{1,200}$/;

export const ValidIdempotencyKey = () =>
  Matches(IDEMPOTENCY_KEY_PATTERN, {
    message: 'must be 1 to 200 letters, digits or . _ : - (a UUID is a good choice)',
  });

@InputType()
export class TransferInput {
  @Field(() => ID)
  @IsUUID()
  fromAccountId!: string;

  @Field(() => ID)
  @IsUUID()
  toAccountId!: string;

  @Field(() => Decimal, {
    description: 'What leaves fromAccount, e.g. "1.50"; no more decimals than the currency has.',
  })
  @IsString()
  amount!: string;

  @Field(() => TransferKind)
  @IsEnum(TransferKind)
  kind!: TransferKind;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_MEMO_LENGTH, { message: `must be at most ${MAX_MEMO_LENGTH} characters` })
  memo?: string;

  @Field({
    description:
      'Unique per request of yours; a retry with the same key returns the original transfer.',
  })
  @ValidIdempotencyKey()
  idempotencyKey!: string;

  @Field({
    nullable: true,
    description:
      'Create a PENDING transfer that holds the funds until this instant, to be posted or voided.',
  })
  @IsOptional()
  pendingUntil?: Date;
}

@InputType()
export class TransferBatchInput {
  @Field(() => [TransferInput], { description: `1 to ${MAX_BATCH_SIZE} transfers.` })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH_SIZE, { message: `must hold at most ${MAX_BATCH_SIZE} transfers` })
  @ValidateNested({ each: true })
  @Type(() => TransferInput)
  transfers!: TransferInput[];

  @Field({
    nullable: true,
    description: 'true: all post or none does; false (default): each on its own.',
  })
  @IsOptional()
  @IsBoolean()
  atomic?: boolean;
}

@InputType()
export class ReverseTransferInput {
  @Field(() => ID)
  @IsUUID()
  transferId!: string;

  @Field()
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_MEMO_LENGTH)
  reason!: string;

  @Field()
  @ValidIdempotencyKey()
  idempotencyKey!: string;

  @Field({
    nullable: true,
    description:
      'Post the reversal even if it takes an account past its floor or ceiling (recorded).',
  })
  @IsOptional()
  @IsBoolean()
  force?: boolean;
}

@InputType()
export class TransferFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  accountId?: string;

  @Field(() => TransferKind, { nullable: true })
  @IsOptional()
  @IsEnum(TransferKind)
  kind?: TransferKind;

  @Field(() => TransferStatusEnum, { nullable: true })
  @IsOptional()
  @IsEnum(TransferStatusEnum)
  status?: TransferStatusEnum;

  @Field({ nullable: true, description: 'Created at or after this instant.' })
  @IsOptional()
  from?: Date;

  @Field({ nullable: true, description: 'Created before this instant.' })
  @IsOptional()
  to?: Date;
}
