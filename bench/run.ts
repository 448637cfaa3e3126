/**
 * `npm run bench`: Mutua's benchmark suite, side by side with a pure-SQL
 * baseline in the same run (see bench/README.md).
 *
 * It starts its own PostgreSQL, loads the pgbench baseline into one database,
 * builds and starts the production Mutua server on another, seeds a
 * community, and then measures, in rounds that alternate baseline and Mutua:
 * uniform transfers, batches of 100, a hot shop account, and what a request
 * costs before any ledger work. Then it seeds one account with a million
 * entries and times the report queries, saving their plans to bench/plans/.
 * A second server with a larger database pool runs the uniform scenario in
 * the same rounds, to show what the pool size changes. It writes everything to bench/RESULTS.md and removes the database,
 * also when it fails or is interrupted.
 *
 * Options: --seconds=N (each measured run, default 10), --warmup=N (default
 * 2), --rounds=N (default 3), --members=N (default 10000),
 * --report-entries=N (default 1000000), --report-accounts=N (default
 * 100000), --only=baseline,uniform,batch,hot,floor,reports,pool,notify (default all),
 * --no-build (reuse dist/), --cpu-prof (V8 profile of the server into
 * bench/results/profiles/), --out=FILE (default bench/RESULTS.md).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { loadBaseline, pgbenchPath, runPgbench } from './baseline/baseline';
import { BenchCluster, startBenchCluster } from './lib/cluster';
import {
  ConnectionTally,
  readStatements,
  resetStatements,
  sampleConnections,
  StatementProfile,
  readGroupSizes,
  withClient,
} from './lib/database';
import { GraphQLClient } from './lib/graphql';
import { runLoad } from './lib/load';
import { describeMachine } from './lib/machine';
import { renderResults } from './lib/markdown';
import {
  readCpuMs,
  readExitedChildrenCpuMs,
  readMachineCpu,
  readMemory,
  readTreeCpuMs,
  sampleMemory,
} from './lib/proc';
import { elapsedSeconds, progress, sleep } from './lib/progress';
import { BenchResults, ThroughputRun, ThroughputScenario } from './lib/results';
import { buildServer, MutuaServer, startServer } from './lib/server';
import { Community, setUpCommunity } from './scenarios/community';
import { hasOperation } from './scenarios/operations';
import { checkServerInfo, serverInfoRequests } from './scenarios/request-floor';
import { runNotifications } from './scenarios/notifications';
import { runReports } from './scenarios/reports';
import { batchRequests, checkBatch, checkTransfer, transferRequests } from './scenarios/transfers';
import { webSectionOf, withWebSection } from './web';

const CONCURRENCY = 32;
const PGBENCH_THREADS = 2;
const DEFAULT_POOL_SIZE = 10;
/** The pool of the second server, one connection per client. */
const POOLED_SIZE = 32;
const HOT_SHARE = 0.5;

type Part =
  'baseline' | 'uniform' | 'single' | 'batch' | 'hot' | 'floor' | 'reports' | 'pool' | 'notify';
const ALL_PARTS: Part[] = [
  'baseline',
  'uniform',
  'single',
  'batch',
  'hot',
  'floor',
  'reports',
  'pool',
  'notify',
];

interface Options {
  runSeconds: number;
  warmupSeconds: number;
  rounds: number;
  members: number;
  reportEntries: number;
  reportAccounts: number;
  parts: Set<Part>;
  build: boolean;
  cpuProfile: boolean;
  out: string;
}

function parseOptions(argv: string[]): Options {
  const values = new Map<string, string>();
  for (const argument of argv) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(argument);
    if (match === null) throw new Error(`unknown argument ${argument}`);
    values.set(match[1], match[2] ?? 'true');
  }
  const integer = (name: string, fallback: number, minimum: number): number => {
    const raw = values.get(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < minimum) {
      throw new Error(`--${name} must be an integer of at least ${minimum}`);
    }
    return value;
  };
  const only = values.get('only');
  const parts = new Set<Part>();
  for (const name of only === undefined ? ALL_PARTS : only.split(',')) {
    if (!ALL_PARTS.includes(name as Part)) {
      throw new Error(`--only takes ${ALL_PARTS.join(',')}, not ${name}`);
    }
    parts.add(name as Part);
  }
  const known = [
    'seconds',
    'warmup',
    'rounds',
    'members',
    'report-entries',
    'report-accounts',
    'only',
    'no-build',
    'cpu-prof',
    'out',
  ];
  for (const name of values.keys()) {
    if (!known.includes(name)) throw new Error(`unknown option --${name}`);
  }
  return {
    runSeconds: integer('seconds', 10, 1),
    warmupSeconds: integer('warmup', 2, 0),
    rounds: integer('rounds', 3, 1),
    members: integer('members', 10_000, 2),
    reportEntries: integer('report-entries', 1_000_000, 2),
    reportAccounts: integer('report-accounts', 100_000, 2),
    parts,
    build: !values.has('no-build'),
    cpuProfile: values.has('cpu-prof'),
    out: resolve(values.get('out') ?? join(__dirname, 'RESULTS.md')),
  };
}

