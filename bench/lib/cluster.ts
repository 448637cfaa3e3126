import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  findPostgresBinDir,
  PostgresCluster,
  sweepLeftoverClusters,
} from '../../src/common/database/postgres-cluster';

/**
 * The benchmark's own PostgreSQL: a throwaway cluster in a temp folder, shared
 * by Mutua and the pgbench baseline so that both run on the same server with
 * the same settings.
 *
 * Unlike the test harness, durability stays on (fsync, synchronous_commit and
 * full_page_writes keep their defaults): a ledger that acknowledges a transfer
 * must have it on disk, and switching that off would flatter both sides by
 * different amounts. The only changes from a stock server are two preloaded
 * extensions that observe without changing behaviour: pg_stat_statements
 * (statements per transfer) and auto_explain (the plans of the report
 * queries, switched on only while the reports run).
 */

const TEMP_PREFIX = 'mutua-bench-';

// auto_explain logs nothing until its log_min_duration is set (by ALTER
// SYSTEM, which a command-line setting would override, so none is given here).
export const BENCH_SETTINGS: Readonly<Record<string, string>> = {
  shared_preload_libraries: 'pg_stat_statements,auto_explain',
};

export interface BenchCluster {
  cluster: PostgresCluster;
  binDir: string;
  /** The server log, where auto_explain writes plans. */
  logFile: string;
  /** The postmaster's process id, whose children are the backends. */
  postmasterPid: () => number;
  destroy: () => Promise<void>;
}

export async function startBenchCluster(): Promise<BenchCluster> {
  await sweepLeftoverClusters(TEMP_PREFIX);
  const root = await mkdtemp(join(tmpdir(), TEMP_PREFIX));
  await writeFile(join(root, 'owner.pid'), String(process.pid));
  // The postgres user must be able to enter the folder.
  await chmod(root, 0o755);
  const binDir = findPostgresBinDir();
  const dataDir = join(root, 'pgdata');
  let cluster: PostgresCluster | undefined;
  const destroy = async (): Promise<void> => {
    await cluster?.destroy().catch(() => undefined);
    await rm(root, { recursive: true, force: true });
  };
  try {
    cluster = await PostgresCluster.start({
      binDir,
      dataDir,
      socketDir: join(root, 'socket'),
      settings: { ...BENCH_SETTINGS },
    });
  } catch (error) {
    await destroy();
    throw error;
  }
  const postmasterPid = (): number =>
    Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  return { cluster, binDir, logFile: join(dataDir, 'server.log'), postmasterPid, destroy };
}
