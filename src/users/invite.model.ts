import { Field, ID, ObjectType } from '@nestjs/graphql';
import { InviteEntity } from './invite.entity';
import { Role } from '../access/role';

@ObjectType()
export class Invite {
  @Field(() => ID)
  id!: string;

  @Field(() => Role)
  role!: Role;

  @Field(() => String, { nullable: true })
  email!: string | null;

  @Field()
  expiresAt!: Date;
}

export function toInvite(entity: InviteEntity): Invite {
  return { id: entity.id, role: entity.role, email: entity.email, expiresAt: entity.expiresAt };
}

@ObjectType()
export class CreateInvitePayload {
  @Field({ description: 'The code to give to the invitee; shown once.' })
  code!: string;

  @Field(() => Invite)
  invite!: Invite;
}
