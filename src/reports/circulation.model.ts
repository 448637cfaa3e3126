import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import Decimal from 'decimal.js';
import { SeriesInterval } from './circulation-math';

export { SeriesInterval };

registerEnumType(SeriesInterval, {
  name: 'SeriesInterval',
  description: 'UTC days, or weeks from Monday 00:00 UTC.',
});

/** Circulation figures of a period or of one point of its series (definitions in circulation.service.ts). */
@ObjectType()
export class CirculationPoint {
  @Field()
  start!: Date;

  @Field({ description: 'Exclusive.' })
  end!: Date;

  @Field(() => Decimal, { description: 'Money created: amounts out of the ISSUANCE account.' })
  issued!: string;

  @Field(() => Decimal, { description: 'Money destroyed: amounts into the ISSUANCE account.' })
  redeemed!: string;

  @Field(() => Decimal, {
    description: 'Amount of posted transfers other than ISSUANCE, REDEMPTION and REVERSAL.',
  })
  volume!: string;

  @Field(() => Int)
  transferCount!: number;

  @Field(() => Int, { description: 'MEMBER, SHOP and FUND accounts with an entry in the period.' })
  activeAccounts!: number;

  @Field(() => Decimal, { description: 'Sum of positive balances at start.' })
  supplyAtStart!: string;

  @Field(() => Decimal, { description: 'Sum of positive balances at end.' })
  supplyAtEnd!: string;

  @Field(() => Decimal, { description: 'Time-weighted average supply, at the currency scale.' })
  averageSupply!: string;

  @Field(() => Decimal, {
    nullable: true,
    description: 'volume ÷ average supply, 4 decimal places; null without supply.',
  })
  velocity!: string | null;
}

@ObjectType({ description: 'Supply, issuance, volume and velocity of a currency over a period.' })
export class Circulation extends CirculationPoint {
  @Field()
  currencyCode!: string;

  @Field(() => SeriesInterval)
  interval!: SeriesInterval;

  @Field(() => [CirculationPoint], { description: 'One point per day or week, oldest first.' })
  series!: CirculationPoint[];
}
