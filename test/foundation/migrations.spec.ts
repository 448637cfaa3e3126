import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { pendingSchemaChanges } from '../../src/common/database/migrate';
import { createTestApp, testOwnerDatabaseUrl } from '../support/test-app';

/** Every class that a `*.entity.ts` file of src/ exports. */
function entityClassesInSource(): unknown[] {
  const classes: unknown[] = [];
  const visit = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.name.endsWith('.entity.ts')) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads each entity file by name
        const module = require(path) as Record<string, unknown>;
        classes.push(
          ...Object.entries(module)
            .filter(([name, value]) => typeof value === 'function' && name.endsWith('Entity'))
            .map(([, value]) => value),
        );
      }
    }
  };
  visit(join(__dirname, '..', '..', 'src'));
  return classes;
}

describe('migrations', () => {
  it('build exactly the schema the entities describe, and every entity is registered', async () => {
    // The entities as the application registers them, module by module.
    const app = await createTestApp();
    try {
      const registered = app.get(DataSource).entityMetadatas.map((metadata) => metadata.target);
      expect(new Set(registered)).toEqual(new Set(entityClassesInSource()));
      const pending = await pendingSchemaChanges(
        testOwnerDatabaseUrl(),
        registered as Array<new () => object>,
      );
      expect(pending.up).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('are all listed, in order, in migrations/index.ts', () => {
    const folder = join(__dirname, '..', '..', 'migrations');
    const files = readdirSync(folder)
      .filter((name) => /^\d+-[A-Za-z0-9]+\.ts$/.test(name))
      .sort();
    const exported = files.map((file) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads each migration file by name
      const module = require(join(folder, file)) as Record<string, unknown>;
      const classes = Object.values(module).filter((value) => typeof value === 'function');
      expect(classes).toHaveLength(1);
      return classes[0];
    });
    expect(MIGRATIONS).toEqual(exported);
  });
});
