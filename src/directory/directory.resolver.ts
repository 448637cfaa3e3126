import { Args, Query, Resolver } from '@nestjs/graphql';
import { Access, COMMUNITY_ROLES } from '../access/access.decorator';
import { Actor } from '../access/actor';
import { CurrentActor } from '../access/current-actor.decorator';
import { AccountDirectoryArgs } from './directory.args';
import { DirectoryAccount } from './directory.model';
import { DirectoryService } from './directory.service';

@Resolver()
export class DirectoryResolver {
  constructor(private readonly directory: DirectoryService) {}

  @Query(() => [DirectoryAccount], {
    description:
      'Who you can pay in a currency, found by name: open member, shop and fund accounts of your community, by name.',
  })
  @Access({ roles: COMMUNITY_ROLES })
  async accountDirectory(
    @CurrentActor() actor: Actor,
    @Args() args: AccountDirectoryArgs,
  ): Promise<DirectoryAccount[]> {
    return this.directory.search(actor, args);
  }
}
