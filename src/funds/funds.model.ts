import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Account, toAccountShell } from '../accounts/account.model';
import { Actor, isSteward } from '../access/actor';
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

@ObjectType({ description: "One version of a fund's rule: who set it, when, and what it was." })
export class FundRuleVersion {
  @Field(() => Int, {
    description:
      '1 when the fund opened, one more per change applied (setFundStewards, setFundRequestLimits).',
  })
  version!: number;

  @Field(() => Int)
  approvalsRequired!: number;

  @Field(() => Int, { description: "The request limit on one member's share, in percent." })
  memberSharePercent!: number;

  @Field(() => Int, { description: "The limit on one member's pending requests." })
  maxOpenRequestsPerMember!: number;

  @Field(() => [User])
  stewards!: User[];

  @Field(() => User, {
    description: 'The steward whose approval applied it (the k-th), or who opened the fund.',
  })
  changedBy!: User;

  @Field()
  changedAt!: Date;

  @Field(() => [User], {
    description:
      'The stewards whose approvals applied it, in the order they approved; changedBy alone for version 1.',
  })
  approvedBy!: User[];
}

@ObjectType({ description: "A steward's approval of a proposed change of a fund's rule." })
export class FundRuleApproval {
  @Field(() => User)
  steward!: User;

  @Field({ description: 'When the steward last asked for this rule.' })
  approvedAt!: Date;

  @Field({
    description:
      'When the approval lapses if the change has not been applied by then (as long as a disbursement request waits).',
  })
  expiresAt!: Date;
}

@ObjectType({
  description:
    "A change of a fund's rule that some of its stewards have asked for with setFundStewards or setFundRequestLimits and that k of them have not yet approved.",
})
export class FundRuleProposal {
  @Field(() => Int, {
    description: 'The version it would replace; approvals of older versions lapse.',
  })
  baseVersion!: number;

  @Field(() => [User], { description: 'The stewards it would name.' })
  stewards!: User[];

  @Field(() => Int, { description: 'The k it would set.' })
  approvalsRequired!: number;

  @Field(() => Int, { description: 'The memberSharePercent it would set.' })
  memberSharePercent!: number;

  @Field(() => Int, { description: 'The maxOpenRequestsPerMember it would set.' })
  maxOpenRequestsPerMember!: number;

  @Field(() => [FundRuleApproval], {
    description:
      "The fund's current stewards who asked for exactly this rule, oldest first; it is applied when they number the fund's current approvalsRequired.",
  })
  approvals!: FundRuleApproval[];
}

@ObjectType({ description: 'A FUND account and who decides its disbursements.' })
export class Fund {
  @Field(() => Account)
  account!: Account;

  @Field(() => Int, { description: 'k: approvals that pay a new disbursement out.' })
  approvalsRequired!: number;

  @Field(() => Int, {
    description:
      "The share of the fund's balance, in percent, that one member's pending requests may hold together.",
  })
  memberSharePercent!: number;

  @Field(() => Int, { description: 'How many requests one member may have pending at once.' })
  maxOpenRequestsPerMember!: number;

  @Field(() => [User], { description: 'The n stewards who vote on its disbursements.' })
  stewards!: User[];

  @Field(() => Int, { description: 'The version of the rule in force.' })
  version!: number;

  @Field(() => [FundRuleVersion], { description: 'Every version of the rule, oldest first.' })
  history!: FundRuleVersion[];

  @Field(() => [FundRuleProposal], {
    description:
      'Open proposals to change the rule, with who approved them; each needs approvalsRequired of the current stewards.',
  })
  proposals!: FundRuleProposal[];
}

@ObjectType()
export class SetFundStewardsPayload {
  @Field(() => Fund, { description: 'The fund after the call: the new rule when it was applied.' })
  fund!: Fund;

  @Field({
    description:
      'True when this approval was the k-th and the rule was applied; false while it waits for more stewards, and when the rule asked for is already in force.',
  })
  applied!: boolean;

