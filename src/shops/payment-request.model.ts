import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import Decimal from 'decimal.js';
import { PaymentRequestEntity } from './payment-request.entity';

export enum PaymentRequestStatus {
  OPEN = 'OPEN',
  PAID = 'PAID',
  CANCELLED = 'CANCELLED',
  EXPIRED = 'EXPIRED',
}

registerEnumType(PaymentRequestStatus, {
  name: 'PaymentRequestStatus',
  description:
    'OPEN → PAID (a single-use request, once paid) | CANCELLED (by the shop) | EXPIRED (past expiresAt). A reusable request stays OPEN until cancelled or expired.',
});

@ObjectType({
  description:
    'What a shop asks to be paid, shown to the payer as a payment URI and its QR code. A till key sees its own shop’s requests; any member of the community may look one up by id to pay it.',
})
export class PaymentRequest {
  @Field(() => ID)
  id!: string;

  @Field(() => PaymentRequestStatus)
  status!: PaymentRequestStatus;

  @Field({ description: "The shop user's display name." })
  shopName!: string;

  @Field(() => ID)
  toAccountId!: string;

  @Field()
  currencyCode!: string;

  @Field(() => Decimal, { nullable: true, description: 'Null for an open amount.' })
  amount!: string | null;

  @Field(() => String, { nullable: true })
  memo!: string | null;

  @Field(() => String, { nullable: true, description: "The shop's own reference." })
  reference!: string | null;

  @Field()
  reusable!: boolean;

  @Field(() => Date, { nullable: true })
  expiresAt!: Date | null;

  @Field()
  createdAt!: Date;

  @Field({ description: '"mutua:pay?r=<id>": what the QR code holds.' })
  paymentUri!: string;

  @Field({ description: 'An SVG document of a QR code of paymentUri.' })
  qrSvg!: string;

  @Field(() => Decimal, {
    description:
      'Sum of the payments into this request the caller may see: all of them for the shop, its till key and stewards; the caller’s own for anyone else.',
  })
  paidAmount!: string;

  @Field(() => [Payment], {
    description:
      'The newest payments into this request (at most `first`, 1 to 100, default 100), for the shop, its till key and stewards; [] for anyone else. paymentsSince lists them all.',
  })
  payments!: Payment[];

  entity!: PaymentRequestEntity;
}

@ObjectType({
  description:
    "One payment into a shop account, as a till sees it: the payer's display name, never their account or balance.",
})
export class Payment {
  @Field(() => ID)
  transferId!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'Null for a plain PAYMENT transfer into the shop account.',
  })
  paymentRequestId!: string | null;

  @Field(() => ID, { description: 'The shop account paid.' })
  accountId!: string;

  @Field()
  currencyCode!: string;

  @Field(() => Decimal, { description: 'What the payer paid.' })
  amount!: string;

  @Field(() => Decimal, {
    description: 'Fees taken from it before it reached the shop account (0 when none).',
  })
  fee!: string;

  @Field({ description: "The payer's display name." })
  payerName!: string;

  @Field(() => String, { nullable: true })
  memo!: string | null;

  @Field(() => String, { nullable: true, description: "The request's reference, if any." })
  reference!: string | null;

  @Field()
  postedAt!: Date;

  @Field(() => Decimal, { description: 'Refunded of it so far.' })
  refundedAmount!: string;

  @Field({
    description:
      "Position in the shop account's history: hand it to paymentsSince(after:) or paymentReceived(after:) to continue from here.",
  })
  cursor!: string;
}

@ObjectType({ description: 'What a shopkeeper reconciles at closing, for [from, to).' })
export class ShopSales {
  @Field(() => ID)
  accountId!: string;

  @Field()
  currencyCode!: string;

  @Field()
  from!: Date;

  @Field()
  to!: Date;

  @Field(() => Int, { description: 'Payments received.' })
  count!: number;

  @Field(() => Decimal, { description: 'What the payers paid.' })
  totalReceived!: string;

  @Field(() => Decimal, { description: 'Fees the shop bore on those payments and on its refunds.' })
  fees!: string;

  @Field(() => Decimal, { description: 'Refunded to payers in the period.' })
  refunds!: string;

  @Field(() => Decimal, { description: 'totalReceived − fees − refunds.' })
  net!: string;
}
