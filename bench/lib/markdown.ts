import { ConnectionTally, StatementProfile } from './database';
import { BenchResults, ReportsOutcome, ThroughputRun, ThroughputScenario } from './results';
import { ratioOfMedians, Spread, spread } from './stats';
import { renderNotifications } from '../scenarios/notifications';

/**
 * Writes RESULTS.md from one run's measurements. Every number in the file
 * comes from `BenchResults`; nothing here is a constant figure. Targets are
 * those of the benchmark issue, judged on medians.
 */

const SCENARIO_LABELS: Record<ThroughputScenario, string> = {
  baselineUniform: 'pgbench baseline, uniform (`baseline_transfer`)',
  baselineHot: 'pgbench baseline, hot account',
  uniform: 'Mutua `transfer`, uniform',
  single: 'Mutua `transfer`, 1 client, uniform',
  batch: 'Mutua `transferBatch` of 100, uniform',
  hot: 'Mutua `transfer`, hot account (half pay one shop)',
  uniformPool32: 'Mutua `transfer`, uniform, DATABASE_POOL_SIZE=32',
  floorAnonymous: '`serverInfo` query, no token (HTTP and GraphQL only)',
  floorAuthenticated:
    "`serverInfo` query with the steward's token (adds the token check and caller lookup)",
};

const SCENARIO_ORDER: ThroughputScenario[] = [
  'baselineUniform',
  'uniform',
  'single',
  'batch',
  'baselineHot',
  'hot',
  'uniformPool32',
];

const TARGET_MS = 20;
/** The report queries with a latency target, and how the targets table names them. */
const REPORT_TARGETS: Array<[string, string]> = [
  ['statement-first-page', '`accountStatement` first page at 1M entries'],
  ['statement-deep-page', '`accountStatement` page deep in history'],
  ['balance-as-of', '`balanceAsOf` in the middle of 1M entries'],
  ['statement-with-totals', 'statement with totals over all of 1M entries'],
];
const TARGET_RSS_MB = 250;

