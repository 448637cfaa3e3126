/**
 * `npm run bench:adapter`: what the HTTP framework under Apollo Server costs,
 * Express (what Mutua runs) against Fastify, for the same GraphQL operations.
 *
 * It starts two servers of the same small code-first schema without a
 * database (scenarios/http-adapter-server.ts), one on Nest's Express
 * platform and one on its Fastify platform, each in its own process, and
 * drives them with the closed-loop load generator of `npm run bench`
 * (lib/load.ts): `{ ping }`, which returns a constant, and `benchAccount`,
 * which takes three variables and answers an account of about twenty fields
 * with nested objects, so that parsing, validation and serialisation count.
 * After an unmeasured warm-up of every server and operation, the two
 * frameworks take turns within each round (the first of the pair changes
 * every round), so that drift on a shared machine affects both. Server CPU
 * is read from /proc for the server's process alone.
 *
 * It prints a line per step on stderr and the results as Markdown on
 * stdout, and writes them to bench/results/http-adapter.md (git-ignored).
 * They go into bench/HISTORY.md by hand, when they matter.
 *
 * Options: --seconds=N (each measured run, default 8), --warmup=N (before
 * each run, default 1), --first-warmup=N (each server and operation before
 * the rounds, default 3), --rounds=N (default 3), --concurrency=N (default
 * 32), --out=FILE.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { GraphQLClient, GraphQLResponse } from './lib/graphql';
import { firstError, LoadRequest, runLoad } from './lib/load';
import { readCpuMs, readMachineCpu } from './lib/proc';
import { progress, sleep } from './lib/progress';
import { ratioOfMedians, Spread, spread } from './lib/stats';
import type { HttpFramework } from './scenarios/http-adapter-server';

const ROOT = join(__dirname, '..');
const FRAMEWORKS: readonly HttpFramework[] = ['express', 'fastify'];
const FRAMEWORK_LABELS: Record<HttpFramework, string> = {
  express: 'Express (`@nestjs/platform-express`, `@as-integrations/express5`)',
  fastify: 'Fastify (`@nestjs/platform-fastify`, `@as-integrations/fastify`)',
};
/** The packages whose versions decide the figures. */
const PACKAGES = [
  '@apollo/server',
  '@nestjs/core',
  '@nestjs/graphql',
  '@nestjs/platform-express',
  'express',
  '@as-integrations/express5',
  '@nestjs/platform-fastify',
  'fastify',
  '@as-integrations/fastify',
  'graphql',
];

interface Options {
  seconds: number;
  warmupSeconds: number;
  firstWarmupSeconds: number;
  rounds: number;
  concurrency: number;
  out: string;
}

interface Operation {
  name: string;
  label: string;
  body: string;
  check: (response: GraphQLResponse<unknown>) => string | undefined;
}

const PING_QUERY = '{ ping }';
const ACCOUNT_QUERY = `query BenchAccount($id: ID!, $currencyCode: String!, $recentEntries: Int!) {
  benchAccount(id: $id, currencyCode: $currencyCode, recentEntries: $recentEntries) {
    id name kind status balance floor ceiling createdAt updatedAt
    currency { code name scale }
    owner { id displayName role }
    recentEntries { id amount memo postedAt }
  }
}`;
const RECENT_ENTRIES = 3;

const OPERATIONS: Operation[] = [
  {
    name: 'ping',
    label: '`{ ping }`: a constant',
    body: JSON.stringify({ query: PING_QUERY }),
    check: (response) =>
      firstError(response) ??
      ((response.data as { ping?: unknown } | null | undefined)?.ping === 'pong'
        ? undefined
        : 'ping did not answer pong'),
  },
  {
    name: 'account',
    label: `\`benchAccount\`: 3 variables in, 19 fields out (3 nested objects, ${RECENT_ENTRIES} entries)`,
    body: JSON.stringify({
      query: ACCOUNT_QUERY,
      variables: { id: 'a1b2c3', currencyCode: 'HOUR', recentEntries: RECENT_ENTRIES },
    }),
    check: (response) => {
      const error = firstError(response);
      if (error !== undefined) return error;
      const account = (
        response.data as {
          benchAccount?: { id?: unknown; currency?: { code?: unknown }; recentEntries?: unknown[] };
        } | null
      )?.benchAccount;
      return account?.id === 'a1b2c3' &&
        account.currency?.code === 'HOUR' &&
        account.recentEntries?.length === RECENT_ENTRIES
        ? undefined
        : 'benchAccount did not answer the account asked for';
    },
  },
];

