import { UseGuards } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Access, COMMUNITY_ROLES, Public } from '../access/access.decorator';
import { Actor } from '../access/actor';
import { ApiKey, CreateApiKeyPayload, toApiKey } from './api-key.model';
import { ApiKeysService } from './api-keys.service';
import { AuthPayload } from './auth.model';
import { AuthService } from './auth.service';
import { CurrentActor } from '../access/current-actor.decorator';
import { ChangePasswordInput } from './dto/change-password.input';
import { CreateApiKeyInput } from './dto/create-api-key.input';
import { LoginInput } from './dto/login.input';
import { RegisterInput } from './dto/register.input';
import { GraphQLThrottlerGuard } from './graphql-throttler.guard';
import { Role } from '../access/role';
import { toUser } from '../users/user.model';

@Resolver()
export class AuthResolver {
  constructor(
    private readonly auth: AuthService,
    private readonly apiKeyService: ApiKeysService,
  ) {}

  @Mutation(() => AuthPayload, { description: 'Join a community as a member or shop.' })
  @Public()
  @UseGuards(GraphQLThrottlerGuard)
  async register(@Args('input') input: RegisterInput): Promise<AuthPayload> {
    const { token, user } = await this.auth.register(input);
    return { token, user: toUser(user) };
  }

  @Mutation(() => AuthPayload, {
    description: 'A bearer token for a member, shop, steward or admin.',
  })
  @Public()
  @UseGuards(GraphQLThrottlerGuard)
  async login(@Args('input') input: LoginInput): Promise<AuthPayload> {
    const { token, user } = await this.auth.login(input);
    return { token, user: toUser(user) };
  }

  @Mutation(() => String, {
    description: 'Change your password; every older token stops working. Returns a new token.',
  })
  @Access({ roles: [...COMMUNITY_ROLES, Role.ADMIN] })
  @UseGuards(GraphQLThrottlerGuard)
  changePassword(
    @CurrentActor() actor: Actor,
    @Args('input') input: ChangePasswordInput,
  ): Promise<string> {
    return this.auth.changePassword(actor, input.currentPassword, input.newPassword);
  }

  @Mutation(() => Boolean, {
    description: 'End every session of the caller: all their tokens stop working.',
  })
  @Access({ roles: [...COMMUNITY_ROLES, Role.ADMIN] })
  async logout(@CurrentActor() actor: Actor): Promise<boolean> {
    await this.auth.revokeTokens(actor.communityId, actor.userId);
    return true;
  }

  @Mutation(() => CreateApiKeyPayload, { description: 'Shop: a key for a till, shown once.' })
  @Access({ roles: [Role.SHOP] })
  async createApiKey(
    @CurrentActor() actor: Actor,
    @Args('input') input: CreateApiKeyInput,
  ): Promise<CreateApiKeyPayload> {
    const { key, apiKey } = await this.apiKeyService.create(
      actor.communityId,
      actor.userId,
      input.name,
      input.scopes,
    );
    return { key, apiKey: toApiKey(apiKey) };
  }

  @Query(() => [ApiKey], {
    description: "Shop: the shop's till keys, newest first (secrets are never shown again).",
  })
  @Access({ roles: [Role.SHOP] })
  async apiKeys(@CurrentActor() actor: Actor): Promise<ApiKey[]> {
    return (await this.apiKeyService.list(actor.communityId, actor.userId)).map(toApiKey);
  }

  @Mutation(() => ApiKey, { description: 'Shop: revoke a till key at once.' })
  @Access({ roles: [Role.SHOP] })
  async revokeApiKey(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<ApiKey> {
    return toApiKey(await this.apiKeyService.revoke(actor.communityId, actor.userId, id));
  }
}
