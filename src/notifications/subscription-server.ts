import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  DocumentNode,
  ExecutionArgs,
  ExecutionResult,
  getOperationAST,
  GraphQLError,
  OperationTypeNode,
  parse,
  subscribe,
} from 'graphql';
import type { Context, FormattedExecutionResult, ServerOptions } from 'graphql-ws';
import type { WebSocket } from 'ws';
import { Actor } from '../access/actor';
import { AuthService } from '../auth/auth.service';
import { scopeOf } from '../auth/community-scope.interceptor';
import { EVERY_COMMUNITY, withinCommunity, withoutCommunity } from '../common/database/tenancy';
import { AppConfig } from '../common/config/app-config';
import { isApiErrorCode } from '../common/errors/api-error-code';
import { AppError } from '../common/errors/app-error';
import { formatGraphQLError } from '../common/errors/format-error';
import { GraphQLContext } from '../common/graphql/graphql-context';

/** Connections one server process holds at once; more are asked to come back later. */
export const MAX_CONNECTIONS = 20_000;
/** Subscriptions one connection may hold at once (a till needs one or two). */
export const MAX_SUBSCRIPTIONS_PER_CONNECTION = 20;
/** How often a connection's credential is checked again: a revoked key or token stops it. */
export const RECHECK_CREDENTIAL_MS = 60_000;

/** WebSocket close codes Mutua uses (graphql-ws clients retry all but 4401). */
export const CLOSE_UNAUTHENTICATED = 4401;
export const CLOSE_SERVICE_RESTART = 1012;
export const CLOSE_TRY_AGAIN_LATER = 1013;

/** One authenticated WebSocket connection. */
export interface WsConnection {
  id: number;
  actor: Actor;
  authorization: string;
  close(code: number, reason: string): void;
}

export type WsContext = GraphQLContext & { connection: WsConnection };

interface Extra {
  socket: WebSocket;
  connection?: WsConnection;
  recheck?: NodeJS.Timeout;
}

type WsServerOptions = Partial<ServerOptions<Record<string, unknown>, Extra>>;

/** A close reason fits in 123 bytes. */
function reasonOf(text: string): string {
  return Buffer.byteLength(text) <= 120 ? text : `${text.slice(0, 100)}…`;
}

function credentialOf(params: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const value = params?.authorization ?? params?.Authorization;
  return typeof value === 'string' ? value : undefined;
}

/**
 * GraphQL subscriptions over WebSocket (the graphql-ws protocol, what Apollo
 * clients speak) at /graphql.
 *
 * A connection authenticates once, in `connection_init`, with the payload
 * `{ "authorization": "Bearer <token or till key>" }`: the same credentials,
 * resolved by the same code, as the HTTP header; without a valid one the
 * socket closes with 4401 and the reason. The credential is checked again
 * every minute, so a revoked till key or an expired token stops receiving
 * events. Each subscription then passes the same @Access rules as any
 * operation, and its events are resolved with the same field rules.
 *
 * Only subscriptions travel over WebSocket: queries and mutations go by
 * POST /graphql, where the request limits and rate limits apply. Errors are
 * answered in the API's shape (extensions.code).
 */
@Injectable()
export class SubscriptionServer {
  private readonly logger = new Logger(SubscriptionServer.name);
  private readonly debugErrors: boolean;
  private nextId = 1;
  private open = 0;

  constructor(
    private readonly auth: AuthService,
    config: ConfigService<AppConfig, true>,
  ) {
    this.debugErrors = config.get('DEBUG_ERRORS', { infer: true });
  }

  get connectionCount(): number {
    return this.open;
  }

  /** The graphql-ws server options (see graphqlOptions, which adds the validation rules). */
  options(): WsServerOptions {
    return {
      connectionInitWaitTimeout: 10_000,
      onConnect: (ctx) => this.onConnect(ctx),
      onClose: (ctx) => this.onClose(ctx),
      onSubscribe: (ctx, _id, payload) =>
        this.onSubscribe(ctx, payload.query, payload.operationName),
      onNext: (_ctx, _id, _payload, _args, result) => this.format(result),
      subscribe: (args) => this.subscribeScoped(args),
      // Errors before execution: the request's own (syntax, validation, limits).
      onError: (_ctx, _id, _payload, errors) =>
        errors.map((error) => {
          const code = error.extensions.code;
          return {
            message: error.message,
            ...(error.locations !== undefined ? { locations: error.locations } : {}),
            extensions: {
              ...error.extensions,
              code: isApiErrorCode(code) ? code : 'BAD_USER_INPUT',
            },
          };
        }),
      context: (ctx): WsContext => {
        const connection = ctx.extra.connection!;
        return {
          req: {
            headers: { authorization: connection.authorization },
            actor: connection.actor,
            id: `ws-${connection.id}`,
          } as unknown as GraphQLContext['req'],
          connection,
        };
      },
    };
  }