export function renderResults(results: BenchResults, history?: string): string {
  const lines: string[] = [];
  const { machine, settings } = results;
  lines.push('# Mutua benchmark results', '');
  lines.push(
    `Written by \`npm run bench\` (bench/run.ts) on ${formatDate(results.startedAt)}, in ${Math.round(results.durationSeconds)} s. Every figure below comes from that run; to update them, run it again rather than editing this file.`,
    '',
  );

  lines.push('## Machine', '');
  lines.push('| | |', '| --- | --- |');
  lines.push(`| CPU | ${machine.cores} cores, ${machine.cpuModel} |`);
  lines.push(`| memory | ${machine.memoryGiB} GiB |`);
  lines.push(`| kernel | ${machine.kernel} |`);
  lines.push(`| Node.js | ${machine.node} |`);
  lines.push(`| PostgreSQL | ${machine.postgres} |`);
  lines.push(`| pgbench | ${machine.pgbench} |`);
  const busiest = Math.max(results.loadAverage.start, results.loadAverage.end);
  const competing =
    busiest > machine.cores
      ? `: above ${machine.cores}, so other work on the machine competed for the cores`
      : '';
  lines.push(
    `| load average (1 min) at start / end | ${formatNumber(results.loadAverage.start, 1)} / ${formatNumber(results.loadAverage.end, 1)}${competing} |`,
    '',
  );

  lines.push('## How it was measured', '');
  lines.push(
    `- One PostgreSQL server, started by the benchmark in a temp folder, serves both Mutua and the pgbench baseline (each in its own database) with ${settings.postgresSettings}. Durability is on for both: fsync, synchronous_commit and full_page_writes keep their defaults, so a transfer counts only once its commit is on disk. Switching them off would flatter both sides, by different amounts.`,
    `- Mutua runs as its production build (\`npm run build\`, then \`node dist/src/main.js\`, NODE_ENV=production, LOG_LEVEL=warn) with a pool of ${settings.poolSize} database connections; the rows marked DATABASE_POOL_SIZE=32 come from a second, otherwise identical server on the same database, measured in the same rounds. Before the rounds, each server handles an unmeasured run of batches, so that its caches (such as the scale of each account's currency) are as warm as on a server that has been up for a while.`,
    `- Concurrency ${settings.concurrency}: ${settings.concurrency} closed-loop HTTP clients on keep-alive connections for Mutua, \`pgbench --client=${settings.concurrency} --jobs=2 --protocol=prepared\` for the baseline. Each run lasts ${settings.runSeconds} s (Mutua runs after a ${settings.warmupSeconds} s warm-up that is not counted). Baseline and Mutua runs alternate within each of the ${settings.rounds} rounds, so that drift on a shared machine affects both.`,
    `- ${formatInteger(settings.members)} member accounts plus one shop account, on both sides. Uniform: sender and receiver are random distinct members. Hot account: the receiver is the shop for half of all transfers. Every Mutua transfer moves 0.01 HOUR with a fresh idempotency key, authenticated as the community's steward.`,
    '- The load generator, the server, PostgreSQL and pgbench all share the same cores; the CPU table below shows how they split them.',
    `- Each figure is the minimum / median / maximum over the runs; ratios and targets use medians.`,
    '',
  );

  lines.push('## Throughput', '');
  lines.push(
    '| scenario | transfers/s | p50 latency (ms) | p99 latency (ms) | failed requests |',
    '| --- | --- | --- | --- | --- |',
  );
  for (const scenario of SCENARIO_ORDER) {
    const outcome = results.throughput[scenario];
    if (outcome === undefined) continue;
    const label = SCENARIO_LABELS[scenario];
    if ('notMeasured' in outcome) {
      lines.push(`| ${label} | not measured: ${outcome.notMeasured} | | | |`);
      continue;
    }
    const runs = outcome.runs;
    const average = runs.some((run) => run.latencyAverageMs !== undefined);
    const latency = (pick: (run: ThroughputRun) => number | undefined): string =>
      formatSpread(spread(numbers(runs.map(pick))), 1);
    lines.push(
      `| ${label} | ${formatSpread(spread(runs.map((run) => run.transfersPerSecond)), 0)} | ${
        average
          ? `${latency((run) => run.latencyAverageMs)} (average)`
          : latency((run) => run.latencyP50Ms)
      } | ${average ? '' : latency((run) => run.latencyP99Ms)} | ${formatFailures(runs)} |`,
    );
  }
  lines.push('');
  const batchNote = results.throughput.batch;
  if (batchNote !== undefined && 'runs' in batchNote) {
    lines.push('Batch latencies are per request of 100 transfers.', '');
  }
  const problems = SCENARIO_ORDER.flatMap((scenario) => {
    const outcome = results.throughput[scenario];
    if (outcome === undefined || !('runs' in outcome)) return [];
    const counts = new Map<string, number>();
    for (const run of outcome.runs) {
      for (const { problem, count } of run.problems) {
        counts.set(problem, (counts.get(problem) ?? 0) + count);
      }
    }
    return [...counts].map(
      ([problem, count]) => `- ${SCENARIO_LABELS[scenario]}: ${count} × ${problem}`,
    );
  });
  if (problems.length > 0) lines.push('Failed requests seen:', '', ...problems, '');

  const grouped = (['uniform', 'hot', 'single'] as const).flatMap((scenario) => {
    const outcome = results.throughput[scenario];
    if (outcome === undefined || !('runs' in outcome)) return [];
    const runs = outcome.runs.filter((run) => run.groups !== undefined);
    return runs.length === 0 ? [] : [{ scenario, runs }];
  });
  if (grouped.length > 0) {
    lines.push(
      '### Group commit',
      '',
      'Transfers per posting transaction during the measured runs: the transfers of one group share the instant it was planned (their `created_at`), read from the database after each run.',
      '',
      '| scenario | transactions | transfers per transaction, median | p99 | largest |',
      '| --- | --- | --- | --- | --- |',
    );
    for (const { scenario, runs } of grouped) {
      const pick = (value: (run: ThroughputRun) => number | undefined) =>
        formatSpread(spread(numbers(runs.map(value))), 0);
      lines.push(
        `| ${SCENARIO_LABELS[scenario]} | ${pick((run) => run.groups?.count)} | ${pick((run) => run.groups?.p50)} | ${pick((run) => run.groups?.p99)} | ${pick((run) => run.groups?.largest)} |`,
      );
    }
    lines.push('');
  }

  lines.push('## Targets', '');
  lines.push('| target | measured (medians) | result |', '| --- | --- | --- |');
  const median = (scenario: ThroughputScenario): Spread | undefined => {
    const outcome = results.throughput[scenario];
    return outcome !== undefined && 'runs' in outcome
      ? spread(outcome.runs.map((run) => run.transfersPerSecond))
      : undefined;
  };
  const runsOf = (scenario: ThroughputScenario): ThroughputRun[] => {
    const outcome = results.throughput[scenario];
    return outcome !== undefined && 'runs' in outcome ? outcome.runs : [];
  };
  const medianOf = (
    scenario: ThroughputScenario,
    pick: (run: ThroughputRun) => number | undefined,
  ): number | undefined => spread(numbers(runsOf(scenario).map(pick)))?.median;
  const atMost = (label: string, value: number | undefined, limit: number, unit: string) =>
    value === undefined
      ? `| ${label} | not measured | — |`
      : `| ${label} | ${formatNumber(value, 2)}${unit} | ${verdict(value <= limit)} |`;
  lines.push(
    ratioRow(
      '`transfer`, uniform, 32 clients ≥ 0.5 × the pgbench baseline',
      median('uniform'),
      median('baselineUniform'),
      0.5,
    ),
    ratioRow('`transfer`, hot account ≥ 0.9 × uniform', median('hot'), median('uniform'), 0.9),
    ratioRow(
      '`transferBatch` of 100 ≥ 3 × the pgbench baseline, per transfer',
      median('batch'),
      median('baselineUniform'),
      3,
    ),
    atMost(
      '`transfer`, 1 client, p50 latency ≤ 5 ms',
      medianOf('single', (run) => run.latencyP50Ms),
      5,
      ' ms',
    ),
    atMost(
      '`transfer`, 32 clients, p99 latency ≤ 50 ms',
      medianOf('uniform', (run) => run.latencyP99Ms),
      50,
      ' ms',
    ),
    atMost(
      'statements per single transfer under 32-client load ≤ 0.5',
      results.profile?.statements?.statementsPerTransfer,
      0.5,
      '',
    ),
    atMost(
      'server CPU per single transfer ≤ 0.8 ms',
      medianOf('uniform', (run) => run.serverCpuMsPerTransfer),
      0.8,
      ' ms',
    ),
  );
  const reportQueries = 'queries' in results.reports ? results.reports.queries : [];
  for (const [name, what] of REPORT_TARGETS) {
    const query = reportQueries.find((candidate) => candidate.name === name);
    const label = `${what} ≤ ${TARGET_MS} ms`;
    if (query === undefined || 'notMeasured' in query.outcome) {
      const reason =
        query !== undefined && 'notMeasured' in query.outcome
          ? query.outcome.notMeasured
          : reportsReason(results.reports);
      lines.push(`| ${label} | not measured${reason === '' ? '' : `: ${reason}`} | — |`);
      continue;
    }
    const figure = spread(query.outcome.runs);
    lines.push(
      `| ${label} | ${formatNumber(figure?.median, 1)} ms | ${verdict(figure !== undefined && figure.median <= TARGET_MS)} |`,
    );
  }
  const peak = results.memory.peakUnderLoadBytes;
  lines.push(
    `| server RSS < ${TARGET_RSS_MB} MB | ${peak === undefined ? 'not measured' : `${formatMegabytes(peak)} MB at peak under load`} | ${
      peak === undefined ? '—' : verdict(peak / 1024 ** 2 < TARGET_RSS_MB)
    } |`,
    '',
  );

  const floors = (['floorAnonymous', 'floorAuthenticated'] as const).flatMap((scenario) => {
    const outcome = results.throughput[scenario];
    return outcome !== undefined && 'runs' in outcome ? [{ scenario, runs: outcome.runs }] : [];
  });
  if (floors.length > 0) {
    lines.push('## What a request costs before any ledger work', '');
    lines.push(
      `The public \`serverInfo\` query reads nothing from the database; at the same concurrency it shows the ceiling that HTTP, GraphQL and authentication alone put on any operation (runs of ${Math.max(1, Math.round(settings.runSeconds / 2))} s).`,
      '',
      '| request | requests/s | p50 latency (ms) | p99 latency (ms) | server CPU ms per request |',
      '| --- | --- | --- | --- | --- |',
    );
    for (const { scenario, runs } of floors) {
      lines.push(
        `| ${SCENARIO_LABELS[scenario]} | ${formatSpread(spread(runs.map((run) => run.transfersPerSecond)), 0)} | ${formatSpread(spread(numbers(runs.map((run) => run.latencyP50Ms))), 1)} | ${formatSpread(spread(numbers(runs.map((run) => run.latencyP99Ms))), 1)} | ${formatNumber(spread(numbers(runs.map((run) => run.serverCpuMsPerTransfer)))?.median, 2)} |`,
      );
    }
    lines.push('');
  }

  lines.push(`## Reports`, '');
  if ('notMeasured' in results.reports) {
    lines.push(`Not measured: ${results.reports.notMeasured}.`, '');
  } else {
    lines.push(
      `One member account with ${formatInteger(settings.reportEntries)} entries (its transfers alternate with one other member), and ${formatInteger(settings.reportAccounts)} more accounts with one entry each, in a second currency of the same community${
        results.reportSeedSeconds === undefined
          ? ''
          : `, seeded with SQL in ${Math.round(results.reportSeedSeconds)} s`
      }. Each query was sent over HTTP as the steward, 10 times to warm up (the server compiles its code on the first requests of each kind) and then 15 times (3 when slower than 0.5 s). "Server CPU" is the Mutua server's CPU time per request over the timed runs; "database" is the execution time of all the statements of one request together, from the EXPLAIN ANALYZE plans (auto_explain) saved in the linked file.`,
      '',
    );
    lines.push(
      '| query | ms over HTTP (min / median / max) | server CPU ms | database ms (statements) | answer | plans |',
      '| --- | --- | --- | --- | --- | --- |',
    );
    for (const query of results.reports.queries) {
      if ('notMeasured' in query.outcome) {
        lines.push(`| ${query.description} | not measured: ${query.outcome.notMeasured} | | | | |`);
        continue;
      }
      lines.push(
        `| ${query.description} | ${formatSpread(spread(query.outcome.runs), 1)} | ${formatNumber(query.serverCpuMs, 1)} | ${formatNumber(query.databaseMs, 1)} (${query.statements ?? '—'}) | ${
          query.responseBytes === undefined ? '' : `${formatInteger(query.responseBytes)} bytes`
        } | ${query.planFile === undefined ? '' : `[${query.planFile}](${query.planFile})`} |`,
      );
    }
    lines.push('');
  }

  lines.push(...renderNotifications(results.notifications));

  lines.push('## Memory of the server', '');
  lines.push('| | MB |', '| --- | --- |');
  const memoryRows: Array<[string, number | undefined]> = [
    ['at rest, after start-up and seeding', results.memory.restBytes],
    ['peak during the warm-up (batches on a cold server)', results.memory.peakDuringWarmUpBytes],
    [
      'peak during the measured runs (VmRSS sampled every 200 ms)',
      results.memory.peakUnderLoadBytes,
    ],
    ['peak during the reports', results.memory.peakDuringReportsBytes],
    ['peak over the whole run (VmHWM)', results.memory.lifetimePeakBytes],
  ];
  for (const [label, bytes] of memoryRows) {
    if (bytes !== undefined) lines.push(`| ${label} | ${formatMegabytes(bytes)} |`);
  }
  lines.push('');

  lines.push('## Where the time goes', '');
  lines.push(
    `CPU milliseconds per transfer, from /proc (medians over the runs), and how busy the machine was. "PostgreSQL" is the postmaster and all its backends; "load generator" is pgbench for the baseline rows and the benchmark's own HTTP client for the Mutua rows. The machine has ${results.machine.cores} cores, that is ${formatInteger(results.machine.cores * 1000)} ms of CPU per second; a Node.js server runs its JavaScript on one of them.`,
    '',
  );
  lines.push(
    '| scenario | Mutua server | PostgreSQL | load generator | machine busy |',
    '| --- | --- | --- | --- | --- |',
  );
  for (const scenario of SCENARIO_ORDER) {
    const outcome = results.throughput[scenario];
    if (outcome === undefined || !('runs' in outcome)) continue;
    const cpu = (pick: (run: ThroughputRun) => number | undefined): string =>
      formatNumber(spread(numbers(outcome.runs.map(pick)))?.median, 2);
    lines.push(
      `| ${SCENARIO_LABELS[scenario]} | ${cpu((run) => run.serverCpuMsPerTransfer)} | ${cpu(
        (run) => run.postgresCpuMsPerTransfer,
      )} | ${cpu((run) => run.loadCpuMsPerTransfer)} | ${formatNumber(
        spread(outcome.runs.map((run) => run.machineBusyPercent))?.median,
        0,
      )} % |`,
    );
  }
  lines.push('');
  const statements = results.profile?.statements;
  if (statements !== undefined) {
    lines.push(...renderStatements('the last uniform `transfer` run', statements));
  }
  const baselineStatements = results.profile?.baselineStatements;
  if (baselineStatements !== undefined) {
    lines.push(...renderStatements('one pgbench baseline run, for comparison', baselineStatements));
  }
  const batchStatements = results.profile?.batchStatements;
  if (batchStatements !== undefined) {
    lines.push(...renderStatements('one `transferBatch` run', batchStatements));
  }
  const connections = results.profile?.connections;
  if (connections !== undefined) lines.push(...renderConnections(connections, settings.poolSize));

  if (results.notes.length > 0) {
    lines.push('## Notes', '', ...results.notes.map((note) => `- ${note}`), '');
  }
  if (history !== undefined && history.trim() !== '') {
    lines.push(
      '## Before and after',
      '',
      'Unlike everything above, these figures come from earlier runs, side by side in the same minutes, recorded by hand in [HISTORY.md](HISTORY.md) (copied here by `npm run bench`) when a change to the product was measured.',
      '',
      history.replace(/^# .*\n+/, '').trim(),
      '',
    );
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

function renderStatements(what: string, profile: StatementProfile): string[] {
  const lines = [
    `Statements sent to PostgreSQL during ${what} (pg_stat_statements, top-level statements, i.e. round trips): ${formatNumber(profile.statementsPerTransfer, 2)} per transfer, in ${formatNumber(profile.transactionsPerTransfer, 2)} committed transactions per transfer.`,
    '',
    '| calls per transfer | mean ms | statement |',
    '| --- | --- | --- |',
  ];
  for (const row of profile.top) {
    // A long select list says little; the tables and conditions say what a statement does.
    const short = row.query.replace(/^SELECT (.{60,}?) FROM /, 'SELECT … FROM ');
    const text = short.length > 200 ? `${short.slice(0, 197)}...` : short;
    lines.push(
      `| ${formatNumber(row.callsPerTransfer, 3)} | ${formatNumber(row.meanMs, 3)} | \`${text.replace(/\|/g, '\\|').replace(/`/g, "'")}\` |`,
    );
  }
  lines.push('');
  return lines;
}

function renderConnections(tally: ConnectionTally, poolSize: number): string[] {
  const total = Object.values(tally.states).reduce((sum, count) => sum + count, 0);
  const lines = [
    `What the server's ${poolSize} database connections were doing during the last uniform \`transfer\` run (pg_stat_activity sampled ${formatInteger(tally.samples)} times; at most ${tally.maxBusy} were busy at once):`,
    '',
    '| state | share of connection-samples |',
    '| --- | --- |',
  ];
  for (const [state, count] of Object.entries(tally.states).sort((a, b) => b[1] - a[1])) {
    lines.push(`| ${state} | ${formatNumber((100 * count) / Math.max(total, 1), 1)} % |`);
  }
  lines.push('');
  return lines;
}

function reportsReason(reports: ReportsOutcome): string {
  return 'notMeasured' in reports ? reports.notMeasured : '';
}

function ratioRow(
  label: string,
  numerator: Spread | undefined,
  denominator: Spread | undefined,
  target: number,
): string {
  const ratio = ratioOfMedians(numerator, denominator);
  if (ratio === undefined || numerator === undefined || denominator === undefined) {
    return `| ${label} | not measured | — |`;
  }
  return `| ${label} | ${formatNumber(ratio, 2)} × (${formatInteger(numerator.median)} / ${formatInteger(denominator.median)} transfers/s) | ${verdict(ratio >= target)} |`;
}

function verdict(met: boolean): string {
  return met ? 'met' : '**missed**';
}

function formatFailures(runs: ThroughputRun[]): string {
  const failed = runs.reduce((sum, run) => sum + run.failedRequests, 0);
  const requests = runs.reduce((sum, run) => sum + run.requests, 0);
  return requests === 0 ? `${failed}` : `${formatInteger(failed)} of ${formatInteger(requests)}`;
}

function numbers(values: Array<number | undefined>): number[] {
  return values.filter((value): value is number => value !== undefined && Number.isFinite(value));
}

function formatSpread(figure: Spread | undefined, digits: number): string {
  if (figure === undefined) return '—';
  return `${formatNumber(figure.min, digits)} / **${formatNumber(figure.median, digits)}** / ${formatNumber(figure.max, digits)}`;
}

function formatNumber(value: number | undefined, digits: number): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  return value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

function formatInteger(value: number): string {
  return formatNumber(value, 0);
}

function formatMegabytes(bytes: number | undefined): string {
  return bytes === undefined ? '—' : formatNumber(bytes / 1024 ** 2, 0);
}

function formatDate(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