interface Run {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  serverCpuMsPerRequest: number;
  machineBusy: number;
  failed: number;
}

interface BenchServer {
  framework: HttpFramework;
  child: ChildProcess;
  pid: number;
  client: GraphQLClient;
  stop: () => Promise<void>;
}

function parseOptions(argv: readonly string[]): Options {
  const value = (name: string): string | undefined =>
    argv.find((argument) => argument.startsWith(`--${name}=`))?.slice(name.length + 3);
  const positive = (name: string, fallback: number): number => {
    const text = value(name);
    if (text === undefined) return fallback;
    const parsed = Number(text);
    if (!Number.isFinite(parsed) || parsed <= 0) {
      throw new Error(`--${name} must be a positive number, not ${text}`);
    }
    return parsed;
  };
  return {
    seconds: positive('seconds', 8),
    warmupSeconds: positive('warmup', 1),
    firstWarmupSeconds: positive('first-warmup', 3),
    rounds: Math.round(positive('rounds', 3)),
    concurrency: Math.round(positive('concurrency', 32)),
    out: resolve(value('out') ?? join(ROOT, 'bench', 'results', 'http-adapter.md')),
  };
}

/** Starts one framework's server in a child process and waits for its port. */
async function startBenchServer(
  framework: HttpFramework,
  concurrency: number,
): Promise<BenchServer> {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register', __filename, `--serve=${framework}`],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    errors = (errors + chunk.toString()).slice(-10_000);
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const port = await new Promise<number>((done, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`the ${framework} server did not start within 120 s:\n${errors}`)),
      120_000,
    );
    void exited.then(() => {
      clearTimeout(timer);
      fail(new Error(`the ${framework} server exited while starting:\n${errors}`));
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /^listening (\d+)$/.exec(line);
      if (match === null) return;
      clearTimeout(timer);
      done(Number(match[1]));
    });
  });
  if (child.pid === undefined) throw new Error(`the ${framework} server has no process id`);
  const client = new GraphQLClient(port, undefined, concurrency);
  const stop = async (): Promise<void> => {
    client.close();
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const stopped = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
    if (!stopped) {
      child.kill('SIGKILL');
      await exited;
    }
  };
  return { framework, child, pid: child.pid, client, stop };
}

/** Both frameworks must give the same answer, byte for byte, or the comparison is void. */
async function checkSameAnswers(servers: readonly BenchServer[]): Promise<void> {
  for (const operation of OPERATIONS) {
    const answers = await Promise.all(
      servers.map(async (server) => ({ server, ...(await server.client.post(operation.body)) })),
    );
    for (const { server, status, text } of answers) {
      const problem =
        status === 200
          ? operation.check(JSON.parse(text) as GraphQLResponse<unknown>)
          : `HTTP ${status}: ${text.slice(0, 300)}`;
      if (problem !== undefined) {
        throw new Error(`${server.framework} answered ${operation.name} wrongly: ${problem}`);
      }
    }
    if (new Set(answers.map((answer) => answer.text)).size !== 1) {
      throw new Error(
        `the frameworks answered ${operation.name} differently:\n` +
          answers.map((answer) => `${answer.server.framework}: ${answer.text}`).join('\n'),
      );
    }
  }
}

