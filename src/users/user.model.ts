import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Role, UserStatus } from '../access/role';
import { UserEntity } from './user.entity';

@ObjectType({ description: 'A person or shop in a community, or a deployment admin.' })
export class User {
  @Field(() => ID)
  id!: string;

  @Field()
  email!: string;

  @Field()
  displayName!: string;

  @Field(() => Role)
  role!: Role;

  @Field(() => UserStatus)
  status!: UserStatus;

  @Field()
  createdAt!: Date;

  /** Not a GraphQL field: lets nested resolvers stay inside the community. */
  communityId!: string;

  /**
   * Not a GraphQL field: false when the user is shown as someone's
   * counterparty, who sees their name but not their email.
   */
  emailVisible!: boolean;
}

export function toUser(entity: UserEntity, emailVisible = true): User {
  return {
    emailVisible,
    id: entity.id,
    email: entity.email,
    displayName: entity.displayName,
    role: entity.role,
    status: entity.status,
    createdAt: entity.createdAt,
    communityId: entity.communityId,
  };
}
