import { INestApplication, ModuleMetadata } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { loadConfig } from '../../src/common/config/app-config';
import { withoutCommunity } from '../../src/common/database/tenancy';
import { configureHttp } from '../../src/common/http/configure-http';

/**
 * The whole Mutua application, wired exactly as main.ts wires it, on the
 * PostgreSQL that the test harness started (DATABASE_URL). Extra modules
 * (a resolver that fails on purpose, say) can be added for a test.
 */
export function testDatabaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (url === undefined || url === '') {
    throw new Error(
      'DATABASE_URL is not set: run the tests with `npm test`, which starts PostgreSQL',
    );
  }
  return url;
}

/**
 * The owner of the tables (the harness's superuser), for what the server's
 * own role may not do: create databases, act behind the triggers.
 */
export function testOwnerDatabaseUrl(): string {
  return process.env.MIGRATION_DATABASE_URL || testDatabaseUrl();
}

export async function createTestApp(
  options: {
    databaseUrl?: string;
    extra?: ModuleMetadata['imports'];
    env?: Record<string, string>;
  } = {},
): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      AppModule.forRoot({
        databaseUrl: options.databaseUrl ?? testDatabaseUrl(),
        env: options.env,
      }),
      ...(options.extra ?? []),
    ],
  }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({
    bodyParser: false,
    logger: false,
  });
  configureHttp(app, loadConfig({ ...process.env, ...options.env }));
  await app.init();
  return app;
}

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown>; path?: unknown[] }>;
}

/** Posts one GraphQL operation over HTTP, as a client would. */
export async function gql<T = Record<string, unknown>>(
  app: INestApplication,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<GraphQLResponse<T>> {
  let call = request(app.getHttpServer() as never)
    .post('/graphql')
    .set('Content-Type', 'application/json');
  if (token !== undefined) call = call.set('Authorization', `Bearer ${token}`);
  const response = await call.send({ query, variables });
  const body = response.body as { data?: T | null; errors?: GraphQLResponse<T>['errors'] };
  return { status: response.status, data: body.data, errors: body.errors };
}

/** The `extensions.code` of the first error, for terse assertions. */
export function errorCode(response: GraphQLResponse<unknown>): unknown {
  return response.errors?.[0]?.extensions?.code;
}

/**
 * The application's own DataSource (its role, under row-level security),
 * used by a test as work of every community: what the test reads or writes
 * behind the API is then seen by the policies as the schedulers' work is,
 * instead of as work that named no community (which sees no row at all).
 */
export function everyCommunity(dataSource: DataSource): DataSource {
  return new Proxy(dataSource, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if ((property === 'query' || property === 'transaction') && typeof value === 'function') {
        return (...args: unknown[]) =>
          withoutCommunity(() => (value as (...a: unknown[]) => unknown).apply(target, args));
      }
      return value;
    },
  });
}

/**
 * A connection of the application's role from outside the application, as
 * an operator's hand-written SQL would make, working as every community's
 * (`mutua.community_id` is `*` for the session).
 */
export async function connectAsEveryCommunity(): Promise<Client> {
  const client = new Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  await client.query("SELECT set_config('mutua.community_id', '*', false)");
  return client;
}