  @Field(() => Int, {
    description:
      "Current stewards who have asked for exactly this rule against the fund's version, you included (0 when it is already in force).",
  })
  approvals!: number;

  @Field(() => Int, {
    description: 'Approvals the change needs: k of the rule in force when it was asked for.',
  })
  approvalsRequired!: number;

  @Field(() => [Transfer], {
    description:
      'Pending disbursements the change decided: voided when the new stewards can no longer approve them, expired when past their deadline, posted when their counted approvals reach their k.',
  })
  decidedDisbursements!: Transfer[];
}

@ObjectType()
export class SetFundRequestLimitsPayload {
  @Field(() => Fund, {
    description: 'The fund after the call: the new limits when they were applied.',
  })
  fund!: Fund;

  @Field({
    description:
      'True when this approval was the k-th and the limits were applied; false while it waits for more stewards, and when the limits asked for are already in force.',
  })
  applied!: boolean;

  @Field(() => Int, {
    description:
      "Current stewards who have asked for exactly these terms against the fund's version, you included (0 when they are already in force).",
  })
  approvals!: number;

  @Field(() => Int, {
    description: 'Approvals the change needs: k of the rule in force when it was asked for.',
  })
  approvalsRequired!: number;
}

@ObjectType()
export class DisbursementVote {
  @Field(() => User)
  steward!: User;

  @Field(() => VoteDecision)
  decision!: VoteDecision;

  @Field()
  votedAt!: Date;

  @Field({
    description:
      "False once the steward is no longer one of the fund's stewards: the vote stays on record but no longer counts.",
  })
  counted!: boolean;
}

@ObjectType({ description: 'A request to pay out of a fund, and its stewards’ votes so far.' })
export class Disbursement {
  @Field(() => Transfer, {
    description: 'The PENDING transfer, then POSTED, VOIDED or EXPIRED.',
  })
  transfer!: Transfer;

  @Field(() => User)
  requestedBy!: User;

  @Field(() => Int, {
    description: "k: approvals that post it, as the fund's rule was when it was requested.",
  })
  approvalsRequired!: number;

  @Field(() => Int, {
    description:
      'Rejections that void it: one more than its voters can spare (n - k + 1, less one when the requester is a fund steward).',
  })
  rejectionsRequired!: number;

  @Field(() => [User], {
    description: "The fund's current stewards who may vote: all but the requester.",
  })
  voters!: User[];

  @Field(() => Int, { description: 'Approvals that count: by current voters.' })
  approvals!: number;

  @Field(() => Int, { description: 'Rejections that count: by current voters.' })
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
    memberSharePercent: view.requestLimits.memberSharePercent,
    maxOpenRequestsPerMember: view.requestLimits.maxOpenRequests,
    stewards: view.stewards.map((steward) => person(actor, steward)),
    version: view.version,
    history: view.history.map((version) => ({
      version: version.version,
      approvalsRequired: version.approvalsRequired,
      memberSharePercent: version.requestLimits.memberSharePercent,
      maxOpenRequestsPerMember: version.requestLimits.maxOpenRequests,
      stewards: version.stewards.map((steward) => person(actor, steward)),
      changedBy: person(actor, version.changedBy),
      changedAt: version.changedAt,
      approvedBy: version.approvedBy.map((steward) => person(actor, steward)),
    })),
    proposals: view.proposals.map((proposal) => ({
      baseVersion: proposal.baseVersion,
      stewards: proposal.stewards.map((steward) => person(actor, steward)),
      approvalsRequired: proposal.rule.approvalsRequired,
      memberSharePercent: proposal.rule.memberSharePercent,
      maxOpenRequestsPerMember: proposal.rule.maxOpenRequests,
      approvals: proposal.approvals.map((approval) => ({
        steward: person(actor, approval.steward),
        approvedAt: approval.approvedAt,
        expiresAt: approval.expiresAt,
      })),
    })),
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
    votes: view.votes.map(({ vote, steward, counted }) => ({
      steward: person(actor, steward),
      decision: vote.decision,
      votedAt: vote.votedAt,
      counted,
    })),
  };
}
