import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Account, toAccountShell } from '../accounts/account.model';
import { Actor, isSteward } from '../auth/actor';
import { Transfer } from '../transfers/transfer.model';
import { toTransferShell } from '../transfers/transfers.resolver';
import { toUser, User } from '../users/user.model';
import { UserEntity } from '../users/user.entity';
import { rejectionsToVoid } from './disbursement-rules';
import { VoteDecision } from './disbursement-rules';
import { DisbursementView } from './disbursements.service';
import { FundView } from './funds.service';

registerEnumType(VoteDecision, {
  name: 'VoteDecision',
  description: "A fund steward's vote on a disbursement.",
});

@ObjectType({ description: 'A FUND account and who decides its disbursements.' })
export class Fund {
  @Field(() => Account)
  account!: Account;

  @Field(() => Int, { description: 'k: approvals that pay a disbursement out.' })
  approvalsRequired!: number;

  @Field(() => [User], { description: 'The n stewards who vote on its disbursements.' })
  stewards!: User[];
}

@ObjectType()
export class DisbursementVote {
  @Field(() => User)
  steward!: User;

  @Field(() => VoteDecision)
  decision!: VoteDecision;

  @Field()
  votedAt!: Date;
}

@ObjectType({ description: 'A request to pay out of a fund, and its stewards’ votes so far.' })
export class Disbursement {
  @Field(() => Transfer, {
    description: 'The PENDING transfer, then POSTED, VOIDED or EXPIRED.',
  })
  transfer!: Transfer;

  @Field(() => User)
  requestedBy!: User;

  @Field(() => Int, { description: 'k: approvals that post it.' })
  approvalsRequired!: number;

  @Field(() => Int, {
    description:
      'Rejections that void it: one more than its voters can spare (n - k + 1, less one when the requester is a fund steward).',
  })
  rejectionsRequired!: number;

  @Field(() => [User], { description: "The fund's stewards who may vote: all but the requester." })
  voters!: User[];

  @Field(() => Int)
  approvals!: number;

  @Field(() => Int)
  rejections!: number;

  @Field(() => [DisbursementVote], { description: 'Every vote, oldest first.' })
  votes!: DisbursementVote[];
}

/** A user as a fund's steward or requester: their email only for stewards and themselves. */
function person(actor: Actor, user: UserEntity): User {
  return toUser(user, isSteward(actor) || user.id === actor.userId);
}

export function toFund(actor: Actor, view: FundView): Fund {
  return {
    account: toAccountShell(view.account),
    approvalsRequired: view.rule.approvalsRequired,
    stewards: view.stewards.map((steward) => person(actor, steward)),
  };
}

export function toDisbursement(actor: Actor, view: DisbursementView): Disbursement {
  const requesterId = view.transfer.initiatedBy;
  return {
    transfer: toTransferShell(view.transfer),
    requestedBy: person(actor, view.requester),
    approvalsRequired: view.rule.approvalsRequired,
    rejectionsRequired: rejectionsToVoid(view.rule, requesterId),
    voters: view.voters.map((voter) => person(actor, voter)),
    approvals: view.tally.approvals,
    rejections: view.tally.rejections,
    votes: view.votes.map(({ vote, steward }) => ({
      steward: person(actor, steward),
      decision: vote.decision,
      votedAt: vote.votedAt,
    })),
  };
}
