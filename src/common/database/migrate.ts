import { DataSource, Migration } from 'typeorm';
import { dataSourceOptions, EntityTarget } from './data-source-options';

/**
 * Applies pending migrations under a PostgreSQL advisory lock, so that
 * several Mutua servers starting at once against one database apply each
 * migration exactly once: the others wait, then find nothing to do.
 */
const MIGRATION_LOCK_KEY = 7_041_955_215; // arbitrary, fixed: "mutua migrations"

export async function runMigrations(url: string): Promise<Migration[]> {
  const dataSource = new DataSource({ ...dataSourceOptions(url, 1) });
  await dataSource.initialize();
  try {
    await dataSource.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      return await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await dataSource.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await dataSource.destroy();
  }
}

export async function revertLastMigration(url: string): Promise<void> {
  const dataSource = new DataSource({ ...dataSourceOptions(url, 1) });
  await dataSource.initialize();
  try {
    await dataSource.undoLastMigration({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
}

/**
 * The SQL that would bring the database in line with `entities` (those of a
 * running application: `dataSource.options.entities`); empty when they agree.
 */
export async function pendingSchemaChanges(
  url: string,
  entities: EntityTarget[],
): Promise<{ up: string[]; down: string[] }> {
  const dataSource = new DataSource({ ...dataSourceOptions(url, 1, 'mutua-schema', entities) });
  await dataSource.initialize();
  try {
    const log = await dataSource.driver.createSchemaBuilder().log();
    return {
      up: log.upQueries.map((query) => query.query),
      down: log.downQueries.map((query) => query.query),
    };
  } finally {
    await dataSource.destroy();
  }
}