  private async onConnect(ctx: Context<Record<string, unknown>, Extra>): Promise<boolean> {
    const socket = ctx.extra.socket;
    if (this.open >= MAX_CONNECTIONS) {
      socket.close(CLOSE_TRY_AGAIN_LATER, 'Too many connections: try again later');
      return false;
    }
    const authorization = credentialOf(ctx.connectionParams);
    let actor: Actor | undefined;
    try {
      actor = await this.auth.resolveActor(authorization);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      socket.close(CLOSE_UNAUTHENTICATED, reasonOf(error.message));
      return false;
    }
    if (actor === undefined || authorization === undefined) {
      socket.close(
        CLOSE_UNAUTHENTICATED,
        'Log in first: connection_init payload { "authorization": "Bearer <token>" }',
      );
      return false;
    }
    const connection: WsConnection = {
      id: this.nextId++,
      actor,
      authorization,
      close: (code, reason) => socket.close(code, reasonOf(reason)),
    };
    ctx.extra.connection = connection;
    this.open += 1;
    ctx.extra.recheck = setInterval(() => void this.recheck(connection), RECHECK_CREDENTIAL_MS);
    ctx.extra.recheck.unref();
    return true;
  }

  private onClose(ctx: Context<Record<string, unknown>, Extra>): void {
    if (ctx.extra.connection === undefined) return;
    clearInterval(ctx.extra.recheck);
    ctx.extra.connection = undefined;
    this.open -= 1;
  }

  private async recheck(connection: WsConnection): Promise<void> {
    try {
      await this.auth.resolveActor(connection.authorization);
    } catch (error) {
      if (error instanceof AppError) {
        connection.close(CLOSE_UNAUTHENTICATED, error.message);
      } else {
        this.logger.warn({ err: error }, 'could not check a subscriber’s credential again');
      }
    }
  }

  private onSubscribe(
    ctx: Context<Record<string, unknown>, Extra>,
    query: string,
    operationName: string | null | undefined,
  ): readonly GraphQLError[] | void {
    const active = Object.keys(ctx.subscriptions).length;
    if (active > MAX_SUBSCRIPTIONS_PER_CONNECTION) {
      return [
        this.refusal(
          `At most ${MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions per connection: end one first`,
        ),
      ];
    }
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: 5000 });
    } catch (error) {
      return [this.refusal(error instanceof Error ? error.message : String(error))];
    }
    const operation = getOperationAST(document, operationName);
    if (
      operation !== null &&
      operation !== undefined &&
      operation.operation !== OperationTypeNode.SUBSCRIPTION
    ) {
      return [
        this.refusal(
          'Only subscriptions go over WebSocket: send queries and mutations by POST /graphql',
        ),
      ];
    }
  }

  /**
   * Subscribes, and resolves every event, as work of the subscriber's
   * community: an event's fields are read long after the subscription
   * started, outside any request, so each step of the stream is run in the
   * scope again.
   */
  private async subscribeScoped(
    args: ExecutionArgs,
  ): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
    const scope = scopeOf((args.contextValue as WsContext).connection.actor);
    const run = <T>(work: () => T): T =>
      scope === EVERY_COMMUNITY ? withoutCommunity(work) : withinCommunity(scope, work);
    const result = await run(() => subscribe(args));
    if (!(Symbol.asyncIterator in result)) return result;
    const events = result[Symbol.asyncIterator]();
    const done = (): Promise<IteratorResult<ExecutionResult>> =>
      Promise.resolve({ done: true, value: undefined });
    const scoped: AsyncIterableIterator<ExecutionResult> = {
      next: () => run(() => events.next()),
      return: () => run(() => events.return?.() ?? done()),
      throw: (error: unknown) =>
        run(
          () =>
            events.throw?.(error) ??
            Promise.reject(error instanceof Error ? error : new Error(String(error))),
        ),
      [Symbol.asyncIterator]: () => scoped,
    };
    return scoped;
  }

  private refusal(message: string): GraphQLError {
    return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
  }

  private format(result: ExecutionResult): FormattedExecutionResult | void {
    if (result.errors === undefined) return;
    return {
      ...(result.data !== undefined ? { data: result.data } : {}),
      errors: result.errors.map((error) =>
        formatGraphQLError(error.toJSON(), error, this.debugErrors),
      ),
    };
  }
}
