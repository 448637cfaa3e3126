import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlContextType, GqlExecutionContext } from '@nestjs/graphql';
import { Observable } from 'rxjs';
import { withinCommunity, withoutCommunity } from '../common/database/tenancy';
import { Role } from '../users/role';
import { ACCESS_RULE, AccessRule } from './access.decorator';
import { AuthContext } from './actor';

/**
 * Runs each operation of a member, shop, steward or till as work of their
 * community (src/common/database/tenancy.ts): the database's row-level
 * security then shows it that community's rows only, whatever the
 * operation's own queries forget. Public operations (sign-in, public fund
 * pages read by slug) and the admin's work across communities run as no
 * community's. It runs after the access guard, which found the actor.
 */
@Injectable()
export class CommunityScopeInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType<GqlContextType>() !== 'graphql') return next.handle();
    const rule = this.reflector.get<AccessRule | undefined>(ACCESS_RULE, context.getHandler());
    const { req } = GqlExecutionContext.create(context).getContext<AuthContext>();
    const actor = req.actor;
    const communityId =
      rule?.public !== true && actor !== undefined && actor.role !== Role.ADMIN
        ? actor.communityId
        : undefined;
    return new Observable((subscriber) => {
      const subscribe = () => next.handle().subscribe(subscriber);
      return communityId === undefined
        ? withoutCommunity(subscribe)
        : withinCommunity(communityId, subscribe);
    });
  }
}
