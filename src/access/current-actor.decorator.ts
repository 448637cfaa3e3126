import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { Actor, AuthContext } from './actor';

/** The caller of a resolver whose access rule requires one (never anonymous there). */
export const CurrentActor = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Actor => {
    const { req } = GqlExecutionContext.create(context).getContext<AuthContext>();
    if (req.actor === undefined)
      throw new Error('CurrentActor used on an operation open to anonymous callers');
    return req.actor;
  },
);
