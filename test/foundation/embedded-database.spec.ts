import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedDatabase } from '../../src/common/database/embedded-database';
import {
  DataFolderInUseError,
  embeddedBinDir,
  PostgresCluster,
} from '../../src/common/database/postgres-cluster';

const ROOT = join(__dirname, '..', '..');
const EMBEDDED_MODULE = join(ROOT, 'src', 'common', 'database', 'embedded-database.ts');

/** Running, and not a zombie waiting for its parent. */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/**
 * The default database of `npm start` must be real PostgreSQL: its row locks
 * serialize concurrent transfers, its data survives a restart, a server left
 * running by a killed Mutua does not block the next start (but one a live
 * process runs is not taken from it), and a server that dies is restarted.
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

  /** Starts the embedded database in a separate Node.js process; resolves with it and its postmaster's pid. */
  async function startInAnotherProcess(
    dataDir: string,
  ): Promise<{ child: ChildProcess; postmaster: number }> {
    const child = spawn(
      process.execPath,
      [
        '-r',
        'ts-node/register',
        '-e',
        `require(${JSON.stringify(EMBEDDED_MODULE)}).startEmbeddedDatabase(${JSON.stringify(dataDir)}, () => {})
          .then((database) => console.log('ready ' + database.state().pid))`,
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const postmaster = await new Promise<number>((resolve, reject) => {
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const ready = /ready (\d+)/.exec(output);
        if (ready !== null) resolve(Number(ready[1]));
      });
      child.on('exit', () => reject(new Error(`the other process exited: ${output}`)));
    });
    return { child, postmaster };
  }

  it('stops a server left running by a killed process before starting', async () => {
    const dataDir = join(root, 'leftover');
    const lines: string[] = [];
    // What a SIGKILLed Mutua leaves behind: its PostgreSQL, still running.
    const killed = await startInAnotherProcess(dataDir);
    killed.child.kill('SIGKILL');
    await new Promise((resolve) => killed.child.once('exit', resolve));
    expect(running(killed.postmaster)).toBe(true);

    const next = await startEmbeddedDatabase(dataDir, (line) => lines.push(line));
    try {
      const client = await connect(next.url);
      const { rows } = await client.query<{ ok: number }>('SELECT 1 AS ok');
      await client.end();
      expect(rows).toEqual([{ ok: 1 }]);
      expect(lines.join('\n')).toMatch(/left running .* by an earlier process/);
      expect(running(killed.postmaster)).toBe(false);
    } finally {
      await next.stop();
      if (running(killed.postmaster)) process.kill(killed.postmaster, 'SIGKILL');
    }
  });

  it('refuses a data folder whose PostgreSQL another live process runs', async () => {
    const dataDir = join(root, 'in-use');
    const other = await startInAnotherProcess(dataDir);
    try {
      await expect(startEmbeddedDatabase(dataDir, () => undefined)).rejects.toThrow(
        DataFolderInUseError,
      );
      expect(running(other.postmaster)).toBe(true);
    } finally {
      other.child.kill('SIGTERM');
      await new Promise((resolve) => other.child.once('exit', resolve));
      if (running(other.postmaster)) process.kill(other.postmaster, 'SIGKILL');
    }
  });

  it('restarts PostgreSQL on the same port when it dies, says so, and keeps the data', async () => {
    const lines: string[] = [];
    const database = await startEmbeddedDatabase(join(root, 'supervised'), (line) =>
      lines.push(line),
    );
    try {
      const before = await connect(database.url);
      await before.query("CREATE TABLE note (text text); INSERT INTO note VALUES ('kept')");
      await before.end();
      const first = database.state();
      expect(first).toMatchObject({ status: 'up', restarts: 0 });

      process.kill(first.pid!, 'SIGKILL');
      const deadline = Date.now() + 60_000;
      while (database.state().status !== 'up' || database.state().restarts === 0) {
        if (Date.now() > deadline) throw new Error(`not restarted: ${lines.join('\n')}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const after = database.state();
      expect(after).toMatchObject({ status: 'up', restarts: 1 });
      expect(after.pid).not.toBe(first.pid);
      expect(after.lastExit).toMatch(/killed by SIGKILL/);
      expect(lines.join('\n')).toMatch(/stopped unexpectedly \(killed by SIGKILL\); restarting/);
      expect(lines.join('\n')).toMatch(/running again/);

      const again = await connect(database.url);
      const { rows } = await again.query('SELECT text FROM note');
      await again.end();
      expect(rows).toEqual([{ text: 'kept' }]);
    } finally {
      await database.stop();
    }
    expect(database.state().status).toBe('stopped');
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
