import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS } from '../../migrations';
import { pendingSchemaChanges } from '../../src/common/database/migrate';
import { testDatabaseUrl } from '../support/test-app';

describe('migrations', () => {
  it('build exactly the schema the entities describe', async () => {
    const pending = await pendingSchemaChanges(testDatabaseUrl());
    expect(pending.up).toEqual([]);
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
