import { DataSourceOptions, EntitySchema } from 'typeorm';
import { MIGRATIONS } from '../../../migrations';

/**
 * The one place TypeORM is configured. `synchronize` is off everywhere: the
 * schema is built only by the reviewed SQL in migrations/. The server's
 * entities are registered by their own modules (TypeOrmModule.forFeature with
 * autoLoadEntities); the tools that compare entities with the schema pass
 * the entities of a running application.
 */
// TypeORM's own type for what `entities` holds.
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export type EntityTarget = Function | string | EntitySchema;

export function dataSourceOptions(
  url: string,
  poolSize = 10,
  applicationName = 'mutua',
  entities: EntityTarget[] = [],
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    // Shown in pg_stat_activity: tells one server's connections from another's.
    applicationName,
    extra: {
      max: poolSize,
      // A connection that waits this long for the pool means the server is
      // overloaded; failing is kinder than a request that never answers.
      connectionTimeoutMillis: 10_000,
      idleTimeoutMillis: 30_000,
    },
  };
}
