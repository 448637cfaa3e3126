import { Field, Int, ObjectType } from '@nestjs/graphql';
import Decimal from 'decimal.js';
import { Account } from '../accounts/account.model';
import { Connection, ConnectionShape, PageArgs } from '../common/pagination/connection';
import { TrialBalanceScope, TrialBalanceTotals } from './balances.service';

@ObjectType()
export class TrialBalanceLine {
  @Field(() => Account)
  account!: Account;

  @Field(() => Decimal)
  balance!: string;
}

export const TrialBalanceLineConnection = Connection(TrialBalanceLine, 'TrialBalanceLine');

/**
 * Every account of a currency with its balance at an instant (definition in
 * balances.service.ts). The lines come a page at a time; the total, the
 * problems and the count cover every account and are summed only when asked
 * for.
 */
@ObjectType({
  description:
    'Every account of a currency with its balance at an instant, a page at a time, and their total.',
})
export class TrialBalance {
  @Field()
  currencyCode!: string;

  @Field(() => Date, {
    nullable: true,
    description: 'The instant: entries posted at or before it count. Null: now.',
  })
  at!: Date | null;

  @Field(() => Decimal, {
    description: 'The sum of the balances of every account: zero in a sound ledger.',
  })
  total!: string;

  @Field({ description: 'True when the total is zero.' })
  balanced!: boolean;

  @Field(() => [String], { description: 'What is wrong when the total is not zero.' })
  problems!: string[];

  @Field(() => Int, { description: 'How many accounts the trial balance lists, on all pages.' })
  accountCount!: number;

  @Field(() => TrialBalanceLineConnection, {
    description:
      'The page of lines chosen by the first and after arguments: by account kind, then name.',
  })
  accounts!: ConnectionShape<TrialBalanceLine>;

  scope!: TrialBalanceScope;
  page!: PageArgs;
  /** Shared by total, balanced, problems and accountCount, so the accounts are summed once. */
  totals?: Promise<TrialBalanceTotals>;
}
