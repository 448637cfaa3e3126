import { ExecutionContext, Injectable } from '@nestjs/common';
import { GqlContextType, GqlExecutionContext } from '@nestjs/graphql';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import { Request, Response } from 'express';
import { AppError } from '../common/errors/app-error';
import { AuthContext } from '../access/actor';

/**
 * @nestjs/throttler's guard, taught where GraphQL keeps the request. Used on
 * sign-up, login and password change only: per client address, a burst of
 * attempts is refused with RATE_LIMITED, answered with HTTP 429 and a
 * standard `Retry-After` header (seconds) by the GraphQL error mapping.
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
    const { req, res } = GqlExecutionContext.create(context).getContext<AuthContext>();
    return { req, res: res ?? (req.res as Response) };
  }

  protected override async throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const retryAfterSeconds = Math.max(1, Math.ceil(detail.timeToBlockExpire));
    throw new AppError(
      'RATE_LIMITED',
      `Too many attempts from this address: try again in ${retryAfterSeconds} s`,
      { retryAfterSeconds },
    );
  }
}
