import { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../../migrations';
import { ENTITIES } from './entities';

/**
 * The one place TypeORM is configured. `synchronize` is off everywhere: the
 * schema is built only by the reviewed SQL in migrations/.
 */
export function dataSourceOptions(
  url: string,
  poolSize = 10,
  applicationName = 'mutua',
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
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
