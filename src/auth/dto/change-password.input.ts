import { Field, InputType } from '@nestjs/graphql';
import { IsString, MaxLength } from 'class-validator';
import { PASSWORD_MAX_LENGTH } from '../passwords';
import { ValidNewPassword } from './credentials.validators';

@InputType()
export class ChangePasswordInput {
  @Field()
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  currentPassword!: string;

  @Field()
  @ValidNewPassword()
  newPassword!: string;
}
