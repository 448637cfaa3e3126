import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Access, COMMUNITY_ROLES } from '../access/access.decorator';
import { Actor } from '../access/actor';
import { CurrentActor } from '../access/current-actor.decorator';
import { Role } from '../access/role';
import { CurrenciesService } from './currencies.service';
import { Currency, toCurrency } from './currency.model';
import { CurrencyEntity } from './currency.entity';
import { CreateCurrencyInput } from './dto/create-currency.input';

@Resolver(() => Currency)
export class CurrenciesResolver {
  constructor(private readonly currencyService: CurrenciesService) {}

  @Mutation(() => Currency, {
    description: 'Steward: a currency, its first policy version and its ISSUANCE account.',
  })
  @Access({ roles: [Role.STEWARD] })
  async createCurrency(
    @CurrentActor() actor: Actor,
    @Args('input') input: CreateCurrencyInput,
  ): Promise<Currency> {
    const currency = await this.currencyService.create(actor.communityId, actor.userId, input);
    return (await this.withPolicies(actor.communityId, [currency]))[0];
  }

  @Query(() => [Currency], { description: "The community's currencies." })
  @Access({ roles: COMMUNITY_ROLES })
  async currencies(@CurrentActor() actor: Actor): Promise<Currency[]> {
    return this.withPolicies(actor.communityId, await this.currencyService.list(actor.communityId));
  }

  @Query(() => Currency)
  @Access({ roles: COMMUNITY_ROLES })
  async currency(@CurrentActor() actor: Actor, @Args('code') code: string): Promise<Currency> {
    return (
      await this.withPolicies(actor.communityId, [
        await this.currencyService.get(actor.communityId, code),
      ])
    )[0];
  }

  private async withPolicies(communityId: string, rows: CurrencyEntity[]): Promise<Currency[]> {
    const policies = await this.currencyService.currentPolicies(
      communityId,
      rows.map((row) => row.code),
    );
    return rows.map((row) => {
      const policy = policies.get(row.code);
      return toCurrency(row, policy?.rules ?? null, policy?.version ?? null);
    });
  }
}
