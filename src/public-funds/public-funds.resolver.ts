import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Access, Public } from '../access/access.decorator';
import { Actor } from '../access/actor';
import { CurrentActor } from '../access/current-actor.decorator';
import { Role } from '../access/role';
import { PublicFundArgs, PublicFundsArgs } from './dto/public-fund.args';
import { SetFundPublicInput } from './dto/set-fund-public.input';
import { FundPublicSetting, PublicFund, PublicFundSummary } from './public-funds.model';
import { PublicFundsService } from './public-funds.service';

@Resolver()
export class PublicFundsResolver {
  constructor(private readonly pages: PublicFundsService) {}

  @Mutation(() => FundPublicSetting, {
    description:
      "Fund steward: publish the fund's public page (balance, money in and out by month, approved disbursements, never a person's name) or withdraw it.",
  })
  @Access({ roles: [Role.STEWARD] })
  async setFundPublic(
    @CurrentActor() actor: Actor,
    @Args('input') input: SetFundPublicInput,
  ): Promise<FundPublicSetting> {
    return this.pages.setPublic(actor, input);
  }

  @Query(() => [PublicFundSummary], {
    description: 'The funds of a community whose stewards published their page; open to everyone.',
  })
  @Public()
  async publicFunds(@Args() args: PublicFundsArgs): Promise<PublicFundSummary[]> {
    return this.pages.list(args.communitySlug);
  }

  @Query(() => PublicFund, {
    description:
      'A published fund’s public page; open to everyone. NOT_FOUND for a fund that is not published.',
  })
  @Public()
  async publicFund(@Args() args: PublicFundArgs): Promise<PublicFund> {
    return this.pages.page(args.communitySlug, args.fundAccountId);
  }
}
