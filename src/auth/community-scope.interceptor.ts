import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlContextType, GqlExecutionContext } from '@nestjs/graphql';
import { Observable } from 'rxjs';
import {
  EVERY_COMMUNITY,
  scopeRequest,
  withinCommunity,
  withoutCommunity,
} from '../common/database/tenancy';
import { Role } from '../access/role';
import { ACCESS_RULE, AccessRule } from '../access/access.decorator';
import { Actor, AuthContext } from '../access/actor';

/** The database scope of what an actor does: their community, or every one for the admin. */
export function scopeOf(actor: Actor): string {
  return actor.role === Role.ADMIN ? EVERY_COMMUNITY : actor.communityId;
}

/**
 * Runs each operation of a member, shop, steward or till as work of their
 * community (src/common/database/tenancy.ts): the database's row-level
 * security then shows it that community's rows only, whatever the
 * operation's own queries forget. The request's scope is set the same way,
 * so that the fields GraphQL resolves after the operation (an entry's
 * account, a transfer's entries) are read for the same community.
 *
 * Public operations (sign-in, public fund pages read by slug) and the
 * admin's work across communities run explicitly as every community's. The
 * fields of an anonymous request see nothing: no public type reads the
 * database in its fields. It runs after the access guard, which found the actor.
 */
@Injectable()
export class CommunityScopeInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType<GqlContextType>() !== 'graphql') return next.handle();
    const rule = this.reflector.get<AccessRule | undefined>(ACCESS_RULE, context.getHandler());
    const { req } = GqlExecutionContext.create(context).getContext<AuthContext>();
    const actor = req.actor;
    if (actor !== undefined) scopeRequest(scopeOf(actor));
    const scope = rule?.public !== true && actor !== undefined ? scopeOf(actor) : EVERY_COMMUNITY;
    return new Observable((subscriber) => {
      const subscribe = () => next.handle().subscribe(subscriber);
      return scope === EVERY_COMMUNITY
        ? withoutCommunity(subscribe)
        : withinCommunity(scope, subscribe);
    });
  }
}
