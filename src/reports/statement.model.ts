import { Field, Int, ObjectType } from '@nestjs/graphql';
import Decimal from 'decimal.js';
import { Account } from '../accounts/account.model';
import { Connection, ConnectionShape, PageArgs } from '../common/pagination/connection';
import { Entry } from '../transfers/transfer.model';
import { StatementTotals, StatementWindow } from './statement.service';

export const EntryConnection = Connection(Entry, 'Entry');

/**
 * An account's statement for a period (definitions at the top of
 * statement.service.ts). The balances come with the statement; the totals
 * and the page of entries are resolved only when asked for.
 */
@ObjectType({
  description:
    'Opening balance, the entries of [from, to) oldest first with their running balance, closing balance and totals.',
})
export class Statement {
  @Field(() => Account)
  account!: Account;

  @Field(() => Date, { nullable: true, description: 'Start of the period (inclusive).' })
  from!: Date | null;

  @Field(() => Date, { nullable: true, description: 'End of the period (exclusive).' })
  to!: Date | null;

  @Field(() => Decimal, { description: 'The balance after every entry posted before from.' })
  openingBalance!: string;

  @Field(() => Decimal, { description: 'The balance after the last entry of the period.' })
  closingBalance!: string;

  @Field(() => Decimal, { description: 'What entered the account in the period.' })
  totalIn!: string;

  @Field(() => Decimal, {
    description: 'What left the account in the period, as a positive amount.',
  })
  totalOut!: string;

  @Field(() => Int, { description: 'How many entries the period holds.' })
  entryCount!: number;

  @Field(() => EntryConnection, {
    description: 'The page of entries chosen by the first and after arguments.',
  })
  entries!: ConnectionShape<Entry>;

  window!: StatementWindow;
  page!: PageArgs;
  /** Shared by totalIn, totalOut and entryCount, so the period is summed once. */
  totals?: Promise<StatementTotals>;
}
