import { Field, ObjectType } from '@nestjs/graphql';
import Decimal from 'decimal.js';
import { Account } from '../accounts/account.model';

@ObjectType()
export class TrialBalanceLine {
  @Field(() => Account)
  account!: Account;

  @Field(() => Decimal)
  balance!: string;
}

/** Every account of a currency with its balance at an instant (definition in balances.service.ts). */
@ObjectType({
  description: 'Every account of a currency with its balance at an instant, and their total.',
})
export class TrialBalance {
  @Field()
  currencyCode!: string;

  @Field(() => Date, {
    nullable: true,
    description: 'The instant: entries posted at or before it count. Null: now.',
  })
  at!: Date | null;

  @Field(() => Decimal, { description: 'The sum of the balances: zero in a sound ledger.' })
  total!: string;

  @Field({ description: 'True when the total is zero.' })
  balanced!: boolean;

  @Field(() => [String], { description: 'What is wrong when the total is not zero.' })
  problems!: string[];

  @Field(() => [TrialBalanceLine], { description: 'By account kind, then name.' })
  accounts!: TrialBalanceLine[];
}