async function measure(
  server: BenchServer,
  operation: Operation,
  warmupMs: number,
  durationMs: number,
  concurrency: number,
): Promise<Run> {
  let cpuAtStart = 0;
  let cpuAtEnd = 0;
  let machineAtStart = readMachineCpu();
  let machineAtEnd = machineAtStart;
  const request: LoadRequest = { body: operation.body, operations: 1 };
  const result = await runLoad({
    client: server.client,
    concurrency,
    warmupMs,
    durationMs,
    nextRequest: () => request,
    check: operation.check,
    onWindowStart: () => {
      cpuAtStart = readCpuMs(server.pid);
      machineAtStart = readMachineCpu();
    },
    onWindowEnd: () => {
      cpuAtEnd = readCpuMs(server.pid);
      machineAtEnd = readMachineCpu();
    },
  });
  if (result.failedRequests > 0) {
    const problems = result.problems.map((p) => `${p.count} × ${p.problem}`).join('; ');
    throw new Error(
      `${server.framework} failed ${result.failedRequests} ${operation.name} requests: ${problems}`,
    );
  }
  const machineTicks = machineAtEnd.total - machineAtStart.total;
  return {
    requestsPerSecond: result.operationsPerSecond,
    p50Ms: result.latencyP50Ms,
    p99Ms: result.latencyP99Ms,
    serverCpuMsPerRequest: result.requests === 0 ? NaN : (cpuAtEnd - cpuAtStart) / result.requests,
    machineBusy:
      machineTicks === 0 ? NaN : (machineAtEnd.busy - machineAtStart.busy) / machineTicks,
    failed: result.failedRequests,
  };
}

function packageVersion(name: string): string {
  try {
    const manifest = JSON.parse(
      readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8'),
    ) as { version?: string };
    return manifest.version ?? 'unknown';
  } catch {
    return 'not installed';
  }
}

function formatNumber(value: number | undefined, digits: number): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  return value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

function formatSpread(figure: Spread | undefined, digits: number): string {
  if (figure === undefined) return '—';
  return `${formatNumber(figure.min, digits)} / **${formatNumber(figure.median, digits)}** / ${formatNumber(figure.max, digits)}`;
}

interface Report {
  startedAt: Date;
  durationSeconds: number;
  loadAverage: { start: number; end: number };
  options: Options;
  runs: Map<string, Run[]>;
}

const keyOf = (operation: Operation, framework: HttpFramework): string =>
  `${operation.name}/${framework}`;

