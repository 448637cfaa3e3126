import { Request, Response } from 'express';
import type { Actor } from '../../auth/actor';

/** What every resolver receives as its GraphQL context. */
export interface GraphQLContext {
  req: Request & { id?: string | number | object; actor?: Actor };
  res?: Response;
}
