import { Field, InputType } from '@nestjs/graphql';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsEnum,
  IsString,
  MaxLength,
  MinLength,
} from 'class-validator';
import { ApiKeyScope } from '../../access/actor';

@InputType()
export class CreateApiKeyInput {
  @Field({ description: 'What the key is for, e.g. "front till".' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  @Field(() => [ApiKeyScope])
  @ArrayMinSize(1)
  @ArrayMaxSize(2)
  @IsEnum(ApiKeyScope, { each: true })
  scopes!: ApiKeyScope[];
}
