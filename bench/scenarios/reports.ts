import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BenchCluster } from '../lib/cluster';
import { withClient } from '../lib/database';
import { GraphQLClient, GraphQLResponse } from '../lib/graphql';
import { firstError } from '../lib/load';
import { progress, sleep } from '../lib/progress';
import { ReportQuery, ReportsOutcome as Outcome } from '../lib/results';
import { MutuaServer } from '../lib/server';
import { spread } from '../lib/stats';
import { readCpuMs } from '../lib/proc';
import { Community } from './community';
import { hasOperation } from './operations';
import { REPORT_CURRENCY, ReportData, seedReportData } from './report-seed';

/**
 * The report benchmark: statement pages, balance as of an instant and trial
 * balances over the data of report-seed.ts, timed over HTTP as the steward,
 * with the EXPLAIN ANALYZE plan of every statement each query sends saved
 * to bench/plans/.
 *
 * The plans come from PostgreSQL's auto_explain, switched on only while each
 * query runs once more after its timed runs, so they are the plans of the
 * SQL Mutua really sends, with real row counts and timings, and the timed
 * runs are not slowed by them.
 */

const WARM_UP_REQUESTS = 10;
const TIMED_RUNS = 15;
/** A query slower than this is timed three times only. */
const SLOW_QUERY_MS = 500;

/** The trial balance's largest page (the API's page limit). */
const TRIAL_BALANCE_PAGE = 100;

/** What a statement screen shows for each entry. */
const ENTRY_FIELDS = `edges { cursor node { id sequence postedAt amount balanceAfter kind memo counterparty { id name } } }
  pageInfo { hasNextPage endCursor }`;

interface QuerySpec {
  name: string;
  description: string;
  /** The top-level field the query needs. */
  field: string;
  query: string;
  variables: Record<string, unknown>;
  /** Why the query cannot be sent, when it cannot. */
  unavailable?: string;
}

export interface ReportsOutcome {
  outcome: Outcome;
  seedSeconds?: number;
  notes: string[];
}

export async function runReports(options: {
  server: MutuaServer;
  community: Community;
  databaseUrl: string;
  cluster: BenchCluster;
  entries: number;
  accounts: number;
  members: number;
  plansDir: string;
}): Promise<ReportsOutcome> {
  const steward = new GraphQLClient(options.server.port, options.community.stewardToken);
  try {
    const available = new Map<string, boolean>();
    for (const field of ['accountStatement', 'balanceAsOf', 'trialBalance']) {
      available.set(field, await hasOperation(steward, 'Query', field));
    }
    const missing = [...available].filter(([, present]) => !present).map(([field]) => field);
    if (missing.length === available.size) {
      return {
        outcome: { notMeasured: `${missing.join(', ')} not available` },
        notes: [],
      };
    }

    progress(
      `seeding the report data: one account with ${options.entries} entries, ${options.accounts} more accounts`,
    );
    const seedStarted = Date.now();
    const data = await withClient(options.databaseUrl, (client) =>
      seedReportData({
        steward,
        client,
        community: options.community,
        entries: options.entries,
        accounts: options.accounts,
        members: options.members,
      }),
    );
    const seedSeconds = (Date.now() - seedStarted) / 1000;
    progress(`  seeded in ${Math.round(seedSeconds)} s`);

    const notes: string[] = [];
    const specs = await querySpecs(steward, data, notes);
    const measured: ReportQuery[] = [];
    await mkdir(options.plansDir, { recursive: true });
    for (const spec of specs) {
      const unavailable =
        available.get(spec.field) === true ? spec.unavailable : `${spec.field} not available`;
      if (unavailable !== undefined) {
        measured.push({
          name: spec.name,
          description: spec.description,
          operation: spec.query,
          outcome: { notMeasured: unavailable },
        });
        continue;
      }
      progress(`report: ${spec.description}`);
      measured.push(await measureQuery(steward, spec, options));
    }
    return { outcome: { queries: measured }, seedSeconds, notes };
  } finally {
    steward.close();
  }
}

/**
 * The queries. The deep page continues from a cursor in the middle of the
 * history: the cursor of the first page is decoded and its position moved
 * to the middle entry, which is what a client gets after paging that far.
 */
