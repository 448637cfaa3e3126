import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import {
  IsBoolean,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import Decimal from 'decimal.js';
import { PageArgs } from '../../common/pagination/connection';
import { MAX_MEMO_LENGTH, ValidIdempotencyKey } from '../../transfers/dto/transfer.inputs';
import { PaymentRequestStatus } from '../payment-request.model';

export const MAX_REFERENCE_LENGTH = 100;

@InputType()
export class CreatePaymentRequestInput {
  @Field(() => ID, {
    description: "A SHOP account of the caller (or of the till key's shop) to be paid into.",
  })
  @IsUUID()
  toAccountId!: string;

  @Field(() => Decimal, {
    nullable: true,
    description: 'Omitted: an open amount, which the payer fills in.',
  })
  @IsOptional()
  @IsString()
  amount?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_MEMO_LENGTH, { message: `must be at most ${MAX_MEMO_LENGTH} characters` })
  memo?: string;

  @Field({ nullable: true, description: "The shop's own reference, such as a receipt number." })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_REFERENCE_LENGTH, {
    message: `must be at most ${MAX_REFERENCE_LENGTH} characters`,
  })
  reference?: string;

  @Field({
    nullable: true,
    description:
      'In the future, within a year. Omitted: 15 minutes for a single-use request, none for a reusable one.',
  })
  @IsOptional()
  expiresAt?: Date;

  @Field({
    nullable: true,
    description:
      'true: a standing QR code at the counter, paid any number of times. Default false.',
  })
  @IsOptional()
  @IsBoolean()
  reusable?: boolean;
}

@InputType()
export class PayPaymentRequestInput {
  @Field(() => ID)
  @IsUUID()
  paymentRequestId!: string;

  @Field(() => ID, { description: 'One of your accounts, in the request’s currency.' })
  @IsUUID()
  fromAccountId!: string;

  @Field(() => Decimal, {
    nullable: true,
    description: 'Required for an open-amount request; for a fixed one, omit it or repeat it.',
  })
  @IsOptional()
  @IsString()
  amount?: string;

  @Field({
    description:
      'Unique per request of yours; a retry with the same key returns the original transfer.',
  })
  @ValidIdempotencyKey()
  idempotencyKey!: string;
}

@InputType()
export class RefundPaymentInput {
  @Field(() => ID, { description: 'The payment (a PAYMENT transfer into your shop account).' })
  @IsUUID()
  transferId!: string;

  @Field(() => Decimal, { nullable: true, description: 'Omitted: all that is left to refund.' })
  @IsOptional()
  @IsString()
  amount?: string;

  @Field({ nullable: true, description: 'Shown to the payer as the refund’s memo.' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_MEMO_LENGTH, { message: `must be at most ${MAX_MEMO_LENGTH} characters` })
  reason?: string;

  @Field()
  @ValidIdempotencyKey()
  idempotencyKey!: string;
}

@ArgsType()
export class PaymentRequestsArgs extends PageArgs {
  @Field(() => ID)
  @IsUUID()
  accountId!: string;

  @Field(() => PaymentRequestStatus, { nullable: true })
  @IsOptional()
  @IsEnum(PaymentRequestStatus)
  status?: PaymentRequestStatus;
}

@ArgsType()
export class PaymentsSinceArgs extends PageArgs {
  @Field(() => ID)
  @IsUUID()
  accountId!: string;
}

@ArgsType()
export class ShopSalesArgs {
  @Field(() => ID)
  @IsUUID()
  accountId!: string;

  @Field({ nullable: true, description: 'Default: the start of today (UTC).' })
  @IsOptional()
  from?: Date;

  @Field({ nullable: true, description: 'Default: from + 1 day. At most 366 days after from.' })
  @IsOptional()
  to?: Date;
}

@ArgsType()
export class RequestPaymentsArgs {
  @Field(() => Int, { nullable: true, description: '1 to 100 (default 100).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  first?: number;
}
