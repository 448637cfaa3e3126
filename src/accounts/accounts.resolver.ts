import {
  Args,
  Context,
  ID,
  Mutation,
  Parent,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import Decimal from 'decimal.js';
import { Access, COMMUNITY_ROLES } from '../access/access.decorator';
import { Actor, ApiKeyScope } from '../access/actor';
import { CurrentActor } from '../access/current-actor.decorator';
import { AppError } from '../common/errors/app-error';
import { GraphQLContext } from '../common/graphql/graphql-context';
import { Connection, PageArgs, pageSize, toConnection } from '../common/pagination/connection';
import { Currency } from '../currencies/currency.model';
import { earnedCreditMinor, earnedCreditRuleOf, earnedFloorMinor, formatAmount } from '../ledger';
import { AccountLoaders } from './account-loaders';
import { Role } from '../access/role';
import { toUser, User } from '../users/user.model';
import { mayReadAccount } from './account-access';
import { Account, toAccountShell } from './account.model';
import { AccountsService } from './accounts.service';
import {
  AccountFilter,
  OpenAccountInput,
  SetAccountLimitsInput,
  SetAccountStatusInput,
} from './dto/account.inputs';

const AccountConnection = Connection(Account, 'Account');

@Resolver(() => Account)
export class AccountsResolver {
  constructor(
    private readonly accountService: AccountsService,
    private readonly accountLoaders: AccountLoaders,
  ) {}

  @Mutation(() => Account, {
    description: 'Members and shops open their own; stewards open any kind for anyone.',
  })
  @Access({ roles: COMMUNITY_ROLES })
  async openAccount(
    @CurrentActor() actor: Actor,
    @Args('input') input: OpenAccountInput,
  ): Promise<Account> {
    return toAccountShell(await this.accountService.open(actor, input));
  }

  @Mutation(() => Account, {
    description: 'Steward: floor, ceiling and warning level of an account.',
  })
  @Access({ roles: [Role.STEWARD] })
  async setAccountLimits(
    @CurrentActor() actor: Actor,
    @Args('input') input: SetAccountLimitsInput,
  ): Promise<Account> {
    return toAccountShell(await this.accountService.setLimits(actor, input));
  }

  @Mutation(() => Account, { description: 'Steward: freeze, reopen or close an account.' })
  @Access({ roles: [Role.STEWARD] })
  async setAccountStatus(
    @CurrentActor() actor: Actor,
    @Args('input') input: SetAccountStatusInput,
  ): Promise<Account> {
    return toAccountShell(await this.accountService.setStatus(actor, input));
  }

  @Query(() => Account, { description: 'An account of yours (stewards: any of the community).' })
  @Access({ roles: COMMUNITY_ROLES, apiKeyScopes: [ApiKeyScope.READ_PAYMENTS] })
  async account(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<Account> {
    return toAccountShell(await this.accountService.getReadable(actor, id));
  }

  @Query(() => AccountConnection, {
    description: 'Your accounts (stewards: any of the community), by id.',
  })
  @Access({ roles: COMMUNITY_ROLES, apiKeyScopes: [ApiKeyScope.READ_PAYMENTS] })
  async accounts(
    @CurrentActor() actor: Actor,
    @Args() page: PageArgs,
    @Args('filter', { nullable: true }) filter?: AccountFilter,
  ) {
    const rows = await this.accountService.list(actor, filter ?? {}, page);
    return toConnection(rows, pageSize(page), toAccountShell, (row) => [row.id]);
  }

  @ResolveField(() => Currency)
  async currency(
    @Parent() account: Account,
    @Context() context: GraphQLContext,
  ): Promise<Currency> {
    const currency = await this.accountLoaders
      .for(context.req, account.entity.communityId)
      .currency.load(account.entity.currencyCode);
    if (currency === null) throw new Error(`account ${account.id} has no currency`);
    return currency;
  }

  @ResolveField(() => User, { nullable: true })
  async owner(
    @Parent() account: Account,
    @CurrentActor() actor: Actor,
    @Context() context: GraphQLContext,
  ): Promise<User | null> {
    if (account.entity.ownerId === null) return null;
    const owner = await this.accountLoaders
      .for(context.req, account.entity.communityId)
      .user.load(account.entity.ownerId);
    // A counterparty sees the owner's name; the email only those who may read the account.
    return owner === null ? null : toUser(owner, mayReadAccount(actor, account.entity));
  }

  @ResolveField(() => Decimal)
  async balance(
    @Parent() account: Account,
    @CurrentActor() actor: Actor,
    @Context() context: GraphQLContext,
  ) {
    return this.money(account, actor, context, (entity) => BigInt(entity.balanceMinor));
  }

  @ResolveField(() => Decimal)
  async availableBalance(
    @Parent() account: Account,
    @CurrentActor() actor: Actor,
    @Context() context: GraphQLContext,
  ) {
    return this.money(
      account,
      actor,
      context,
      (entity) => BigInt(entity.balanceMinor) - BigInt(entity.pendingDebitMinor),
    );
  }

  @ResolveField(() => Decimal, { nullable: true })
  async floor(
    @Parent() account: Account,
    @CurrentActor() actor: Actor,
    @Context() context: GraphQLContext,
  ) {
    return this.money(account, actor, context, (entity) =>
      entity.floorMinor === null ? null : BigInt(entity.floorMinor),
    );
  }

  @ResolveField(() => Decimal)
  async earnedCredit(
    @Parent() account: Account,
    @CurrentActor() actor: Actor,
    @Context() context: GraphQLContext,
  ) {
    return this.money(account, actor, context, (entity, currency) =>
      earnedCreditMinor(
        BigInt(entity.receivedMinor),
        earnedCreditRuleOf(currency.rules, entity.kind),
      ),
    );
  }

  @ResolveField(() => Decimal, { nullable: true })
  async effectiveFloor(
    @Parent() account: Account,
    @CurrentActor() actor: Actor,
    @Context() context: GraphQLContext,
  ) {
    return this.money(account, actor, context, (entity, currency) =>
      earnedFloorMinor(
        entity.floorMinor === null ? null : BigInt(entity.floorMinor),
        BigInt(entity.receivedMinor),
        earnedCreditRuleOf(currency.rules, entity.kind),
      ),
    );
  }

  @ResolveField(() => Decimal, { nullable: true })
  async ceiling(
    @Parent() account: Account,
    @CurrentActor() actor: Actor,
    @Context() context: GraphQLContext,
  ) {
    return this.money(account, actor, context, (entity) =>
      entity.ceilingMinor === null ? null : BigInt(entity.ceilingMinor),
    );
  }

  @ResolveField(() => Decimal, { nullable: true })
  async warningLevel(
    @Parent() account: Account,
    @CurrentActor() actor: Actor,
    @Context() context: GraphQLContext,
  ) {
    return this.money(account, actor, context, (entity) =>
      entity.warningMinor === null ? null : BigInt(entity.warningMinor),
    );
  }

  /** Money fields: shown to those who may read the account, refused to a counterparty. */
  private async money(
    account: Account,
    actor: Actor,
    context: GraphQLContext,
    pick: (entity: Account['entity'], currency: Currency) => bigint | null,
  ): Promise<string | null> {
    if (!mayReadAccount(actor, account.entity)) {
      throw new AppError('FORBIDDEN', "Only the account's owner and stewards see its money");
    }
    const currency = await this.accountLoaders
      .for(context.req, account.entity.communityId)
      .currency.load(account.entity.currencyCode);
    if (currency === null) return null;
    const value = pick(account.entity, currency);
    return value === null ? null : formatAmount(value, currency.scale);
  }
}