async function querySpecs(
  steward: GraphQLClient,
  data: ReportData,
  notes: string[],
): Promise<QuerySpec[]> {
  const middleSequence = Math.floor(data.entries / 2);
  const middle = data.postedAt(middleSequence);
  // Half a second after the middle entry, so that "as of" falls between two entries.
  const middleInstant = new Date(middle.getTime() + 500).toISOString();
  // A page with the balances around it; the totals are asked for apart,
  // because they sum every entry of the period (here the whole history).
  const statementQuery = `query Statement($accountId: ID!, $first: Int, $after: String) {
    accountStatement(accountId: $accountId, first: $first, after: $after) {
      openingBalance closingBalance entries { ${ENTRY_FIELDS} }
    }
  }`;
  const totalsQuery = `query StatementWithTotals($accountId: ID!, $first: Int) {
    accountStatement(accountId: $accountId, first: $first) {
      openingBalance closingBalance totalIn totalOut entryCount entries { ${ENTRY_FIELDS} }
    }
  }`;
  // The trial balance lists its accounts a page at a time; its total and
  // count are summed over every account, which is what these time.
  const trialBalanceQuery = `query TrialBalance($currencyCode: String!, $at: DateTime, $first: Int) {
    trialBalance(currencyCode: $currencyCode, at: $at, first: $first) {
      total balanced accountCount
      accounts { edges { node { account { id name } balance } } pageInfo { hasNextPage endCursor } }
    }
  }`;
  const deepCursor = await middleCursor(steward, statementQuery, data, middleSequence, notes);
  const accounts = data.totalAccounts.toLocaleString('en-US');
  const specs: QuerySpec[] = [
    {
      name: 'statement-first-page',
      description: 'statement, first page of 25 with opening and closing balance',
      field: 'accountStatement',
      query: statementQuery,
      variables: { accountId: data.statementAccountId, first: 25 },
    },
    {
      name: 'statement-deep-page',
      description: `statement, page of 25 after entry ${middleSequence.toLocaleString('en-US')}`,
      field: 'accountStatement',
      query: statementQuery,
      variables: { accountId: data.statementAccountId, first: 25, after: deepCursor },
    },
    {
      name: 'statement-with-totals',
      description: `statement, first page of 25 with totals of all ${data.entries.toLocaleString('en-US')} entries`,
      field: 'accountStatement',
      query: totalsQuery,
      variables: { accountId: data.statementAccountId, first: 25 },
    },
    {
      name: 'balance-as-of',
      description: `balanceAsOf in the middle of ${data.entries.toLocaleString('en-US')} entries`,
      field: 'balanceAsOf',
      query: `query BalanceAsOf($accountId: ID!, $at: DateTime!) { balanceAsOf(accountId: $accountId, at: $at) }`,
      variables: { accountId: data.statementAccountId, at: middleInstant },
    },
    {
      name: 'trial-balance',
      description: `trialBalance now, ${accounts} accounts: total, count and the first page of ${TRIAL_BALANCE_PAGE}`,
      field: 'trialBalance',
      query: trialBalanceQuery,
      variables: { currencyCode: REPORT_CURRENCY, first: TRIAL_BALANCE_PAGE },
    },
    {
      name: 'trial-balance-as-of',
      description: `trialBalance as of the middle, ${accounts} accounts: total, count and the first page of ${TRIAL_BALANCE_PAGE}`,
      field: 'trialBalance',
      query: trialBalanceQuery,
      variables: { currencyCode: REPORT_CURRENCY, at: middleInstant, first: TRIAL_BALANCE_PAGE },
    },
  ];
  if (deepCursor === undefined) {
    specs[1].unavailable = 'no cursor into the middle of the history could be made';
  }
  return specs;
}

interface StatementPage {
  accountStatement?: {
    entries?: {
      edges?: Array<{ cursor: string; node: { sequence: number; postedAt: string; id: string } }>;
      pageInfo?: { endCursor: string | null };
    };
  };
}

/**
 * A cursor pointing at the middle entry, made from a real one: the cursor is
 * base64url JSON of the last entry's sort key, and each part of that key
 * that equals the entry's sequence, instant or id is replaced by the middle
 * entry's. Undefined when the cursor does not have that shape.
 */
