/**
 * `npm test`: runs jest against a real PostgreSQL 15 that this script starts
 * and removes itself.
 *
 * - With DATABASE_URL set, that server is used and nothing is started.
 * - Otherwise a throwaway cluster is initialised in a temp folder (owned by
 *   the `postgres` user when we are root), started on a free port of
 *   127.0.0.1 with fsync off, migrated once as its superuser, and handed to
 *   jest through DATABASE_URL as the application role `mutua_app`, which
 *   owns nothing (MIGRATION_DATABASE_URL is the superuser's).
 *
 * Whatever happens (success, failure, Ctrl-C, SIGTERM) the run ends by
 * removing everything it and its specs started: see cleanup.ts. Runs that
 * were SIGKILLed are swept at the start of the next run.
 *
 * Arguments are passed to jest: `npm test -- test/health.e2e.spec.ts`.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { TEST_ADMIN, TEST_JWT_SECRET } from '../support/test-credentials';
import { applicationLogin } from '../../src/common/database/application-role';
import { runMigrations } from '../../src/common/database/migrate';
import { findPostgresBinDir, PostgresCluster } from '../../src/common/database/postgres-cluster';
import { cleanUpRun, RUN_MARK, sweepDeadRuns } from './cleanup';

const TEMP_PREFIX = 'mutua-test-';
const EXIT_CODES: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143 };

let jest: ChildProcess | undefined;
let interruptedBy: NodeJS.Signals | undefined;
let cleaning: Promise<void> | undefined;

async function main(): Promise<number> {
  const jestArgs = process.argv.slice(2);
  await sweepDeadRuns(TEMP_PREFIX);

  const root = await mkdtemp(join(tmpdir(), TEMP_PREFIX));
  await writeFile(join(root, 'owner.pid'), String(process.pid));
  // The postgres user must be able to enter the folders.
  await chmod(root, 0o755);
  const specTemp = join(root, 'tmp');
  await mkdir(specTemp, { mode: 0o755 });
  const runId = basename(root);
  // Inherited by the cluster, jest, and every process a spec starts.
  process.env[RUN_MARK] = runId;

  let cluster: PostgresCluster | undefined;
  const cleanUp = (): Promise<void> =>
    (cleaning ??= (async () => {
      if (jest !== undefined && jest.exitCode === null && jest.signalCode === null) {
        jest.kill('SIGTERM');
      }
      await cluster?.stop().catch(() => undefined);
      await cleanUpRun(runId, root);
    })());

  const onSignal = (signal: NodeJS.Signals): void => {
    if (interruptedBy !== undefined) {
      process.stderr.write(
        `test harness: ${signal} again: still removing what the tests started\n`,
      );
      return;
    }
    interruptedBy = signal;
    process.stderr.write(
      `\ntest harness: ${signal}, stopping the tests and removing what they started\n`,
    );
    void cleanUp().then(() => process.exit(EXIT_CODES[signal] ?? 1));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    let url = process.env.DATABASE_URL;
    let ownerUrl = process.env.MIGRATION_DATABASE_URL || url;
    if (url === undefined || url === '') {
      const started = Date.now();
      const binDir = findPostgresBinDir();
      cluster = await PostgresCluster.start({
        binDir,
        dataDir: join(root, 'pgdata'),
        socketDir: join(root, 'socket'),
        settings: {
          fsync: 'off',
          synchronous_commit: 'off',
          full_page_writes: 'off',
          max_connections: '300',
          shared_buffers: '128MB',
        },
      });
      await cluster.createDatabaseIfMissing('mutua_test');
      ownerUrl = cluster.url('mutua_test');
      // The server under test connects as the application role, as in production.
      url = await applicationLogin(ownerUrl);
      await runMigrations(ownerUrl);
      process.stderr.write(
        `test harness: PostgreSQL from ${binDir} on port ${cluster.port}, migrated, in ${Date.now() - started} ms\n`,
      );
    } else {
      await runMigrations(ownerUrl!);
    }
    if (interruptedBy !== undefined) return EXIT_CODES[interruptedBy] ?? 1;
    return await runJest(jestArgs, url, ownerUrl!, specTemp);
  } finally {
    await cleanUp();
  }
}

function runJest(
  args: string[],
  databaseUrl: string,
  ownerUrl: string,
  specTemp: string,
): Promise<number> {
  return new Promise((resolve) => {
    jest = spawn(process.execPath, [require.resolve('jest/bin/jest'), ...args], {
      stdio: 'inherit',
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        // The tables' owner, for specs that act behind the application's back.
        MIGRATION_DATABASE_URL: ownerUrl,
        // Everything a spec makes in the temp folder is the run's, and goes with it.
        TMPDIR: specTemp,
        MUTUA_SYSTEM_TMPDIR: tmpdir(),
        NODE_ENV: 'test',
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
        // Known credentials for the factories, and generous sign-in limits
        // because every test logs in from 127.0.0.1 (the throttling spec
        // sets its own).
        ADMIN_EMAIL: TEST_ADMIN.email,
        ADMIN_PASSWORD: TEST_ADMIN.password,
        JWT_SECRET: TEST_JWT_SECRET,
        AUTH_RATE_LIMIT_PER_MINUTE: '100000',
      },
    });
    jest.on('exit', (code, signal) => resolve(code ?? (signal !== null ? 1 : 0)));
  });
}

main().then(
  (code) => {
    // An interrupted run exits from its signal handler, once the clean-up is done.
    if (interruptedBy === undefined) process.exit(code);
  },
  async (error: unknown) => {
    process.stderr.write(
      `test harness: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    await cleaning?.catch(() => undefined);
    if (interruptedBy === undefined) process.exit(1);
  },
);
