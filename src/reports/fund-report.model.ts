import { Field, Int, ObjectType } from '@nestjs/graphql';
import Decimal from 'decimal.js';
import { Account } from '../accounts/account.model';
import { Transfer } from '../transfers/transfer.model';
import { TransferKind } from '../transfers/transfer.entity';
import { MAX_COUNTERPARTY_LINES, MAX_PENDING_LISTED } from './fund-report.service';

@ObjectType()
export class FundKindFlow {
  @Field(() => TransferKind)
  kind!: TransferKind;

  @Field(() => Decimal)
  amount!: string;

  @Field(() => Int)
  transferCount!: number;
}

@ObjectType()
export class FundCounterpartyFlow {
  @Field(() => Account)
  counterparty!: Account;

  @Field(() => Decimal)
  amount!: string;

  @Field(() => Int)
  transferCount!: number;
}

@ObjectType({ description: 'Money into or out of a fund in a period, as positive amounts.' })
export class FundFlows {
  @Field(() => Decimal)
  total!: string;

  @Field(() => Int)
  transferCount!: number;

  @Field(() => [FundKindFlow], { description: 'By transfer kind, largest first.' })
  byKind!: FundKindFlow[];

  @Field(() => [FundCounterpartyFlow], {
    description: `By counterparty, largest first; at most ${MAX_COUNTERPARTY_LINES} (counterpartyCount tells how many there are).`,
  })
  byCounterparty!: FundCounterpartyFlow[];

  @Field(() => Int)
  counterpartyCount!: number;
}

/** Where a fund's money came from and went (definitions in fund-report.service.ts). */
@ObjectType({
  description:
    "A fund's balances, inflows and outflows for [from, to), and what waits to leave it.",
})
export class FundReport {
  @Field(() => Account)
  account!: Account;

  @Field(() => Date, { nullable: true })
  from!: Date | null;

  @Field(() => Date, { nullable: true })
  to!: Date | null;

  @Field(() => Decimal)
  openingBalance!: string;

  @Field(() => Decimal)
  closingBalance!: string;

  @Field(() => FundFlows)
  inflows!: FundFlows;

  @Field(() => FundFlows)
  outflows!: FundFlows;

  @Field(() => [Transfer], {
    description: `Transfers out of the fund pending now, oldest first; at most ${MAX_PENDING_LISTED}.`,
  })
  pending!: Transfer[];

  @Field(() => Int)
  pendingCount!: number;

  @Field(() => Decimal)
  pendingTotal!: string;
}
