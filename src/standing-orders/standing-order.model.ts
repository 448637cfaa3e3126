import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import Decimal from 'decimal.js';
import { StandingOrderInterval, StandingOrderStatus } from './standing-order.entity';

registerEnumType(StandingOrderInterval, { name: 'StandingOrderInterval' });
registerEnumType(StandingOrderStatus, { name: 'StandingOrderStatus' });

@ObjectType({
  description:
    'One due payment of a standing order: its transfer, or why it failed (never retried).',
})
export class StandingOrderRun {
  @Field()
  dueAt!: Date;

  @Field(() => ID, { nullable: true })
  transferId!: string | null;

  @Field(() => String, { nullable: true })
  errorCode!: string | null;

  @Field(() => String, { nullable: true })
  errorMessage!: string | null;

  @Field()
  ranAt!: Date;
}

@ObjectType({ description: 'A recurring payment, such as a membership fee.' })
export class StandingOrder {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  fromAccountId!: string;

  @Field(() => ID)
  toAccountId!: string;

  @Field(() => Decimal)
  amount!: string;

  @Field()
  kind!: string;

  @Field(() => String, { nullable: true })
  memo!: string | null;

  @Field(() => StandingOrderInterval)
  interval!: StandingOrderInterval;

  @Field()
  nextRunAt!: Date;

  @Field(() => Date, { nullable: true })
  endsAt!: Date | null;

  @Field(() => StandingOrderStatus)
  status!: StandingOrderStatus;

  @Field(() => [StandingOrderRun], { description: 'The latest 20 occurrences, newest first.' })
  runs!: StandingOrderRun[];
}
