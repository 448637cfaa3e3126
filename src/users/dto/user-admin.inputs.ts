import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { IsEnum, IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { ValidEmail } from '../../access/credentials.validators';
import { Role, UserStatus } from '../../access/role';

@InputType()
export class CreateInviteInput {
  @Field(() => Role, { description: 'MEMBER, SHOP or STEWARD.' })
  @IsIn([Role.MEMBER, Role.SHOP, Role.STEWARD], { message: 'must be MEMBER, SHOP or STEWARD' })
  role!: Role;

  @Field({ nullable: true, description: 'Only this email may use the invite.' })
  @IsOptional()
  @ValidEmail()
  email?: string;

  @Field(() => Int, {
    nullable: true,
    description: 'Days until the invite expires (1 to 90, default 14).',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(90)
  expiresInDays?: number;
}

@InputType()
export class SetUserRoleInput {
  @Field(() => ID)
  @IsUUID()
  userId!: string;

  @Field(() => Role, { description: 'MEMBER, SHOP or STEWARD.' })
  @IsIn([Role.MEMBER, Role.SHOP, Role.STEWARD], { message: 'must be MEMBER, SHOP or STEWARD' })
  role!: Role;
}

@InputType()
export class SetUserStatusInput {
  @Field(() => ID)
  @IsUUID()
  userId!: string;

  @Field(() => UserStatus)
  @IsEnum(UserStatus)
  status!: UserStatus;
}
