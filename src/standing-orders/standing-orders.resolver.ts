import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Access, COMMUNITY_ROLES } from '../access/access.decorator';
import { Actor } from '../access/actor';
import { CurrentActor } from '../access/current-actor.decorator';
import { formatAmount } from '../ledger';
import { LedgerDirectory } from '../transfers/ledger-directory';
import { CreateStandingOrderInput } from './dto/standing-order.inputs';
import { StandingOrderEntity, StandingOrderRunEntity } from './standing-order.entity';
import { StandingOrder } from './standing-order.model';
import { StandingOrdersService } from './standing-orders.service';

@Resolver(() => StandingOrder)
export class StandingOrdersResolver {
  constructor(
    private readonly orders: StandingOrdersService,
    private readonly scales: LedgerDirectory,
  ) {}

  @Mutation(() => StandingOrder, {
    description: 'A recurring payment from your account (stewards: any), e.g. a membership fee.',
  })
  @Access({ roles: COMMUNITY_ROLES })
  async createStandingOrder(
    @CurrentActor() actor: Actor,
    @Args('input') input: CreateStandingOrderInput,
  ): Promise<StandingOrder> {
    return this.toModel(actor, await this.orders.create(actor, input), []);
  }

  @Mutation(() => StandingOrder, { description: 'Stop a standing order; nothing more falls due.' })
  @Access({ roles: COMMUNITY_ROLES })
  async cancelStandingOrder(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<StandingOrder> {
    return this.toModel(actor, await this.orders.cancel(actor, id), []);
  }

  @Query(() => [StandingOrder], {
    description: 'Standing orders paying from an account, with their latest runs and failures.',
  })
  @Access({ roles: COMMUNITY_ROLES })
  async standingOrders(
    @CurrentActor() actor: Actor,
    @Args('accountId', { type: () => ID }) accountId: string,
  ): Promise<StandingOrder[]> {
    const rows = await this.orders.list(actor, accountId);
    return Promise.all(rows.map(({ order, runs }) => this.toModel(actor, order, runs)));
  }

  private async toModel(
    actor: Actor,
    order: StandingOrderEntity,
    runs: StandingOrderRunEntity[],
  ): Promise<StandingOrder> {
    const scale = (await this.scales.scaleOf(actor.communityId, order.fromAccountId)) ?? 0;
    return {
      id: order.id,
      fromAccountId: order.fromAccountId,
      toAccountId: order.toAccountId,
      amount: formatAmount(BigInt(order.amountMinor), scale),
      kind: order.kind,
      memo: order.memo,
      interval: order.interval,
      nextRunAt: order.nextRunAt,
      endsAt: order.endsAt,
      status: order.status,
      runs: runs.map((run) => ({
        dueAt: run.dueAt,
        transferId: run.transferId,
        errorCode: run.errorCode,
        errorMessage: run.errorMessage,
        ranAt: run.ranAt,
      })),
    };
  }
}
