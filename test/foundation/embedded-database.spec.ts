import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedDatabase } from '../../src/common/database/embedded-database';
import { embeddedBinDir, PostgresCluster } from '../../src/common/database/postgres-cluster';

/**
 * The default database of `npm start` must be real PostgreSQL: its row locks
 * serialize concurrent transfers, its data survives a restart, and a server
 * left running by a killed Mutua does not block the next start.
 */
describe('embedded PostgreSQL', () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'mutua-embedded-spec-'));
    await chmod(root, 0o755);
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function connect(url: string): Promise<Client> {
    const client = new Client({ connectionString: url });
    await client.connect();
    return client;
  }

  it('makes two SELECT … FOR UPDATE on one row wait for each other, and loses no update', async () => {
    const database = await startEmbeddedDatabase(join(root, 'locks'), () => undefined);
    const first = await connect(database.url);
    const second = await connect(database.url);
    try {
      await first.query('CREATE TABLE counter (id int PRIMARY KEY, value int NOT NULL)');
      await first.query('INSERT INTO counter VALUES (1, 0)');

      await first.query('BEGIN');
      await first.query('SELECT value FROM counter WHERE id = 1 FOR UPDATE');
      await second.query('BEGIN');
      let secondGotLock = false;
      const waiting = second
        .query('SELECT value FROM counter WHERE id = 1 FOR UPDATE')
        .then((result) => {
          secondGotLock = true;
          return result;
        });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(secondGotLock).toBe(false);
      await first.query('UPDATE counter SET value = value + 1 WHERE id = 1');
      await first.query('COMMIT');
      const seen = await waiting;
      expect(secondGotLock).toBe(true);
      expect(seen.rows[0]).toEqual({ value: 1 });
      await second.query('COMMIT');

      // Twenty read-modify-write cycles from ten connections: all must count.
      const clients = await Promise.all(Array.from({ length: 10 }, () => connect(database.url)));
      await Promise.all(
        clients.map(async (client) => {
          for (let round = 0; round < 2; round += 1) {
            await client.query('BEGIN');
            const { rows } = await client.query<{ value: number }>(
              'SELECT value FROM counter WHERE id = 1 FOR UPDATE',
            );
            await client.query('UPDATE counter SET value = $1 WHERE id = 1', [rows[0].value + 1]);
            await client.query('COMMIT');
          }
        }),
      );
      await Promise.all(clients.map((client) => client.end()));
      const final = await first.query('SELECT value FROM counter WHERE id = 1');
      expect(final.rows[0]).toEqual({ value: 21 });
    } finally {
      await first.end();
      await second.end();
      await database.stop();
    }
  });

  it('keeps its data across a restart', async () => {
    const dataDir = join(root, 'restart');
    const before = await startEmbeddedDatabase(dataDir, () => undefined);
    const client = await connect(before.url);
    await client.query("CREATE TABLE note (text text); INSERT INTO note VALUES ('kept')");
    await client.end();
    await before.stop();

    const after = await startEmbeddedDatabase(dataDir, () => undefined);
    const again = await connect(after.url);
    const { rows } = await again.query('SELECT text FROM note');
    await again.end();
    await after.stop();
    expect(rows).toEqual([{ text: 'kept' }]);
  });

  it('stops a server left running by a killed process before starting', async () => {
    const dataDir = join(root, 'leftover');
    const lines: string[] = [];
    // Started and never stopped: what a SIGKILLed Mutua leaves behind.
    const orphan = await startEmbeddedDatabase(dataDir, () => undefined);
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(true);

    const next = await startEmbeddedDatabase(dataDir, (line) => lines.push(line));
    const client = await connect(next.url);
    const { rows } = await client.query<{ ok: number }>('SELECT 1 AS ok');
    await client.end();
    await next.stop();
    await orphan.stop();
    expect(rows).toEqual([{ ok: 1 }]);
    expect(lines.join('\n')).toMatch(/left running .* by an earlier process/);
  });

  it('leaves no password file behind in the temp folder', async () => {
    const dataDir = join(root, 'secrets');
    const database = await startEmbeddedDatabase(dataDir, () => undefined);
    await database.stop();
    const leftovers = (await readdir(tmpdir())).filter(
      (name) => name.startsWith('mutua-initdb-') || name.startsWith('pg-password-'),
    );
    expect(leftovers).toEqual([]);
  });

  it('explains a failed start instead of hanging', async () => {
    await expect(
      PostgresCluster.start({
        binDir: embeddedBinDir(),
        dataDir: join(root, 'broken'),
        settings: { shared_buffers: 'not-a-size' },
      }),
    ).rejects.toThrow(/PostgreSQL exited while starting/);
  });
});
