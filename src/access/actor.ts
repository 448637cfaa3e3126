import { registerEnumType } from '@nestjs/graphql';
import { GraphQLContext } from '../common/graphql/graphql-context';
import { Role } from './role';

/**
 * Who is asking. Every request is either anonymous, a logged-in user (JWT)
 * or a shop till (API key); the access guard resolves it once and resolvers
 * receive it with @CurrentActor().
 */
export enum ApiKeyScope {
  /** Create payment requests to the shop's own accounts. */
  CREATE_PAYMENT_REQUESTS = 'CREATE_PAYMENT_REQUESTS',
  /** See payments into the shop's own accounts. */
  READ_PAYMENTS = 'READ_PAYMENTS',
}

registerEnumType(ApiKeyScope, { name: 'ApiKeyScope', description: 'What a till key may do.' });

export interface UserActor {
  kind: 'USER';
  communityId: string;
  userId: string;
  role: Role;
}

export interface ApiKeyActor {
  kind: 'API_KEY';
  communityId: string;
  /** The shop user who owns the key; the key acts on that user's accounts only. */
  userId: string;
  keyId: string;
  role: Role.SHOP;
  scopes: ApiKeyScope[];
}

export type Actor = UserActor | ApiKeyActor;

export function isSteward(actor: Actor): boolean {
  return actor.kind === 'USER' && actor.role === Role.STEWARD;
}

/** The GraphQL context as the auth module fills it: the request carries its caller. */
export type AuthContext = GraphQLContext<Actor>;
