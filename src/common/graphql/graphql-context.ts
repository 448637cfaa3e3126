import { Request, Response } from 'express';
/**
 * What every resolver receives as its GraphQL context. `actor` is whoever
 * the auth module found the request to come from; its type belongs to that
 * module (AuthContext in src/auth/), not to what every feature shares.
 */
export interface GraphQLContext<Caller = unknown> {
  req: Request & { id?: string | number | object; actor?: Caller };
  res?: Response;
}
