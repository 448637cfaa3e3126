/**
 * `npm run migration:run | migration:revert | migration:generate -- Name`
 *
 * Works on MIGRATION_DATABASE_URL (the tables' owner), else DATABASE_URL, or
 * on the embedded database under DATA_DIR when neither is set, like the
 * server. `generate` compares the entities with the
 * migrated database and writes the SQL that would reconcile them to
 * migrations/<epoch>-<Name>.ts, to be reviewed and added to
 * migrations/index.ts.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { loadConfig } from '../src/common/config/app-config';
import { EntityTarget } from '../src/common/database/data-source-options';
import { startEmbeddedDatabase } from '../src/common/database/embedded-database';
import {
  pendingSchemaChanges,
  revertLastMigration,
  runMigrations,
} from '../src/common/database/migrate';

async function main(): Promise<void> {
  const [command, name] = process.argv.slice(2);
  const config = loadConfig(process.env);
  const embedded =
    config.DATABASE_URL === undefined
      ? await startEmbeddedDatabase(config.DATA_DIR, (line) => process.stderr.write(`${line}\n`))
      : undefined;
  // The owner of the tables: migrations alter what the application role may not.
  const url = config.MIGRATION_DATABASE_URL ?? config.DATABASE_URL ?? embedded!.url;
  try {
    switch (command) {
      case 'run': {
        const applied = await runMigrations(url);
        process.stdout.write(
          applied.length === 0
            ? 'No pending migrations.\n'
            : `Applied: ${applied.map((m) => m.name).join(', ')}\n`,
        );
        break;
      }
      case 'revert':
        await revertLastMigration(url);
        process.stdout.write('Reverted the last migration.\n');
        break;
      case 'generate': {
        if (name === undefined || !/^[A-Z][A-Za-z0-9]*$/.test(name)) {
          throw new Error('usage: npm run migration:generate -- PascalCaseName');
        }
        await runMigrations(url);
        const { up, down } = await pendingSchemaChanges(url, await registeredEntities(url));
        if (up.length === 0) {
          process.stdout.write('Entities and migrations agree: nothing to generate.\n');
          break;
        }
        const timestamp = Date.now();
        const file = join(__dirname, '..', 'migrations', `${timestamp}-${name}.ts`);
        writeFileSync(file, migrationSource(`${name}${timestamp}`, up, down.reverse()));
        process.stdout.write(
          `Wrote ${file}: review the SQL, then add it to migrations/index.ts.\n`,
        );
        break;
      }
      default:
        throw new Error('usage: migrate.ts run | revert | generate Name');
    }
  } finally {
    await embedded?.stop();
  }
}

/** The entities the application's modules register, read from an application context. */
async function registeredEntities(url: string): Promise<EntityTarget[]> {
  const app = await NestFactory.createApplicationContext(AppModule.forRoot({ databaseUrl: url }), {
    logger: false,
  });
  try {
    return app.get(DataSource).entityMetadatas.map((metadata) => metadata.target);
  } finally {
    await app.close();
  }
}

function migrationSource(className: string, up: string[], down: string[]): string {
  const lines = (queries: string[]) =>
    queries.map((query) => `    await queryRunner.query(${JSON.stringify(query)});`).join('\n');
  return `import { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  public async up(queryRunner: QueryRunner): Promise<void> {
${lines(up)}
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
${lines(down)}
  }
}
`;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