/** What the rounds need to run Mutua load against the server. */
interface MutuaContext {
  server: MutuaServer;
  community: Community;
  databaseUrl: string;
  postmasterPid: number;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const loadAtStart = loadavg()[0];
  const startedAt = new Date();
  let cluster: BenchCluster | undefined;
  let server: MutuaServer | undefined;
  let pooledServer: MutuaServer | undefined;
  let cleaningUp = false;
  const cleanUp = async (): Promise<void> => {
    cleaningUp = true;
    await server?.stop().catch(() => undefined);
    await pooledServer?.stop().catch(() => undefined);
    await cluster?.destroy().catch(() => undefined);
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (cleaningUp) return;
    process.stderr.write(`\nbench: ${signal}, stopping the server and removing the database\n`);
    void cleanUp().then(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    progress('starting PostgreSQL (default durability settings)');
    cluster = await startBenchCluster();
    const postmasterPid = cluster.postmasterPid();
    const pgbench = pgbenchPath(cluster.binDir);
    const results: BenchResults = {
      startedAt,
      durationSeconds: 0,
      machine: describeMachine(cluster.binDir, pgbench),
      loadAverage: { start: loadAtStart, end: loadAtStart },
      settings: {
        concurrency: CONCURRENCY,
        runSeconds: options.runSeconds,
        warmupSeconds: options.warmupSeconds,
        rounds: options.rounds,
        members: options.members,
        reportEntries: options.reportEntries,
        reportAccounts: options.reportAccounts,
        poolSize: DEFAULT_POOL_SIZE,
        postgresSettings: await describeSettings(cluster.cluster.url('postgres')),
      },
      throughput: {},
      reports: { notMeasured: 'not selected (--only)' },
      memory: {},
      notes: [],
    };

    const baselineUrl = cluster.cluster.url('baseline');
    let baselineReady = false;
    if (options.parts.has('baseline')) {
      if (pgbench === undefined) {
        results.throughput.baselineUniform = { notMeasured: 'pgbench is not installed' };
        results.throughput.baselineHot = { notMeasured: 'pgbench is not installed' };
      } else {
        progress(`loading the baseline schema and ${options.members} accounts`);
        await cluster.cluster.createDatabaseIfMissing('baseline');
        await loadBaseline({ url: baselineUrl, members: options.members });
        baselineReady = true;
      }
    }

    const mutuaParts = (
      ['uniform', 'single', 'batch', 'hot', 'floor', 'reports', 'pool', 'notify'] as const
    ).filter((part) => options.parts.has(part));
    let mutua: MutuaContext | undefined;
    let pooled: MutuaContext | undefined;
    const available = { transfer: false, transferBatch: false };
    if (mutuaParts.length > 0) {
      if (options.build) {
        progress('building the server (npm run build)');
        await buildServer();
      }
      await cluster.cluster.createDatabaseIfMissing('mutua');
      const databaseUrl = cluster.cluster.url('mutua');
      progress('starting the Mutua server (production build, migrations on start-up)');
      server = await startServer({
        databaseUrl,
        poolSize: DEFAULT_POOL_SIZE,
        cpuProfileDir: options.cpuProfile ? join(__dirname, 'results', 'profiles') : undefined,
      });
      const probe = new GraphQLClient(server.port);
      available.transfer = await hasOperation(probe, 'Mutation', 'transfer');
      available.transferBatch = await hasOperation(probe, 'Mutation', 'transferBatch');
      probe.close();
      if (available.transfer) {
        progress(
          `seeding the community: steward, HOUR currency, ${options.members} members, a shop`,
        );
        const community = await setUpCommunity({
          port: server.port,
          databaseUrl,
          members: options.members,
        });
        mutua = { server, community, databaseUrl, postmasterPid };
      }
      await sleep(1000);
      results.memory.restBytes = readMemory(server.pid).rssBytes;
      progress(
        `server at rest: ${Math.round(results.memory.restBytes / 1024 ** 2)} MB resident; operations available: ${Object.entries(
          available,
        )
          .map(([name, present]) => `${name} ${present ? 'yes' : 'no'}`)
          .join(', ')}`,
      );
      if (mutua !== undefined && options.parts.has('pool')) {
        // A second server on the same database, identical but for its pool,
        // measured in the same rounds so that both see the same machine.
        progress(`starting a second server with DATABASE_POOL_SIZE=${POOLED_SIZE}`);
        pooledServer = await startServer({ databaseUrl, poolSize: POOLED_SIZE });
        pooled = { ...mutua, server: pooledServer };
      }
      const stopWarmUpMemory = sampleMemory(server.pid);
      for (const context of [mutua, pooled]) {
        if (context === undefined) continue;
        progress(`warming up the server on port ${context.server.port} (not measured)`);
        await warmUp(context, available.transferBatch, options);
      }
      results.memory.peakDuringWarmUpBytes = stopWarmUpMemory();
      if (mutua !== undefined) {
        // Autovacuum would otherwise visit the freshly seeded tables during
        // the first measured runs.
        progress('vacuuming and analysing the seeded tables');
        await withClient(databaseUrl, (client) => client.query('VACUUM ANALYZE'));
      }
      if (!available.transfer) {
        for (const scenario of ['uniform', 'single', 'hot', 'uniformPool32'] as const) {
          results.throughput[scenario] = {
            notMeasured: 'the `transfer` mutation is not available',
          };
        }
      }
      if (!available.transferBatch) {
        results.throughput.batch = { notMeasured: 'the `transferBatch` mutation is not available' };
      }
    }

    // The rounds: each measures every selected scenario once, baseline and
    // Mutua alternating.
    const runs: Partial<Record<ThroughputScenario, ThroughputRun[]>> = {};
    const record = (scenario: ThroughputScenario, run: ThroughputRun): void => {
      (runs[scenario] ??= []).push(run);
    };
    let peakUnderLoad = 0;
    let statements: StatementProfile | undefined;
    let baselineStatements: StatementProfile | undefined;
    let batchStatements: StatementProfile | undefined;
    let connections: ConnectionTally | undefined;
    for (let round = 1; round <= options.rounds; round += 1) {
      if (baselineReady) {
        progress(`round ${round}/${options.rounds}: pgbench baseline, uniform`);
        const measured = await measureBaseline(cluster, baselineUrl, options, 0, round === 1);
        record('baselineUniform', measured.run);
        baselineStatements ??= measured.statements;
      }
      if (mutua !== undefined && options.parts.has('uniform')) {
        progress(`round ${round}/${options.rounds}: Mutua transfer, uniform`);
        // Statements are counted in the last round, when the server has met
        // most accounts (as one that has been up for a while has): in the
        // first, most of its directory reads are first meetings.
        const profile = round === options.rounds;
        const measured = await measureMutua(mutua, options, {
          label: `uniform-${round}`,
          requests: transferRequests(mutua.community, 0, `uniform-${round}`),
          check: checkTransfer,
          profileStatements: profile,
          sampleConnections: profile,
          measureGroups: true,
        });
        record('uniform', measured.run);
        statements ??= measured.statements;
        connections ??= measured.connections;
        peakUnderLoad = Math.max(peakUnderLoad, measured.peakRssBytes);
      }
      if (mutua !== undefined && options.parts.has('single')) {
        // One client: what a lone transfer waits for when nothing else is queued.
        progress(`round ${round}/${options.rounds}: Mutua transfer, 1 client`);
        const measured = await measureMutua(mutua, options, {
          label: `single-${round}`,
          concurrency: 1,
          requests: transferRequests(mutua.community, 0, `single-${round}`),
          check: checkTransfer,
          profileStatements: false,
          sampleConnections: false,
          measureGroups: true,
        });
        record('single', measured.run);
      }
      if (pooled !== undefined) {
        progress(
          `round ${round}/${options.rounds}: Mutua transfer, uniform, DATABASE_POOL_SIZE=${POOLED_SIZE}`,
        );
        const measured = await measureMutua(pooled, options, {
          label: `pool-${round}`,
          requests: transferRequests(pooled.community, 0, `pool-${round}`),
          check: checkTransfer,
          profileStatements: false,
          sampleConnections: false,
        });
        record('uniformPool32', measured.run);
      }
      if (mutua !== undefined && options.parts.has('batch') && available.transferBatch) {
        progress(`round ${round}/${options.rounds}: Mutua transferBatch of 100, uniform`);
        const measured = await measureMutua(mutua, options, {
          label: `batch-${round}`,
          requests: batchRequests(mutua.community, `batch-${round}`),
          check: checkBatch,
          profileStatements: round === 1,
          sampleConnections: false,
        });
        record('batch', measured.run);
        batchStatements ??= measured.statements;
        peakUnderLoad = Math.max(peakUnderLoad, measured.peakRssBytes);
      }
      if (baselineReady) {
        progress(`round ${round}/${options.rounds}: pgbench baseline, hot account`);
        const measured = await measureBaseline(
          cluster,
          baselineUrl,
          options,
          HOT_SHARE * 100,
          false,
        );
        record('baselineHot', measured.run);
      }
      if (mutua !== undefined && options.parts.has('hot')) {
        progress(`round ${round}/${options.rounds}: Mutua transfer, hot account`);
        const measured = await measureMutua(mutua, options, {
          label: `hot-${round}`,
          requests: transferRequests(mutua.community, HOT_SHARE, `hot-${round}`),
          check: checkTransfer,
          profileStatements: false,
          sampleConnections: false,
          measureGroups: true,
        });
        record('hot', measured.run);
        peakUnderLoad = Math.max(peakUnderLoad, measured.peakRssBytes);
      }
      if (mutua !== undefined && options.parts.has('floor')) {
        // Shorter runs: these only show what a request costs before any ledger work.
        const seconds = Math.max(1, Math.round(options.runSeconds / 2));
        for (const anonymous of [true, false]) {
          progress(
            `round ${round}/${options.rounds}: serverInfo query, ${anonymous ? 'anonymous' : "with the steward's token"}`,
          );
          const measured = await measureMutua(mutua, options, {
            label: `floor-${anonymous ? 'anonymous' : 'token'}-${round}`,
            anonymous,
            seconds,
            requests: serverInfoRequests(),
            check: checkServerInfo,
            profileStatements: false,
            sampleConnections: false,
          });
          record(anonymous ? 'floorAnonymous' : 'floorAuthenticated', measured.run);
        }
      }
    }
    for (const [scenario, scenarioRuns] of Object.entries(runs)) {
      results.throughput[scenario as ThroughputScenario] = { runs: scenarioRuns };
    }
    if (peakUnderLoad > 0) results.memory.peakUnderLoadBytes = peakUnderLoad;
    if (options.parts.has('notify')) {
      if (mutua === undefined) {
        results.notifications = { notMeasured: 'the `transfer` mutation is not available' };
      } else {
        results.notifications = await runNotifications({
          server: mutua.server,
          community: mutua.community,
          databaseUrl: mutua.databaseUrl,
          seconds: options.runSeconds,
        });
      }
    }
    results.profile = { statements, batchStatements, baselineStatements, connections };

    if (options.parts.has('reports')) {
      if (mutua === undefined || server === undefined) {
        results.reports = {
          notMeasured:
            server === undefined
              ? 'the Mutua server was not started'
              : 'the `transfer` mutation is not available, so there is no ledger to report on',
        };
      } else {
        const stopReportsMemory = sampleMemory(server.pid);
        const reports = await runReports({
          server,
          community: mutua.community,
          databaseUrl: mutua.databaseUrl,
          cluster,
          entries: options.reportEntries,
          accounts: options.reportAccounts,
          members: options.members,
          // Beside the results file, so that an experiment elsewhere leaves bench/plans/ alone.
          plansDir: join(dirname(options.out), 'plans'),
        });
        results.memory.peakDuringReportsBytes = stopReportsMemory();
        results.reports = reports.outcome;
        results.reportSeedSeconds = reports.seedSeconds;
        results.notes.push(...reports.notes);
      }
    }
    if (server !== undefined) {
      results.memory.lifetimePeakBytes = readMemory(server.pid).peakRssBytes;
    }

    results.durationSeconds = elapsedSeconds();
    results.loadAverage.end = loadavg()[0];
    await mkdir(resolve(options.out, '..'), { recursive: true });
    // The web app's section is bench:web's (bench/web.ts): carry it over.
    const previous = await readFile(options.out, 'utf8').catch(() => '');
    const webSection = webSectionOf(previous);
    const rendered = renderResults(results, await readHistory());
    await writeFile(
      options.out,
      webSection === undefined ? rendered : withWebSection(rendered, webSection),
    );
    progress(`wrote ${relative(process.cwd(), options.out)}`);
  } finally {
    progress('stopping the server and removing the database');
    await cleanUp();
  }
  progress('done');
}

/**
 * Fills a fresh server's caches before anything is measured, as a server
 * that has been up for a while has them: an unmeasured run of batches (or of
 * single transfers) that touches most accounts, which is what, for example,
 * the cache of account scales needs.
 */
async function warmUp(context: MutuaContext, batches: boolean, options: Options): Promise<void> {
  const client = new GraphQLClient(
    context.server.port,
    context.community.stewardToken,
    CONCURRENCY,
  );
  const label = `warm-up-${context.server.port}`;
  const result = await runLoad({
    client,
    concurrency: CONCURRENCY,
    warmupMs: Math.max(3, options.warmupSeconds * 2) * 1000,
    durationMs: 0,
    nextRequest: batches
      ? batchRequests(context.community, label)
      : transferRequests(context.community, 0, label),
    check: batches ? checkBatch : checkTransfer,
  });
  client.close();
  if (result.allOperations === 0) {
    throw new Error(`the warm-up of the server on port ${context.server.port} posted no transfer`);
  }
}

async function describeSettings(url: string): Promise<string> {
  return withClient(url, async (client) => {
    const rows = await client.query<{ name: string; setting: string; unit: string | null }>(
      `SELECT name, setting, unit FROM pg_settings
       WHERE name IN ('shared_buffers', 'max_connections', 'fsync', 'synchronous_commit',
                      'full_page_writes', 'work_mem', 'max_wal_size')
       ORDER BY name`,
    );
    const shown = rows.rows.map((row) => {
      if (row.name === 'shared_buffers') return `shared_buffers ${Number(row.setting) / 128} MB`;
      return `${row.name} ${row.setting}${row.unit === null ? '' : ` ${row.unit}`}`;
    });
    return `its default settings (${shown.join(', ')})`;
  });
}

/** One pgbench run of the baseline, with the machine's CPU use around it. */
async function measureBaseline(
  cluster: BenchCluster,
  url: string,
  options: Options,
  hotPercent: number,
  profile: boolean,
): Promise<{ run: ThroughputRun; statements?: StatementProfile }> {
  await withClient(url, (client) => client.query('CHECKPOINT'));
  const commitsBefore = profile ? await withClient(url, (client) => resetStatements(client)) : 0;
  const before = readMachineCpu();
  const postgresBefore = readTreeCpuMs(cluster.postmasterPid());
  const pgbenchBefore = readExitedChildrenCpuMs();
  const run = await runPgbench({
    binDir: cluster.binDir,
    url,
    members: options.members,
    hotPercent,
    clients: CONCURRENCY,
    threads: PGBENCH_THREADS,
    seconds: options.runSeconds,
  });
  const after = readMachineCpu();
  const perTransfer = (milliseconds: number): number | undefined =>
    run.transfers === 0 ? undefined : milliseconds / run.transfers;
  const postgresCpuMsPerTransfer = perTransfer(
    readTreeCpuMs(cluster.postmasterPid()) - postgresBefore,
  );
  const loadCpuMsPerTransfer = perTransfer(readExitedChildrenCpuMs() - pgbenchBefore);
  progress(
    `  ${Math.round(run.transfersPerSecond)} transfers/s, average latency ${run.latencyAverageMs.toFixed(1)} ms, ${run.failed} failed`,
  );
  const statements = profile
    ? await withClient(url, (client) =>
        readStatements(client, {
          transfers: run.transfers,
          commitsBefore,
          database: 'baseline',
        }),
      )
    : undefined;
  return {
    run: {
      transfersPerSecond: run.transfersPerSecond,
      latencyAverageMs: run.latencyAverageMs,
      requests: run.transfers + run.failed,
      failedRequests: run.failed,
      problems: [],
      postgresCpuMsPerTransfer,
      loadCpuMsPerTransfer,
      machineBusyPercent:
        (100 * (after.busy - before.busy)) / Math.max(1, after.total - before.total),
    },
    statements,
  };
}

interface MutuaRun {
  label: string;
  /** Send the steward's token (default) or none. */
  anonymous?: boolean;
  /** Length of the measured run, when not the usual one. */
  seconds?: number;
  requests: Parameters<typeof runLoad>[0]['nextRequest'];
  check: Parameters<typeof runLoad>[0]['check'];
  profileStatements: boolean;
  sampleConnections: boolean;
  /** Closed-loop clients; CONCURRENCY when left out. */
  concurrency?: number;
  /** Read how many transfers each posting transaction carried (group commit). */
  measureGroups?: boolean;
}

/**
 * One measured Mutua run: a checkpoint so that every run starts from the same
 * state, then the load, with CPU counters read when the measured window opens
 * and closes, memory sampled throughout, and optionally the statements and
 * connection states the server caused.
 */
async function measureMutua(
  context: MutuaContext,
  options: Options,
  run: MutuaRun,
): Promise<{
  run: ThroughputRun;
  peakRssBytes: number;
  statements?: StatementProfile;
  connections?: ConnectionTally;
}> {
  const { server, databaseUrl } = context;
  await withClient(databaseUrl, (client) => client.query('CHECKPOINT'));
  const commitsBefore = run.profileStatements
    ? await withClient(databaseUrl, (client) => resetStatements(client))
    : 0;
  const concurrency = run.concurrency ?? CONCURRENCY;
  const client = new GraphQLClient(
    server.port,
    run.anonymous === true ? undefined : context.community.stewardToken,
    concurrency,
  );
  const stopMemory = sampleMemory(server.pid);
  const window = { start: new Date(), end: new Date() };
  let sampler: ReturnType<typeof sampleConnections> | undefined;
  const counters = { server: 0, postgres: 0, load: 0, machineBusy: 0, machineTotal: 0 };
  const readCounters = (sign: 1 | -1): void => {
    const machine = readMachineCpu();
    const load = process.cpuUsage();
    counters.server += sign * readCpuMs(server.pid);
    counters.postgres += sign * readTreeCpuMs(context.postmasterPid);
    counters.load += sign * ((load.user + load.system) / 1000);
    counters.machineBusy += sign * machine.busy;
    counters.machineTotal += sign * machine.total;
  };
  const result = await runLoad({
    client,
    concurrency,
    warmupMs: Math.min(options.warmupSeconds, run.seconds ?? options.warmupSeconds) * 1000,
    durationMs: (run.seconds ?? options.runSeconds) * 1000,
    nextRequest: run.requests,
    check: run.check,
    onWindowStart: () => {
      window.start = new Date();
      readCounters(-1);
      if (run.sampleConnections) sampler = sampleConnections(databaseUrl, 'mutua');
    },
    onWindowEnd: () => {
      window.end = new Date();
      readCounters(1);
    },
  });
  client.close();
  const peakRssBytes = stopMemory();
  const connections = await sampler?.stop();
  const statements = run.profileStatements
    ? await withClient(databaseUrl, (admin) =>
        readStatements(admin, {
          // The statistics cover the whole run, warm-up included.
          transfers: result.allOperations,
          commitsBefore,
          database: 'mutua',
        }),
      )
    : undefined;
  const groups =
    run.measureGroups === true
      ? await withClient(databaseUrl, (admin) =>
          readGroupSizes(admin, context.community.communityId, window.start, window.end),
        )
      : undefined;
  const perTransfer = (milliseconds: number): number | undefined =>
    result.operations === 0 ? undefined : milliseconds / result.operations;
  progress(
    `  ${run.label}: ${Math.round(result.operationsPerSecond)} ${run.anonymous === undefined && run.seconds === undefined ? 'transfers' : 'requests'}/s, p50 ${result.latencyP50Ms.toFixed(1)} ms, p99 ${result.latencyP99Ms.toFixed(1)} ms, ${result.failedRequests} failed of ${result.requests}`,
  );
  return {
    run: {
      transfersPerSecond: result.operationsPerSecond,
      latencyP50Ms: result.latencyP50Ms,
      latencyP99Ms: result.latencyP99Ms,
      requests: result.requests,
      failedRequests: result.failedRequests,
      problems: result.problems,
      serverCpuMsPerTransfer: perTransfer(counters.server),
      postgresCpuMsPerTransfer: perTransfer(counters.postgres),
      loadCpuMsPerTransfer: perTransfer(counters.load),
      machineBusyPercent: (100 * counters.machineBusy) / Math.max(1, counters.machineTotal),
      ...(groups === undefined ? {} : { groups }),
    },
    peakRssBytes,
    statements,
    connections,
  };
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);

/** bench/HISTORY.md: before-and-after figures of earlier runs, recorded by hand. */
async function readHistory(): Promise<string | undefined> {
  try {
    return await readFile(join(__dirname, 'HISTORY.md'), 'utf8');
  } catch {
    return undefined;
  }
}
