import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from 'pg';

/**
 * The pgbench baseline: loads schema.sql into its own database on the
 * benchmark's PostgreSQL, seeds the accounts and drives `baseline_transfer`
 * with pgbench at the same concurrency as the Mutua load.
 */

export interface BaselineSetup {
  /** A URL of the baseline's database, as `PostgresCluster.url` gives it. */
  url: string;
  /** Member accounts; account 1 is the shop on top of them. */
  members: number;
}

export interface PgbenchRun {
  transfersPerSecond: number;
  latencyAverageMs: number;
  transfers: number;
  failed: number;
}

export interface PgbenchOptions {
  binDir: string;
  url: string;
  members: number;
  /** Share of transfers that pay the shop, 0 to 100. */
  hotPercent: number;
  clients: number;
  threads: number;
  seconds: number;
}

/** Creates the baseline's tables and function and its shop and member accounts. */
export async function loadBaseline(setup: BaselineSetup): Promise<void> {
  const client = new Client({ connectionString: setup.url });
  await client.connect();
  try {
    await client.query(await readFile(join(__dirname, 'schema.sql'), 'utf8'));
    // Members may go far below zero (mutual credit) so that a random walk
    // never hits the floor; the check still runs on every transfer.
    await client.query(
      `INSERT INTO baseline_accounts (id, name, floor)
       SELECT id, CASE WHEN id = 1 THEN 'shop' ELSE 'member ' || id END, -1000000000000
       FROM generate_series(1, $1::bigint + 1) AS id`,
      [setup.members],
    );
    await client.query('VACUUM ANALYZE baseline_accounts');
  } finally {
    await client.end();
  }
}

export function pgbenchPath(binDir: string): string | undefined {
  const candidates = [join(binDir, 'pgbench'), '/usr/bin/pgbench'];
  return candidates.find((candidate) => existsSync(candidate));
}

/** Runs pgbench once and reads its summary. */
export async function runPgbench(options: PgbenchOptions): Promise<PgbenchRun> {
  const pgbench = pgbenchPath(options.binDir);
  if (pgbench === undefined) throw new Error('pgbench is not installed');
  const url = new URL(options.url);
  const args = [
    '--no-vacuum',
    '--protocol=prepared',
    `--client=${options.clients}`,
    `--jobs=${options.threads}`,
    `--time=${options.seconds}`,
    `--define=members=${options.members}`,
    `--define=hot_percent=${options.hotPercent}`,
    `--file=${join(__dirname, 'transfer.pgbench')}`,
    `--host=${url.hostname}`,
    `--port=${url.port}`,
    `--username=${decodeURIComponent(url.username)}`,
    decodeURIComponent(url.pathname.slice(1)),
  ];
  const output = await run(pgbench, args, {
    ...process.env,
    PGPASSWORD: decodeURIComponent(url.password),
  });
  return parsePgbenchSummary(output);
}

/** Reads tps, average latency and counts from pgbench's summary. */
export function parsePgbenchSummary(output: string): PgbenchRun {
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(output);
  const latency = /latency average = ([\d.]+) ms/.exec(output);
  const processed = /number of transactions actually processed: (\d+)/.exec(output);
  const failed = /number of failed transactions: (\d+)/.exec(output);
  if (tps === null || latency === null || processed === null) {
    throw new Error(`unexpected pgbench output:\n${output}`);
  }
  return {
    transfersPerSecond: Number(tps[1]),
    latencyAverageMs: Number(latency[1]),
    transfers: Number(processed[1]),
    failed: failed === null ? 0 : Number(failed[1]),
  };
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`pgbench exited with ${code ?? 'a signal'}:\n${output}`));
    });
  });
}
