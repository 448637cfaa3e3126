import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import Decimal from 'decimal.js';
import { MAX_PUBLIC_DISBURSEMENTS, PUBLIC_MONTHS } from './public-funds.store';

@ObjectType({ description: 'Whether a fund has a public page.' })
export class FundPublicSetting {
  @Field(() => ID)
  fundAccountId!: string;

  @Field()
  public!: boolean;

  @Field(() => Date, { nullable: true, description: 'When it was published; null when it is not.' })
  publishedAt!: Date | null;
}

@ObjectType({ description: 'A published fund, as listed on its community’s public page.' })
export class PublicFundSummary {
  @Field(() => ID, { description: 'The FUND account.' })
  accountId!: string;

  @Field()
  name!: string;

  @Field()
  currencyCode!: string;

  @Field()
  currencyName!: string;

  @Field(() => Decimal)
  balance!: string;
}

@ObjectType({ description: 'Money into and out of a fund in one calendar month (UTC).' })
export class PublicFundMonth {
  @Field({ description: 'e.g. 2026-11' })
  month!: string;

  @Field(() => Decimal, { description: 'Everything that came in, as a positive amount.' })
  moneyIn!: string;

  @Field(() => Decimal, { description: 'Everything that went out, as a positive amount.' })
  moneyOut!: string;

  @Field(() => Int)
  transfersIn!: number;

  @Field(() => Int)
  transfersOut!: number;
}

@ObjectType({
  description: 'One approved payment out of a fund: when and how much, never to whom.',
})
export class PublicDisbursement {
  @Field(() => Date)
  postedAt!: Date;

  @Field(() => Decimal)
  amount!: string;
}

@ObjectType({
  description:
    'A fund’s public page: what any visitor may read without signing in. No names, e-mails or accounts of members, no memos.',
})
export class PublicFund extends PublicFundSummary {
  @Field()
  communityName!: string;

  @Field(() => Int, { description: 'Decimal places of the currency.' })
  scale!: number;

  @Field(() => Date)
  publishedAt!: Date;

  @Field(() => Int, { description: 'k: stewards’ approvals a disbursement needs.' })
  approvalsRequired!: number;

  @Field(() => Int, { description: 'n: the fund’s stewards.' })
  stewardCount!: number;

  @Field(() => Int, { description: 'Requests waiting for the stewards’ decision.' })
  pendingCount!: number;

  @Field(() => Decimal)
  pendingTotal!: string;

  @Field(() => [PublicFundMonth], {
    description: `The last ${PUBLIC_MONTHS} months, oldest first, the current one included (months without money moving show zeros).`,
  })
  months!: PublicFundMonth[];

  @Field(() => [PublicDisbursement], {
    description: `The latest ${MAX_PUBLIC_DISBURSEMENTS} approved disbursements, newest first.`,
  })
  disbursements!: PublicDisbursement[];
}
