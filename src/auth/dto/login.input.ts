import { Field, InputType } from '@nestjs/graphql';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { PASSWORD_MAX_LENGTH } from '../../access/passwords';
import { ValidEmail, ValidSlug } from '../../access/credentials.validators';

@InputType()
export class LoginInput {
  @Field()
  @ValidEmail()
  email!: string;

  @Field()
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password!: string;

  @Field({ nullable: true, description: 'The community to log in to; admins leave it out.' })
  @IsOptional()
  @ValidSlug()
  communitySlug?: string;
}
