import { Field, ID, ObjectType } from '@nestjs/graphql';
import { User } from '../users/user.model';
import { CommunityEntity } from './community.entity';

@ObjectType({ description: 'A time bank, a town or any group that keeps its books in Mutua.' })
export class Community {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'Short name used to sign up and log in, e.g. "riverside-timebank".' })
  slug!: string;

  @Field()
  name!: string;

  @Field({ description: 'Whether anyone may register; otherwise an invite code is needed.' })
  openSignup!: boolean;

  @Field()
  createdAt!: Date;
}

export function toCommunity(entity: CommunityEntity): Community {
  return {
    id: entity.communityId,
    slug: entity.slug,
    name: entity.name,
    openSignup: entity.openSignup,
    createdAt: entity.createdAt,
  };
}

@ObjectType()
export class CreateCommunityPayload {
  @Field(() => Community)
  community!: Community;

  @Field(() => User)
  steward!: User;
}
