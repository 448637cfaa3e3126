import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { AppError } from '../common/errors/app-error';
import { Access, COMMUNITY_ROLES } from '../access/access.decorator';
import { Actor } from '../access/actor';
import { CurrentActor } from '../access/current-actor.decorator';
import { Connection, PageArgs, pageSize, toConnection } from '../common/pagination/connection';
import { CreateInviteInput, SetUserRoleInput, SetUserStatusInput } from './dto/user-admin.inputs';
import { CreateInvitePayload, toInvite } from './invite.model';
import { Role } from '../access/role';
import { toUser, User } from './user.model';
import { UsersService } from './users.service';

const UserConnection = Connection(User, 'User');

@Resolver(() => User)
export class UsersResolver {
  constructor(private readonly userService: UsersService) {}

  @Query(() => User, { description: 'The caller, with their accounts.' })
  @Access({ roles: [...COMMUNITY_ROLES, Role.ADMIN] })
  async me(@CurrentActor() actor: Actor): Promise<User> {
    return toUser(await this.userService.get(actor.communityId, actor.userId));
  }

  @Query(() => User, { description: "Steward: a user of the steward's community." })
  @Access({ roles: [Role.STEWARD] })
  async user(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<User> {
    return toUser(await this.userService.get(actor.communityId, id));
  }

  @Query(() => UserConnection, { description: "Steward: the community's users, by email." })
  @Access({ roles: [Role.STEWARD] })
  async users(@CurrentActor() actor: Actor, @Args() page: PageArgs) {
    const rows = await this.userService.list(actor.communityId, page);
    return toConnection(rows, pageSize(page), toUser, (row) => [row.email]);
  }

  @ResolveField(() => String)
  email(@Parent() user: User): string {
    if (!user.emailVisible) {
      throw new AppError('FORBIDDEN', "Only the user, stewards and admins see a user's email");
    }
    return user.email;
  }

  @Mutation(() => CreateInvitePayload, {
    description: 'Steward: an invite code for a member, shop or steward.',
  })
  @Access({ roles: [Role.STEWARD] })
  async createInvite(
    @CurrentActor() actor: Actor,
    @Args('input') input: CreateInviteInput,
  ): Promise<CreateInvitePayload> {
    const { code, invite } = await this.userService.createInvite(
      actor.communityId,
      actor.userId,
      input,
    );
    return { code, invite: toInvite(invite) };
  }

  @Mutation(() => User, { description: 'Steward: promote or demote a user.' })
  @Access({ roles: [Role.STEWARD] })
  async setUserRole(
    @CurrentActor() actor: Actor,
    @Args('input') input: SetUserRoleInput,
  ): Promise<User> {
    return toUser(await this.userService.setRole(actor.communityId, input));
  }

  @Mutation(() => User, {
    description: 'Steward: suspend a user (ending their sessions) or reinstate them.',
  })
  @Access({ roles: [Role.STEWARD] })
  async setUserStatus(
    @CurrentActor() actor: Actor,
    @Args('input') input: SetUserStatusInput,
  ): Promise<User> {
    return toUser(await this.userService.setStatus(actor.communityId, actor.userId, input));
  }
}
