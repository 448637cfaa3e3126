import { Request, Response } from 'express';

/** What every resolver receives as its GraphQL context. */
export interface GraphQLContext {
  req: Request & { id?: string | number | object };
  res?: Response;
}
