import { Field, InputType } from '@nestjs/graphql';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { Role } from '../../access/role';
import {
  ValidDisplayName,
  ValidEmail,
  ValidNewPassword,
  ValidSlug,
} from '../../access/credentials.validators';

@InputType()
export class RegisterInput {
  @Field()
  @ValidSlug()
  communitySlug!: string;

  @Field()
  @ValidEmail()
  email!: string;

  @Field()
  @ValidNewPassword()
  password!: string;

  @Field()
  @ValidDisplayName()
  displayName!: string;

  @Field(() => Role, {
    nullable: true,
    description: 'MEMBER (default) or SHOP; an invite decides its own role.',
  })
  @IsOptional()
  @IsIn([Role.MEMBER, Role.SHOP], { message: 'must be MEMBER or SHOP' })
  role?: Role;

  @Field({ nullable: true, description: 'Needed when the community does not allow open sign-up.' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  inviteCode?: string;
}
