import { Client } from 'pg';

/**
 * Direct SQL access for what the API cannot do quickly: bulk seeding, resets
 * between runs and PostgreSQL's own statistics. Only the benchmark's
 * throwaway database is ever touched.
 */

export async function withClient<Result>(
  url: string,
  work: (client: Client) => Promise<Result>,
): Promise<Result> {
  const client = new Client({ connectionString: url, application_name: 'mutua-bench' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Copies one template row `count` times, with some columns replaced by SQL
 * expressions of `i` (1 to count) and `t` (the template row). Columns not
 * named keep the template's value, so rows made this way stay valid when a
 * migration adds a column with a default or a copyable value.
 */
export async function cloneRows(
  client: Client,
  options: {
    table: string;
    /** A condition on `t` that selects exactly the template row. */
    template: string;
    templateParams: unknown[];
    overrides: Record<string, string>;
    count: number;
  },
): Promise<number> {
  const columns = await client.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns
     WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`,
    [options.table],
  );
  const names = columns.rows.map((row) => row.column_name);
  for (const name of Object.keys(options.overrides)) {
    if (!names.includes(name)) throw new Error(`${options.table} has no column ${name}`);
  }
  const list = names.map((name) => client.escapeIdentifier(name)).join(', ');
  const values = names
    .map((name) => options.overrides[name] ?? `t.${client.escapeIdentifier(name)}`)
    .join(', ');
  const result = await client.query(
    `INSERT INTO ${client.escapeIdentifier(options.table)} (${list})
     SELECT ${values}
     FROM ${client.escapeIdentifier(options.table)} t,
          generate_series(1, ${Math.trunc(options.count)}) AS i
     WHERE ${options.template}`,
    options.templateParams,
  );
  return result.rowCount ?? 0;
}

/**
 * A uuid that is unique per `kind` (0 to 255) and `index`, and ascending in
 * the index, so that bulk inserts append to the primary-key indexes instead
 * of scattering over them. It is a valid version-4-shaped uuid.
 */
export function seededUuidSql(kind: number, indexExpression: string): string {
  const prefix = kind.toString(16).padStart(2, '0');
  return `('b${prefix}00000-0000-4000-8000-' || lpad(to_hex(${indexExpression}), 12, '0'))::uuid`;
}

export interface StatementProfile {
  /** Client statements (round trips to PostgreSQL) per transfer. */
  statementsPerTransfer: number;
  /** Committed database transactions per transfer. */
  transactionsPerTransfer: number;
  /** The statements that ran most often, per transfer. */
  top: Array<{ query: string; callsPerTransfer: number; meanMs: number }>;
}

/** Forgets pg_stat_statements' counts, before a run to be profiled. */
export async function resetStatements(client: Client): Promise<number> {
  await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  await client.query('SELECT pg_stat_statements_reset()');
  const commits = await client.query<{ xact_commit: string }>(
    'SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()',
  );
  return Number(commits.rows[0].xact_commit);
}

/**
 * The statements the server sent since `resetStatements`, divided by the
 * transfers it made. Only the server's own connections count (its
 * application name is "mutua"); the benchmark's queries are left out.
 */
export async function readStatements(
  client: Client,
  options: { transfers: number; commitsBefore: number; database: string },
): Promise<StatementProfile> {
  const statements = await client.query<{ query: string; calls: string; mean_ms: number }>(
    `SELECT s.query, s.calls::text AS calls, s.mean_exec_time AS mean_ms
     FROM pg_stat_statements s
     JOIN pg_database d ON d.oid = s.dbid
     WHERE d.datname = $1 AND s.query NOT ILIKE '%pg_stat%'
       AND s.query NOT ILIKE '%mutua-bench%'
     ORDER BY s.calls DESC`,
    [options.database],
  );
  const commits = await client.query<{ xact_commit: string }>(
    'SELECT xact_commit FROM pg_stat_database WHERE datname = $1',
    [options.database],
  );
  const perTransfer = (count: number): number =>
    options.transfers === 0 ? 0 : count / options.transfers;
  const totalCalls = statements.rows.reduce((sum, row) => sum + Number(row.calls), 0);
  return {
    statementsPerTransfer: perTransfer(totalCalls),
    transactionsPerTransfer: perTransfer(
      Number(commits.rows[0].xact_commit) - options.commitsBefore,
    ),
    top: groupStatements(statements.rows)
      .slice(0, 10)
      .map((group) => ({
        query: group.query,
        callsPerTransfer: perTransfer(group.calls),
        meanMs: group.totalMs / group.calls,
      })),
  };
}

/**
 * Merges statements that differ only in the length of a parameter list
 * (`IN ($2, $3)` and `IN ($2, $3, $4)` are one statement to a reader, but
 * pg_stat_statements counts each length apart), most frequent first.
 */
function groupStatements(
  rows: ReadonlyArray<{ query: string; calls: string; mean_ms: number }>,
): Array<{ query: string; calls: number; totalMs: number }> {
  const groups = new Map<string, { query: string; calls: number; totalMs: number }>();
  for (const row of rows) {
    const query = row.query
      .replace(/\s+/g, ' ')
      .replace(/\$\d+(?:::[\w[\]()]+)?(?:, \$\d+(?:::[\w[\]()]+)?)+/g, '$n, ...')
      .trim();
    const calls = Number(row.calls);
    const group = groups.get(query) ?? { query, calls: 0, totalMs: 0 };
    group.calls += calls;
    group.totalMs += calls * row.mean_ms;
    groups.set(query, group);
  }
  return [...groups.values()].sort((a, b) => b.calls - a.calls);
}

/**
 * Samples what the server's database connections are doing, ten times a
 * second, and tallies it: running, waiting for a lock, waiting for the WAL
 * to reach the disk, or idle inside a transaction (waiting for Node to send
 * the next statement). The share of each says where a transfer's time goes.
 */
export function sampleConnections(
  url: string,
  applicationName: string,
): { stop: () => Promise<ConnectionTally> } {
  const tally: ConnectionTally = { samples: 0, states: {}, maxBusy: 0 };
  let running = true;
  const client = new Client({ connectionString: url, application_name: 'mutua-bench' });
  const loop = (async (): Promise<void> => {
    await client.connect();
    while (running) {
      const rows = await client.query<{ state: string | null; wait: string | null }>(
        `SELECT state, wait_event_type || ':' || wait_event AS wait
         FROM pg_stat_activity WHERE application_name = $1`,
        [applicationName],
      );
      tally.samples += 1;
      let busy = 0;
      for (const row of rows.rows) {
        const label = describeConnection(row.state, row.wait);
        tally.states[label] = (tally.states[label] ?? 0) + 1;
        if (row.state !== 'idle') busy += 1;
      }
      tally.maxBusy = Math.max(tally.maxBusy, busy);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await client.end();
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return tally;
    },
  };
}

export interface ConnectionTally {
  samples: number;
  /** How many connection-samples were seen in each state. */
  states: Record<string, number>;
  /** The most connections seen busy (not idle) at once. */
  maxBusy: number;
}

function describeConnection(state: string | null, wait: string | null): string {
  if (state === 'idle') return 'idle in the pool';
  if (state === 'idle in transaction') return 'idle in transaction (waiting for the server)';
  if (wait === null) return 'running';
  if (wait.startsWith('Lock:')) return `waiting for a lock (${wait})`;
  if (wait.startsWith('IO:WAL') || wait.startsWith('LWLock:WAL'))
    return `waiting for the WAL (${wait})`;
  if (wait === 'Client:ClientRead') return 'waiting for the server to send';
  return `other (${wait})`;
}

/** Group commit: transfers per posting transaction in a measured window. */
export interface GroupSizes {
  /** Posting transactions that created transfers. */
  count: number;
  p50: number;
  p99: number;
  largest: number;
}

/**
 * How many transfers each posting transaction carried between `start` and
 * `end`: every transfer of one group carries the instant the group was
 * planned as its created_at, and one community's groups run one after the
 * other, so transfers sharing a created_at are one group.
 */
export async function readGroupSizes(
  client: Client,
  communityId: string,
  start: Date,
  end: Date,
): Promise<GroupSizes | undefined> {
  const rows = await client.query<{ size: number }>(
    `SELECT count(*)::int AS size FROM transfers
      WHERE community_id = $1 AND created_at >= $2 AND created_at < $3
      GROUP BY created_at ORDER BY size`,
    [communityId, start, end],
  );
  const sizes = rows.rows.map((row) => row.size);
  if (sizes.length === 0) return undefined;
  const at = (share: number) => sizes[Math.min(sizes.length - 1, Math.floor(share * sizes.length))];
  return { count: sizes.length, p50: at(0.5), p99: at(0.99), largest: sizes[sizes.length - 1] };
}
