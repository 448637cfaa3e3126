import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlContextType, GqlExecutionContext } from '@nestjs/graphql';
import { AppError } from '../common/errors/app-error';
import { AuthContext } from '../access/actor';
import { ACCESS_RULE, AccessRule } from '../access/access.decorator';
import { AuthService } from './auth.service';

/**
 * Enforces each operation's @Access rule. It runs for every Query and
 * Mutation; an operation without a rule is refused (and the start-up audit
 * refuses to boot with one). The actor is resolved once per HTTP request and
 * kept on it.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType<GqlContextType>() !== 'graphql') return true;
    const rule = this.reflector.get<AccessRule | undefined>(ACCESS_RULE, context.getHandler());
    if (rule === undefined) {
      throw new Error(`${context.getClass().name}.${context.getHandler().name} has no access rule`);
    }
    const { req } = GqlExecutionContext.create(context).getContext<AuthContext>();
    if (rule.public === true) {
      // A public operation works anonymously; a bad token there is simply not used.
      req.actor ??= await this.auth.resolveActor(req.headers.authorization).catch(() => undefined);
      return true;
    }
    req.actor ??= await this.auth.resolveActor(req.headers.authorization);
    const actor = req.actor;
    if (actor === undefined) {
      throw new AppError('UNAUTHENTICATED', 'Log in first: send Authorization: Bearer <token>');
    }
    const allowed =
      actor.kind === 'API_KEY'
        ? (rule.apiKeyScopes ?? []).some((scope) => actor.scopes.includes(scope))
        : (rule.roles ?? []).includes(actor.role);
    if (!allowed) {
      throw new AppError(
        'FORBIDDEN',
        actor.kind === 'API_KEY'
          ? 'This API key may not do that'
          : `A ${actor.role.toLowerCase()} may not do that`,
      );
    }
    return true;
  }
}
