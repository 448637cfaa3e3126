import {
  ApolloServer,
  ApolloServerOptions,
  ApolloServerOptionsWithTypeDefs,
  ApolloServerPlugin,
} from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { Injectable, SetMetadata } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import {
  AbstractGraphQLDriver,
  BaseExplorerService,
  GqlModuleOptions,
  GqlSubscriptionService,
  SubscriptionConfig,
} from '@nestjs/graphql';
import type { Application, NextFunction, Request, Response } from 'express';
import type { Server } from 'node:http';
import { GraphQLContext } from './graphql-context';

/**
 * Serves the GraphQL schema that @nestjs/graphql builds from the resolvers
 * with Apollo Server 5 on Express: POST /graphql, and subscriptions over
 * WebSocket (graphql-ws) on the same path.
 *
 * This is what the @nestjs/apollo driver did for Mutua, written out: that
 * package pins the GraphQL Playground plugin, which requires Apollo Server
 * 4, so every install warned about a peer dependency it could not satisfy,
 * for a landing page Mutua never serves (Apollo Sandbox is Apollo Server's
 * own). What it keeps: plugins are the providers marked @ApolloPlugin(), in
 * any module; the request's `req` is always in the context; the HTTP server
 * is drained on stop. What it leaves out, because Mutua uses none of it:
 * Fastify, federation, the playground, and turning Nest's HttpExceptions into
 * Apollo errors (format-error.ts maps them, with every other error).
 */

const APOLLO_PLUGIN = 'mutua:apollo-plugin';

/** Marks a provider as an Apollo Server plugin of the GraphQL endpoint. */
export function ApolloPlugin(): ClassDecorator {
  return SetMetadata(APOLLO_PLUGIN, true);
}

export interface ApolloDriverConfig
  extends
    Omit<
      ApolloServerOptionsWithTypeDefs<GraphQLContext>,
      'typeDefs' | 'schema' | 'resolvers' | 'gateway' | 'plugins'
    >,
    GqlModuleOptions {
  /** Where the endpoint is mounted (default /graphql). */
  path?: string;
  plugins?: ApolloServerPlugin<GraphQLContext>[];
  /** The context of each HTTP request. */
  context?: (args: { req: Request; res: Response }) => GraphQLContext | Promise<GraphQLContext>;
  /** Subscriptions over WebSocket: `{ 'graphql-ws': options }`. */
  subscriptions?: SubscriptionConfig;
}

class PluginsExplorer extends BaseExplorerService {
  constructor(private readonly modules: ModulesContainer) {
    super();
  }

  explore(include: GqlModuleOptions['include'] & object): ApolloServerPlugin<GraphQLContext>[] {
    return this.flatMap(this.getModules(this.modules, include), (wrapper) => {
      const instance = wrapper.instance as object | undefined;
      return instance !== undefined &&
        instance !== null &&
        Reflect.getMetadata(APOLLO_PLUGIN, instance.constructor) === true
        ? instance
        : undefined;
    }).filter((plugin): plugin is ApolloServerPlugin<GraphQLContext> => plugin !== undefined);
  }
}

@Injectable()
export class ApolloDriver extends AbstractGraphQLDriver<ApolloDriverConfig> {
  private apolloServer: ApolloServer<GraphQLContext> | undefined;
  private subscriptionService: GqlSubscriptionService | undefined;
  private readonly plugins: PluginsExplorer;

  constructor(modules: ModulesContainer) {
    super();
    this.plugins = new PluginsExplorer(modules);
  }

  get instance(): ApolloServer<GraphQLContext> | undefined {
    return this.apolloServer;
  }

  override async mergeDefaultOptions(options: ApolloDriverConfig): Promise<ApolloDriverConfig> {
    const merged = await super.mergeDefaultOptions(options, {
      path: '/graphql',
      fieldResolverEnhancers: [],
      // The server process decides when to stop (main.ts), not Apollo.
      stopOnTerminationSignals: false,
    });
    const context = merged.context;
    merged.context = async (args) => {
      const value = context === undefined ? undefined : await context(args);
      return value === undefined
        ? { req: args.req, res: args.res }
        : { ...value, req: value.req ?? args.req };
    };
    return merged;
  }

  async start(options: ApolloDriverConfig): Promise<void> {
    const adapter = this.httpAdapterHost.httpAdapter;
    if (adapter.getType() !== 'express') {
      throw new Error(`Mutua serves GraphQL on Express only, not ${adapter.getType()}`);
    }
    const app = adapter.getInstance<Application>();
    const httpServer = adapter.getHttpServer() as Server;
    const path = options.path ?? '/graphql';
    const { context, subscriptions, schema, ...apolloOptions } = options as ApolloDriverConfig & {
      schema: NonNullable<GqlModuleOptions['schema']>;
    };
    // Everything else in the options is Apollo's (as with Nest's own driver):
    // limits, validation rules, error formatting, introspection.
    const server = new ApolloServer<GraphQLContext>({
      ...apolloOptions,
      schema,
      plugins: [
        ...(options.plugins ?? []),
        ...this.plugins.explore(options.include ?? []),
        ApolloServerPluginDrainHttpServer({ httpServer }),
      ],
    } as ApolloServerOptions<GraphQLContext>);
    await server.start();
    // Express 5's body parser leaves `body` unset for an empty body; Apollo
    // answers a missing body as a server misconfiguration.
    app.use(path, (req: Request, _res: Response, next: NextFunction) => {
      req.body ??= {};
      next();
    });
    app.use(
      path,
      expressMiddleware(server, { context: (args) => Promise.resolve(context!(args)) }),
    );
    this.apolloServer = server;

    if (subscriptions !== undefined) {
      this.subscriptionService = new GqlSubscriptionService(
        { schema, path, context, ...subscriptions },
        httpServer,
      );
    }
  }

  async stop(): Promise<void> {
    await this.subscriptionService?.stop();
    await this.apolloServer?.stop();
  }

  /** @Subscription({ filter }) support: only the payloads the filter accepts are sent. */
  override subscriptionWithFilter(
    instanceRef: unknown,
    filterFn: (
      payload: unknown,
      variables: unknown,
      context: unknown,
    ) => boolean | Promise<boolean>,
    createSubscribeContext: () => (...args: unknown[]) => unknown,
  ): unknown {
    return async function* (...args: unknown[]): AsyncGenerator<unknown> {
      const source = (await createSubscribeContext()(...args)) as AsyncIterable<unknown>;
      for await (const payload of source) {
        if (await filterFn.call(instanceRef, payload, args[1], args[2])) yield payload;
      }
    };
  }
}