function render(report: Report): string {
  const { options } = report;
  const lines: string[] = [];
  lines.push(
    '# HTTP framework: Express or Fastify',
    '',
    `Written by \`npm run bench:adapter\` (bench/http-adapter.ts) on ${report.startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC, in ${Math.round(report.durationSeconds)} s, on ${cpus().length} cores; load average (1 min) ${formatNumber(report.loadAverage.start, 1)} at the start, ${formatNumber(report.loadAverage.end, 1)} at the end. Node.js ${process.version}.`,
    '',
    `The same code-first schema, resolvers and Apollo options on both, no database; ${options.concurrency} closed-loop clients on keep-alive connections; ${options.rounds} rounds of ${options.seconds} s runs (after ${options.warmupSeconds} s unmeasured), the frameworks taking turns in each round. Figures are minimum / **median** / maximum over the rounds; server CPU is the server process's own, per request.`,
    '',
  );
  const spreadOf = (operation: Operation, framework: HttpFramework, pick: (run: Run) => number) =>
    spread((report.runs.get(keyOf(operation, framework)) ?? []).map(pick));
  for (const operation of OPERATIONS) {
    lines.push(
      `**${operation.label}**`,
      '',
      '| framework | requests/s | p50 ms | p99 ms | server CPU ms per request | machine busy |',
      '| --- | --- | --- | --- | --- | --- |',
    );
    for (const framework of FRAMEWORKS) {
      lines.push(
        `| ${FRAMEWORK_LABELS[framework]} | ${formatSpread(
          spreadOf(operation, framework, (run) => run.requestsPerSecond),
          0,
        )} | ${formatSpread(
          spreadOf(operation, framework, (run) => run.p50Ms),
          1,
        )} | ${formatSpread(
          spreadOf(operation, framework, (run) => run.p99Ms),
          1,
        )} | ${formatSpread(
          spreadOf(operation, framework, (run) => run.serverCpuMsPerRequest),
          3,
        )} | ${formatSpread(
          spreadOf(operation, framework, (run) => run.machineBusy * 100),
          0,
        )} % |`,
      );
    }
    const ratio = (pick: (run: Run) => number): string =>
      formatNumber(
        ratioOfMedians(spreadOf(operation, 'fastify', pick), spreadOf(operation, 'express', pick)),
        2,
      );
    lines.push(
      `| Fastify / Express, medians | ${ratio((run) => run.requestsPerSecond)} | ${ratio((run) => run.p50Ms)} | ${ratio((run) => run.p99Ms)} | ${ratio((run) => run.serverCpuMsPerRequest)} | |`,
      '',
    );
    const express = spreadOf(operation, 'express', (run) => run.serverCpuMsPerRequest);
    const fastify = spreadOf(operation, 'fastify', (run) => run.serverCpuMsPerRequest);
    if (express !== undefined && fastify !== undefined) {
      lines.push(
        `Server CPU saved by Fastify per request (medians): ${formatNumber(express.median - fastify.median, 3)} ms.`,
        '',
      );
    }
  }
  lines.push(
    'Packages: ' + PACKAGES.map((name) => `\`${name}\` ${packageVersion(name)}`).join(', ') + '.',
    '',
  );
  return lines.join('\n');
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const startedAt = new Date();
  const loadAtStart = loadavg()[0];
  progress(
    `HTTP framework benchmark: ${options.rounds} rounds of ${options.seconds} s, ${options.concurrency} clients, load average ${loadAtStart.toFixed(1)}`,
  );
  const servers: BenchServer[] = [];
  const stopAll = async (): Promise<void> => {
    await Promise.all(servers.map((server) => server.stop()));
  };
  const interrupted = (): void => {
    void stopAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    for (const framework of FRAMEWORKS) {
      progress(`starting the ${framework} server`);
      servers.push(await startBenchServer(framework, options.concurrency));
    }
    await checkSameAnswers(servers);
    progress('both servers give the same answers to both operations');

    for (const server of servers) {
      for (const operation of OPERATIONS) {
        progress(
          `warm-up: ${server.framework}, ${operation.name}, ${options.firstWarmupSeconds} s`,
        );
        await measure(server, operation, 0, options.firstWarmupSeconds * 1000, options.concurrency);
      }
    }

    const runs = new Map<string, Run[]>();
    for (let round = 1; round <= options.rounds; round += 1) {
      const order = round % 2 === 1 ? servers : [...servers].reverse();
      for (const operation of OPERATIONS) {
        for (const server of order) {
          const run = await measure(
            server,
            operation,
            options.warmupSeconds * 1000,
            options.seconds * 1000,
            options.concurrency,
          );
          const key = keyOf(operation, server.framework);
          runs.set(key, [...(runs.get(key) ?? []), run]);
          progress(
            `round ${round}/${options.rounds}: ${server.framework.padEnd(7)} ${operation.name.padEnd(7)} ` +
              `${run.requestsPerSecond.toFixed(0)}/s, p50 ${run.p50Ms.toFixed(1)} ms, p99 ${run.p99Ms.toFixed(1)} ms, ` +
              `server CPU ${run.serverCpuMsPerRequest.toFixed(3)} ms/request, machine ${(run.machineBusy * 100).toFixed(0)} % busy`,
          );
        }
      }
    }

    const markdown = render({
      startedAt,
      durationSeconds: (Date.now() - startedAt.getTime()) / 1000,
      loadAverage: { start: loadAtStart, end: loadavg()[0] },
      options,
      runs,
    });
    await mkdir(dirname(options.out), { recursive: true });
    await writeFile(options.out, markdown);
    process.stdout.write(markdown);
    progress(`written to ${relative(process.cwd(), options.out)}`);
  } finally {
    await stopAll();
  }
}

const serveArgument = process.argv.find((argument) => argument.startsWith('--serve='));
if (serveArgument !== undefined) {
  const framework = serveArgument.slice('--serve='.length);
  if (framework !== 'express' && framework !== 'fastify') {
    throw new Error(`--serve must be express or fastify, not ${framework}`);
  }
  void import('./scenarios/http-adapter-server')
    .then(({ serve }) => serve(framework))
    .catch((error: unknown) => {
      process.stderr.write(
        `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(1);
    });
} else {
  main().catch((error: unknown) => {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  });
}
