import { Field, ID, InputType } from '@nestjs/graphql';
import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import Decimal from 'decimal.js';
import { MAX_MEMO_LENGTH, ValidIdempotencyKey } from '../../transfers/dto/transfer.inputs';

@InputType()
export class RequestDisbursementInput {
  @Field(() => ID, { description: 'The FUND account to pay out of.' })
  @IsUUID()
  fundAccountId!: string;

  @Field(() => ID, {
    description:
      "Where the money goes: an account of yours, or any account for the fund's stewards.",
  })
  @IsUUID()
  toAccountId!: string;

  @Field(() => Decimal, { description: 'e.g. "25.00"; no more decimals than the currency has.' })
  @IsString()
  amount!: string;

  @Field({ nullable: true, description: 'What the money is for, for the stewards who decide.' })
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
}
