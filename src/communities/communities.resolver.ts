import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Access, Public } from '../access/access.decorator';
import { Actor } from '../access/actor';
import { CurrentActor } from '../access/current-actor.decorator';
import { Connection, PageArgs, pageSize, toConnection } from '../common/pagination/connection';
import { Role } from '../access/role';
import { toUser } from '../users/user.model';
import { CommunitiesService } from './communities.service';
import { Community, CreateCommunityPayload, toCommunity } from './community.model';
import { CreateCommunityInput } from './dto/create-community.input';
import { UpdateCommunityInput } from './dto/update-community.input';

const CommunityConnection = Connection(Community, 'Community');

@Resolver(() => Community)
export class CommunitiesResolver {
  constructor(private readonly communityService: CommunitiesService) {}

  @Mutation(() => CreateCommunityPayload, {
    description: 'Admin: a community and its first steward.',
  })
  @Access({ roles: [Role.ADMIN] })
  async createCommunity(
    @Args('input') input: CreateCommunityInput,
  ): Promise<CreateCommunityPayload> {
    const { community, steward } = await this.communityService.create(input);
    return { community: toCommunity(community), steward: toUser(steward) };
  }

  @Query(() => CommunityConnection, { description: 'Admin: every community, by slug.' })
  @Access({ roles: [Role.ADMIN] })
  async communities(@Args() page: PageArgs) {
    const rows = await this.communityService.list(page);
    return toConnection(rows, pageSize(page), toCommunity, (row) => [row.slug]);
  }

  @Query(() => Community, {
    nullable: true,
    description: 'A community by slug, for sign-up pages; open to everyone.',
  })
  @Public()
  async community(@Args('slug') slug: string): Promise<Community | null> {
    const community = await this.communityService.bySlug(slug);
    return community === null ? null : toCommunity(community);
  }

  @Mutation(() => Community, {
    description: 'Steward: rename the community or open or close sign-up.',
  })
  @Access({ roles: [Role.STEWARD] })
  async updateCommunity(
    @CurrentActor() actor: Actor,
    @Args('input') input: UpdateCommunityInput,
  ): Promise<Community> {
    return toCommunity(await this.communityService.update(actor.communityId, input));
  }
}
