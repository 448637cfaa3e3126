/**
 * `npm test`: runs jest against a real PostgreSQL 15 that this script starts
 * and removes itself.
 *
 * - With DATABASE_URL set, that server is used and nothing is started.
 * - Otherwise a throwaway cluster is initialised in a temp folder (owned by
 *   the `postgres` user when we are root), started on a free port of
 *   127.0.0.1 with fsync off, migrated once, handed to jest through
 *   DATABASE_URL, then stopped and deleted: after success, after failure, and
 *   on Ctrl-C or SIGTERM. Clusters left by a run that was SIGKILLed are swept
 *   at the start of the next run.
 *
 * Arguments are passed to jest: `npm test -- test/health.e2e.spec.ts`.
 */
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_ADMIN, TEST_JWT_SECRET } from '../support/test-credentials';
import { runMigrations } from '../../src/common/database/migrate';
import {
  findPostgresBinDir,
  PostgresCluster,
  sweepLeftoverClusters,
} from '../../src/common/database/postgres-cluster';

const TEMP_PREFIX = 'mutua-test-';

async function main(): Promise<number> {
  const jestArgs = process.argv.slice(2);
  if (process.env.DATABASE_URL !== undefined && process.env.DATABASE_URL !== '') {
    await runMigrations(process.env.DATABASE_URL);
    return runJest(jestArgs, process.env.DATABASE_URL);
  }

  await sweepLeftoverClusters(TEMP_PREFIX);
  const root = await mkdtemp(join(tmpdir(), TEMP_PREFIX));
  await writeFile(join(root, 'owner.pid'), String(process.pid));
  // The postgres user must be able to enter the folder.
  await chmod(root, 0o755);
  const started = Date.now();
  let cluster: PostgresCluster | undefined;
  const cleanUp = async (): Promise<void> => {
    await cluster?.destroy().catch(() => undefined);
    await rm(root, { recursive: true, force: true });
  };
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupted) return;
    interrupted = true;
    process.stderr.write(`\ntest harness: ${signal}, removing the test database\n`);
    jestProcess?.kill(signal);
    void cleanUp().then(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
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
    const url = cluster.url('mutua_test');
    await runMigrations(url);
    process.stderr.write(
      `test harness: PostgreSQL from ${binDir} on port ${cluster.port}, migrated, in ${Date.now() - started} ms\n`,
    );
    return await runJest(jestArgs, url);
  } finally {
    if (!interrupted) await cleanUp();
  }
}

let jestProcess: ReturnType<typeof spawn> | undefined;

function runJest(args: string[], databaseUrl: string): Promise<number> {
  return new Promise((resolve) => {
    jestProcess = spawn(process.execPath, [require.resolve('jest/bin/jest'), ...args], {
      stdio: 'inherit',
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
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
    jestProcess.on('exit', (code, signal) => resolve(code ?? (signal !== null ? 1 : 0)));
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `test harness: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);
