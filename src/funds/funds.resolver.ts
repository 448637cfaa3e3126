import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Access, COMMUNITY_ROLES } from '../access/access.decorator';
import { Actor } from '../access/actor';
import { CurrentActor } from '../access/current-actor.decorator';
import { Transfer } from '../transfers/transfer.model';
import { toTransferShell } from '../transfers/transfers.resolver';
import { Role } from '../access/role';
import { VoteDecision } from './disbursement-rules';
import { DisbursementsService } from './disbursements.service';
import { RequestDisbursementInput } from './dto/request-disbursement.input';
import { SetFundRequestLimitsInput } from './dto/set-fund-request-limits.input';
import { SetFundStewardsInput } from './dto/set-fund-stewards.input';
import { FundStewardsService } from './fund-stewards.service';
import {
  Disbursement,
  Fund,
  SetFundRequestLimitsPayload,
  SetFundStewardsPayload,
  toDisbursement,
  toFund,
} from './funds.model';
import { FundsService } from './funds.service';

@Resolver()
export class FundsResolver {
  constructor(
    private readonly funds: FundsService,
    private readonly disbursements: DisbursementsService,
    private readonly stewards: FundStewardsService,
  ) {}

  @Mutation(() => Transfer, {
    description:
      "Ask a fund for money: a PENDING DISBURSEMENT transfer, held until k of the fund's stewards approve it. Into your own account; the fund's stewards may name any account.",
  })
  @Access({ roles: COMMUNITY_ROLES })
  async requestDisbursement(
    @CurrentActor() actor: Actor,
    @Args('input') input: RequestDisbursementInput,
  ): Promise<Transfer> {
    return toTransferShell(await this.disbursements.request(actor, input));
  }

  @Mutation(() => Transfer, {
    description:
      'Fund steward: approve a disbursement (one vote each, never your own request); the k-th approval posts it.',
  })
  @Access({ roles: [Role.STEWARD] })
  async approveTransfer(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<Transfer> {
    return toTransferShell(await this.disbursements.vote(actor, id, VoteDecision.APPROVE));
  }

  @Mutation(() => Transfer, {
    description:
      'Fund steward: reject a disbursement (one vote each); once k approvals cannot be reached it is voided.',
  })
  @Access({ roles: [Role.STEWARD] })
  async rejectTransfer(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<Transfer> {
    return toTransferShell(await this.disbursements.vote(actor, id, VoteDecision.REJECT));
  }

  @Mutation(() => SetFundStewardsPayload, {
    description:
      "Fund steward: ask for a new rule for the fund, its stewards and k (a steward leaves, another joins). Your call is your approval of exactly this rule (the same stewards in any order and k) against the fund's current version, replacing any approval of yours of another rule; naming the rule in force withdraws it. When k of the current stewards have asked for the identical rule it is applied: a new version with who approved it and when. Approvals lapse when the version changes or after the disbursement expiry. Pending requests keep their k and are decided by the new stewards: votes of removed stewards stop counting, and a request the new stewards can no longer approve is voided.",
  })
  @Access({ roles: [Role.STEWARD] })
  async setFundStewards(
    @CurrentActor() actor: Actor,
    @Args('input') input: SetFundStewardsInput,
  ): Promise<SetFundStewardsPayload> {
    const change = await this.stewards.setStewards(actor, input);
    return {
      fund: toFund(actor, change.fund),
      applied: change.applied,
      approvals: change.approvals,
      approvalsRequired: change.approvalsRequired,
      decidedDisbursements: change.decided.map(toTransferShell),
    };
  }

  @Mutation(() => SetFundRequestLimitsPayload, {
    description:
      "Fund steward: ask for new request limits for the fund (one member's share of its balance in pending requests, and how many they may keep pending), with its stewards and k unchanged. Like setFundStewards, your call is your approval of exactly these terms against the fund's current version, and they apply when k of the current stewards have asked for them: a new version with who approved it and when. They hold for the next request; requests already pending stay.",
  })
  @Access({ roles: [Role.STEWARD] })
  async setFundRequestLimits(
    @CurrentActor() actor: Actor,
    @Args('input') input: SetFundRequestLimitsInput,
  ): Promise<SetFundRequestLimitsPayload> {
    const change = await this.stewards.setRequestLimits(actor, input);
    return {
      fund: toFund(actor, change.fund),
      applied: change.applied,
      approvals: change.approvals,
      approvalsRequired: change.approvalsRequired,
    };
  }

  @Query(() => Disbursement, {
    description: "A disbursement and its votes: for its requester and the community's stewards.",
  })
  @Access({ roles: COMMUNITY_ROLES })
  async disbursement(
    @CurrentActor() actor: Actor,
    @Args('transferId', { type: () => ID }) transferId: string,
  ): Promise<Disbursement> {
    return toDisbursement(actor, await this.disbursements.get(actor, transferId));
  }

  @Query(() => Fund, {
    description:
      'A fund of your community: its stewards, approvals needed, history and open proposals to change them.',
  })
  @Access({ roles: COMMUNITY_ROLES })
  async fund(
    @CurrentActor() actor: Actor,
    @Args('accountId', { type: () => ID }) accountId: string,
  ): Promise<Fund> {
    return toFund(actor, await this.funds.get(actor, accountId));
  }
}
