import { ApolloServer, ApolloServerOptions, BaseContext } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { fastifyApolloHandler } from '@as-integrations/fastify';
import { Injectable, INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  AbstractGraphQLDriver,
  Args,
  Field,
  GqlModuleOptions,
  GraphQLModule,
  ID,
  Int,
  ObjectType,
  Query,
  Resolver,
} from '@nestjs/graphql';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import type { Server } from 'node:http';
import { ApolloDriver, ApolloDriverConfig } from '../../src/common/graphql/apollo-driver';

/**
 * The server side of `npm run bench:adapter`: one small code-first GraphQL
 * schema, served by Apollo Server 5 through Nest on Express or on Fastify,
 * with no database, so that what differs between the two is the HTTP
 * framework alone. It runs in a process of its own (`--serve=express` or
 * `--serve=fastify`) so that its CPU time can be read from /proc, and prints
 * `listening <port>` when it is ready.
 *
 * Express is served by Mutua's own driver (src/common/graphql/apollo-driver.ts),
 * as the product serves it; Fastify by FastifyApolloDriver below, the same
 * driver with `@as-integrations/fastify` in place of the Express middleware.
 * Both get the same schema, resolvers and Apollo options. Mutua's own HTTP
 * settings (body limit, batch cap, the web app's files), its plugins and its
 * request log are left out on both sides: they would cost about the same on
 * either framework.
 */

export type HttpFramework = 'express' | 'fastify';

@ObjectType()
class BenchCurrency {
  @Field(() => String) code!: string;
  @Field(() => String) name!: string;
  @Field(() => Int) scale!: number;
}

@ObjectType()
class BenchOwner {
  @Field(() => ID) id!: string;
  @Field(() => String) displayName!: string;
  @Field(() => String) role!: string;
}

@ObjectType()
class BenchEntry {
  @Field(() => ID) id!: string;
  @Field(() => String) amount!: string;
  @Field(() => String) memo!: string;
  @Field(() => String) postedAt!: string;
}

@ObjectType()
class BenchAccount {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String) kind!: string;
  @Field(() => String) status!: string;
  @Field(() => String) balance!: string;
  @Field(() => String) floor!: string;
  @Field(() => String) ceiling!: string;
  @Field(() => String) createdAt!: string;
  @Field(() => String) updatedAt!: string;
  @Field(() => BenchCurrency) currency!: BenchCurrency;
  @Field(() => BenchOwner) owner!: BenchOwner;
  @Field(() => [BenchEntry]) recentEntries!: BenchEntry[];
}

/** At most this many entries in one answer, as every list of Mutua is bounded. */
const MAX_RECENT_ENTRIES = 20;

@Resolver()
class BenchResolver {
  @Query(() => String)
  ping(): string {
    return 'pong';
  }

  /** An account shaped like Mutua's, built from the arguments: nothing is read. */
  @Query(() => BenchAccount)
  benchAccount(
    @Args('id', { type: () => ID }) id: string,
    @Args('currencyCode', { type: () => String }) currencyCode: string,
    @Args('recentEntries', { type: () => Int }) recentEntries: number,
  ): BenchAccount {
    const count = Math.max(0, Math.min(recentEntries, MAX_RECENT_ENTRIES));
    return {
      id,
      name: `Member ${id}`,
      kind: 'MEMBER',
      status: 'ACTIVE',
      balance: '12.50',
      floor: '-20.00',
      ceiling: '200.00',
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-06-01T12:00:00.000Z',
      currency: { code: currencyCode, name: 'Hours', scale: 2 },
      owner: { id: `owner-${id}`, displayName: 'Ana Lima', role: 'MEMBER' },
      recentEntries: Array.from({ length: count }, (_, index) => ({
        id: `${id}-${index}`,
        amount: index % 2 === 0 ? '1.00' : '-0.50',
        memo: `entry ${index}`,
        postedAt: '2026-06-01T12:00:00.000Z',
      })),
    };
  }
}

/**
 * Mutua's driver (apollo-driver.ts) on Fastify: the same Apollo Server, the
 * same defaults and the same drain on stop; the request goes through
 * `@as-integrations/fastify`'s route handler instead of the Express
 * middleware. No subscriptions: the benchmark sends none.
 */
@Injectable()
class FastifyApolloDriver extends AbstractGraphQLDriver<ApolloDriverConfig> {
  private apolloServer: ApolloServer<BaseContext> | undefined;

  override async mergeDefaultOptions(options: ApolloDriverConfig): Promise<ApolloDriverConfig> {
    return super.mergeDefaultOptions(options, {
      path: '/graphql',
      fieldResolverEnhancers: [],
      stopOnTerminationSignals: false,
    });
  }

  async start(options: ApolloDriverConfig): Promise<void> {
    const adapter = this.httpAdapterHost.httpAdapter;
    if (adapter.getType() !== 'fastify') {
      throw new Error(`FastifyApolloDriver needs Fastify, not ${adapter.getType()}`);
    }
    const app = adapter.getInstance<FastifyInstance>();
    const httpServer = adapter.getHttpServer() as Server;
    const {
      context: _context,
      subscriptions: _subscriptions,
      schema,
      ...apolloOptions
    } = options as ApolloDriverConfig & { schema: NonNullable<GqlModuleOptions['schema']> };
    const server = new ApolloServer<BaseContext>({
      ...apolloOptions,
      schema,
      plugins: [...(options.plugins ?? []), ApolloServerPluginDrainHttpServer({ httpServer })],
    } as ApolloServerOptions<BaseContext>);
    await server.start();
    app.route({
      url: options.path ?? '/graphql',
      method: ['GET', 'POST', 'OPTIONS'],
      // As on Express, the request and the reply are in the context.
      handler: fastifyApolloHandler(server, {
        context: (request, reply) => Promise.resolve({ req: request, res: reply }),
      }),
    });
    this.apolloServer = server;
  }

  async stop(): Promise<void> {
    await this.apolloServer?.stop();
  }
}

/** The Apollo options both frameworks get, as Mutua sets them where they concern every request. */
function graphqlModule(framework: HttpFramework) {
  return GraphQLModule.forRoot<ApolloDriverConfig>({
    driver: framework === 'express' ? ApolloDriver : FastifyApolloDriver,
    autoSchemaFile: true,
    sortSchema: true,
    path: '/graphql',
    introspection: false,
    plugins: [ApolloServerPluginCacheControlDisabled(), ApolloServerPluginLandingPageDisabled()],
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: true,
    csrfPrevention: true,
  });
}

async function createApp(framework: HttpFramework): Promise<INestApplication> {
  @Module({ imports: [graphqlModule(framework)], providers: [BenchResolver] })
  class BenchModule {}

  const logger = ['error', 'warn'] as const;
  return framework === 'express'
    ? NestFactory.create(BenchModule, { logger: [...logger] })
    : NestFactory.create(BenchModule, new FastifyAdapter(), { logger: [...logger] });
}

/** Serves until SIGTERM or SIGINT, then closes the app and exits. */
export async function serve(framework: HttpFramework): Promise<void> {
  const app = await createApp(framework);
  await app.listen(0, '127.0.0.1');
  const address = (app.getHttpServer() as Server).address();
  if (address === null || typeof address === 'string') {
    throw new Error(`the ${framework} server has no TCP port`);
  }
  process.stdout.write(`listening ${address.port}\n`);
  const stop = (): void => {
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
