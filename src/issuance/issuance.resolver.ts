import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Access, COMMUNITY_ROLES } from '../access/access.decorator';
import { Actor } from '../access/actor';
import { CurrentActor } from '../access/current-actor.decorator';
import { toIssuancePolicy } from '../currencies/currency.model';
import { toTransferShell } from '../transfers/transfers.resolver';
import { TransferEntity } from '../transfers/transfer.entity';
import { Role } from '../access/role';
import {
  MintInput,
  RecordReserveDepositInput,
  RedeemInput,
  SetIssuancePolicyInput,
} from './dto/issuance.inputs';
import {
  DemurrageRunResult,
  IssuancePayload,
  PolicyVersion,
  SetIssuancePolicyPayload,
} from './issuance.models';
import { DemurrageService } from './demurrage.service';
import { CurrenciesService } from '../currencies/currencies.service';
import { formatAmount } from '../ledger';
import { IssuanceService } from './issuance.service';

function toPayload(transfers: TransferEntity[]): IssuancePayload {
  // The transfer in the community currency comes last: a reserve movement, if any, comes first.
  const main = transfers[transfers.length - 1];
  const reserve = transfers.length > 1 ? transfers[0] : null;
  return {
    transfer: toTransferShell(main),
    reserveTransfer: reserve === null ? null : toTransferShell(reserve),
  };
}

@Resolver()
export class IssuanceResolver {
  constructor(
    private readonly issuance: IssuanceService,
    private readonly demurrage: DemurrageService,
    private readonly currencies: CurrenciesService,
  ) {}

  @Mutation(() => SetIssuancePolicyPayload, {
    description: 'Steward: a new version of a currency’s policy.',
  })
  @Access({ roles: [Role.STEWARD] })
  async setIssuancePolicy(
    @CurrentActor() actor: Actor,
    @Args('input') input: SetIssuancePolicyInput,
  ): Promise<SetIssuancePolicyPayload> {
    const result = await this.issuance.setPolicy(actor, input);
    return {
      policy: toIssuancePolicy(result.rules, result.version, result.scale),
      accountsUpdated: result.updated,
      accountsSkipped: result.skipped,
    };
  }

  @Query(() => [PolicyVersion], {
    description: 'Every version of a currency’s policy, newest first.',
  })
  @Access({ roles: COMMUNITY_ROLES })
  async policyHistory(
    @CurrentActor() actor: Actor,
    @Args('currencyCode') currencyCode: string,
  ): Promise<PolicyVersion[]> {
    const { scale, versions } = await this.issuance.history(actor.communityId, currencyCode);
    return versions.map((version, index) => {
      const previous = versions[index + 1];
      return {
        policy: toIssuancePolicy(version.rules, version.version, scale),
        previous:
          previous === undefined ? null : toIssuancePolicy(previous.rules, previous.version, scale),
        createdBy: version.createdBy,
        createdAt: version.createdAt,
      };
    });
  }

  @Mutation(() => IssuancePayload, {
    description:
      'Steward: national money received for a member; the reserve grows and the member gets credits.',
  })
  @Access({ roles: [Role.STEWARD] })
  async recordReserveDeposit(
    @CurrentActor() actor: Actor,
    @Args('input') input: RecordReserveDepositInput,
  ): Promise<IssuancePayload> {
    return toPayload(await this.issuance.recordReserveDeposit(actor, input));
  }

  @Mutation(() => DemurrageRunResult, {
    description:
      'Steward: charge demurrage for a period (default: the current one); never twice per account.',
  })
  @Access({ roles: [Role.STEWARD] })
  async runDemurrage(
    @CurrentActor() actor: Actor,
    @Args('currencyCode') currencyCode: string,
    @Args('period', { nullable: true, description: 'e.g. 2026-Q4, 2026-11 or 2026-11-25' })
    period?: string,
  ): Promise<DemurrageRunResult> {
    const run = await this.demurrage.run(actor.communityId, currencyCode, period);
    const scale = (await this.currencies.get(actor.communityId, currencyCode)).scale;
    return {
      period: run.period,
      accountsCharged: run.accountsCharged,
      alreadyCharged: run.alreadyCharged,
      failed: run.failed,
      totalCharged: formatAmount(run.totalChargedMinor, scale),
    };
  }

  @Mutation(() => IssuancePayload, {
    description: 'Steward: new credits from ISSUANCE, within the reserve’s cap.',
  })
  @Access({ roles: [Role.STEWARD] })
  async mint(
    @CurrentActor() actor: Actor,
    @Args('input') input: MintInput,
  ): Promise<IssuancePayload> {
    return toPayload(await this.issuance.mint(actor, input));
  }

  @Mutation(() => IssuancePayload, {
    description: 'Shop: credits back into national money, less the redemption fee.',
  })
  @Access({ roles: [Role.SHOP, Role.STEWARD] })
  async redeem(
    @CurrentActor() actor: Actor,
    @Args('input') input: RedeemInput,
  ): Promise<IssuancePayload> {
    return toPayload(await this.issuance.redeem(actor, input));
  }
}
