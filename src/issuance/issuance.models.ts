import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import Decimal from 'decimal.js';
import { IssuancePolicy } from '../currencies/currency.model';
import { Transfer } from '../transfers/transfer.model';

@ObjectType()
export class SetIssuancePolicyPayload {
  @Field(() => IssuancePolicy)
  policy!: IssuancePolicy;

  @Field(() => Int)
  accountsUpdated!: number;

  @Field(() => Int, { description: 'Accounts whose balance lies outside the new default limits.' })
  accountsSkipped!: number;
}

@ObjectType({
  description: 'One version of a currency policy: who set it, when, and what it replaced.',
})
export class PolicyVersion {
  @Field(() => IssuancePolicy)
  policy!: IssuancePolicy;

  @Field(() => IssuancePolicy, { nullable: true })
  previous!: IssuancePolicy | null;

  @Field(() => ID)
  createdBy!: string;

  @Field()
  createdAt!: Date;
}

@ObjectType({ description: 'What one demurrage run charged.' })
export class DemurrageRunResult {
  @Field()
  period!: string;

  @Field(() => Int)
  accountsCharged!: number;

  @Field(() => Int, { description: 'Accounts charged for this period by an earlier run.' })
  alreadyCharged!: number;

  @Field(() => Int)
  failed!: number;

  @Field(() => Decimal)
  totalCharged!: string;
}

@ObjectType({ description: 'The transfers of a policy operation, posted together or not at all.' })
export class IssuancePayload {
  @Field(() => Transfer, { description: 'The transfer in the community currency.' })
  transfer!: Transfer;

  @Field(() => Transfer, {
    nullable: true,
    description: 'The matching movement of the reserve, if any.',
  })
  reserveTransfer!: Transfer | null;
}