async function middleCursor(
  steward: GraphQLClient,
  statementQuery: string,
  data: ReportData,
  middleSequence: number,
  notes: string[],
): Promise<string | undefined> {
  let page: GraphQLResponse<StatementPage>;
  try {
    page = await steward.executeRaw<StatementPage>(statementQuery, {
      accountId: data.statementAccountId,
      first: 1,
    });
  } catch {
    return undefined;
  }
  const edge = page.data?.accountStatement?.entries?.edges?.[0];
  if (edge === undefined) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(edge.cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  if (!Array.isArray(key)) {
    notes.push('The statement cursor is not a JSON key, so the deep page could not be reached.');
    return undefined;
  }
  const middleInstant = data.postedAt(middleSequence);
  const lastInstant = new Date(edge.node.postedAt);
  let replaced = 0;
  const moved = key.map((part: unknown) => {
    if (typeof part === 'number' && part === edge.node.sequence) {
      replaced += 1;
      return middleSequence;
    }
    if (typeof part === 'string' && part === String(edge.node.sequence)) {
      replaced += 1;
      return String(middleSequence);
    }
    if (typeof part === 'string' && !Number.isNaN(Date.parse(part)) && part.includes('T')) {
      if (new Date(part).getTime() === lastInstant.getTime()) {
        replaced += 1;
        return middleInstant.toISOString();
      }
    }
    if (typeof part === 'string' && part === edge.node.id) {
      replaced += 1;
      return edge.node.id.replace(/\d+$/, String(middleSequence));
    }
    return part;
  });
  if (replaced === 0) {
    notes.push(
      `The statement cursor ${JSON.stringify(key)} holds no sequence, instant or id of its entry, so the deep page could not be reached.`,
    );
    return undefined;
  }
  return Buffer.from(JSON.stringify(moved)).toString('base64url');
}

async function measureQuery(
  steward: GraphQLClient,
  spec: QuerySpec,
  options: { cluster: BenchCluster; databaseUrl: string; plansDir: string; server: MutuaServer },
): Promise<ReportQuery> {
  const body = JSON.stringify({ query: spec.query, variables: spec.variables });
  const send = async (): Promise<{ ms: number; bytes: number; problem?: string }> => {
    const started = performance.now();
    const { status, text } = await steward.post(body);
    const ms = performance.now() - started;
    if (status !== 200)
      return { ms, bytes: text.length, problem: `HTTP ${status}: ${text.slice(0, 300)}` };
    const problem = firstError(JSON.parse(text) as GraphQLResponse<unknown>);
    return { ms, bytes: Buffer.byteLength(text), problem };
  };

  // A few untimed requests first, so that the code path is compiled and the
  // pages are in memory.
  let warm = await send();
  for (let run = 1; run < WARM_UP_REQUESTS && warm.problem === undefined; run += 1) {
    warm = await send();
  }
  const base = { name: spec.name, description: spec.description, operation: spec.query };
  if (warm.problem !== undefined) {
    return { ...base, outcome: { notMeasured: `the server answered ${warm.problem}` } };
  }
  const timings: number[] = [];
  const runs = warm.ms > SLOW_QUERY_MS ? 3 : TIMED_RUNS;
  const cpuBefore = readCpuMs(options.server.pid);
  for (let run = 0; run < runs; run += 1) {
    const result = await send();
    if (result.problem !== undefined) {
      return { ...base, outcome: { notMeasured: `the server answered ${result.problem}` } };
    }
    timings.push(result.ms);
  }
  const serverCpuMs = (readCpuMs(options.server.pid) - cpuBefore) / runs;

  const plans = await capturePlans(options, send);
  const planFile = join('plans', `${spec.name}.txt`);
  await writeFile(
    join(options.plansDir, `${spec.name}.txt`),
    [
      `${spec.description}`,
      '',
      'GraphQL operation:',
      '',
      indent(spec.query.trim()),
      '',
      `Variables: ${JSON.stringify(spec.variables)}`,
      '',
      `Every statement the server ran for one request, with its EXPLAIN ANALYZE plan (auto_explain, buffers on):`,
      '',
      ...plans.texts,
      '',
    ].join('\n'),
  );
  progress(
    `  median ${(spread(timings)?.median ?? Number.NaN).toFixed(1)} ms over HTTP, ${serverCpuMs.toFixed(1)} ms of server CPU, ${plans.texts.length} statements taking ${plans.totalMs.toFixed(1)} ms in the database`,
  );
  return {
    ...base,
    outcome: { runs: timings },
    planFile,
    databaseMs: plans.totalMs,
    statements: plans.texts.length,
    serverCpuMs,
    responseBytes: warm.bytes,
  };
}

/**
 * Runs one request with auto_explain logging every statement's plan, then
 * reads those plans back from the server log.
 */
async function capturePlans(
  options: { cluster: BenchCluster; databaseUrl: string },
  send: () => Promise<unknown>,
): Promise<{ texts: string[]; totalMs: number }> {
  const settings: Array<[string, string]> = [
    ['auto_explain.log_min_duration', '0'],
    ['auto_explain.log_analyze', 'on'],
    ['auto_explain.log_buffers', 'on'],
    ['auto_explain.log_nested_statements', 'on'],
  ];
  await withClient(options.databaseUrl, async (client) => {
    for (const [name, value] of settings)
      await client.query(`ALTER SYSTEM SET ${name} = '${value}'`);
    await client.query('SELECT pg_reload_conf()');
  });
  // Backends apply a reload between statements; give them a moment.
  await sleep(500);
  const offset = statSync(options.cluster.logFile).size;
  try {
    await send();
  } finally {
    await withClient(options.databaseUrl, async (client) => {
      for (const [name] of settings) await client.query(`ALTER SYSTEM RESET ${name}`);
      await client.query('SELECT pg_reload_conf()');
    });
  }
  await sleep(300);
  const log = readFrom(options.cluster.logFile, offset);
  const blocks = log
    .split(/\n(?=\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})/)
    .filter(
      (block) =>
        block.includes('plan:') &&
        !block.includes('pg_reload_conf') &&
        !block.includes('ALTER SYSTEM'),
    );
  let totalMs = 0;
  const texts = blocks.map((block) => {
    const duration = /duration: ([\d.]+) ms/.exec(block);
    if (duration !== null) totalMs += Number(duration[1]);
    return block.replace(/^\S+ \S+ \S+ \[\d+\] LOG:\s+/, '').trimEnd();
  });
  return { texts, totalMs };
}

function readFrom(file: string, offset: number): string {
  const size = statSync(file).size;
  if (size <= offset) return '';
  const buffer = Buffer.alloc(size - offset);
  const descriptor = openSync(file, 'r');
  try {
    readSync(descriptor, buffer, 0, buffer.length, offset);
  } finally {
    closeSync(descriptor);
  }
  return buffer.toString('utf8');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line.trim()}`)
    .join('\n');
}
