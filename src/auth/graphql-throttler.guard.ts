import { ExecutionContext, Injectable } from '@nestjs/common';
import { GqlContextType, GqlExecutionContext } from '@nestjs/graphql';
import { ThrottlerException, ThrottlerGuard } from '@nestjs/throttler';
import { Request, Response } from 'express';
import { GraphQLContext } from '../common/graphql/graphql-context';

/**
 * @nestjs/throttler's guard, taught where GraphQL keeps the request. Used on
 * sign-up, login and password change only: per client address, a burst of
 * attempts is refused with FORBIDDEN (reason RATE_LIMITED).
 */
@Injectable()
export class GraphQLThrottlerGuard extends ThrottlerGuard {
  protected override getRequestResponse(context: ExecutionContext): {
    req: Request;
    res: Response;
  } {
    if (context.getType<GqlContextType>() !== 'graphql') {
      return super.getRequestResponse(context) as { req: Request; res: Response };
    }
    const { req, res } = GqlExecutionContext.create(context).getContext<GraphQLContext>();
    return { req, res: res ?? (req.res as Response) };
  }

  protected override async throwThrottlingException(): Promise<void> {
    throw new ThrottlerException(
      'Too many attempts from this address: wait a minute and try again',
    );
  }
}
