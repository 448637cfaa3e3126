import { Field, ID, ObjectType } from '@nestjs/graphql';
import { ApiKeyScope } from '../access/actor';
import { ApiKeyEntity } from './api-key.entity';

@ObjectType({ description: 'A shop till key. Its secret is shown only once, at creation.' })
export class ApiKey {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field(() => [ApiKeyScope])
  scopes!: ApiKeyScope[];

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  revokedAt!: Date | null;
}

export function toApiKey(entity: ApiKeyEntity): ApiKey {
  return {
    id: entity.id,
    name: entity.name,
    scopes: entity.scopes,
    createdAt: entity.createdAt,
    revokedAt: entity.revokedAt,
  };
}

@ObjectType()
export class CreateApiKeyPayload {
  @Field({
    description: 'The key to configure in the till: `Authorization: Bearer <key>`. Shown once.',
  })
  key!: string;

  @Field(() => ApiKey)
  apiKey!: ApiKey;
}
