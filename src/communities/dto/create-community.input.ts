import { Field, InputType } from '@nestjs/graphql';
import { IsBoolean, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import {
  ValidDisplayName,
  ValidEmail,
  ValidNewPassword,
  ValidSlug,
} from '../../access/credentials.validators';

@InputType()
export class CreateCommunityInput {
  @Field()
  @ValidSlug()
  slug!: string;

  @Field()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @Field()
  @ValidEmail()
  stewardEmail!: string;

  @Field()
  @ValidNewPassword()
  stewardPassword!: string;

  @Field()
  @ValidDisplayName()
  stewardName!: string;

  @Field({ nullable: true, description: 'Whether anyone may register (default true).' })
  @IsOptional()
  @IsBoolean()
  openSignup?: boolean;
}
