import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { runMigrations } from '../../src/common/database/migrate';
import { findPostgresBinDir, PostgresCluster } from '../../src/common/database/postgres-cluster';
import {
  freePort,
  ServerProcess,
  startServerProcess,
  waitUntilHealthy,
} from '../support/server-process';
import { TEST_ADMIN } from '../support/test-credentials';

/**
 * Crash recovery, from outside, as an operator would see it: 2,000 transfers
 * from 20 clients, one idempotency key each, against a real server process
 * on a PostgreSQL of its own with durable settings. Mid-load the server is
 * SIGKILLed and started again; later PostgreSQL is stopped immediately (no
 * checkpoint, as a power cut would) and started again. Each client retries
 * every request that went unanswered with the same key until it is answered.
 * Afterwards nothing acknowledged is missing, nothing is posted twice, the
 * trial balance is zero and verifyLedger finds the books intact.
 *
 * Run with `npm run test:chaos` (about half a minute; CI runs it too).
 */
const TRANSFERS = 2000;
const CLIENTS = 20;
const CHAOS_TIMEOUT_MS = 600_000;

jest.setTimeout(CHAOS_TIMEOUT_MS);

interface Answer {
  status: 'posted' | 'refused' | 'unanswered';
  id?: string;
  code?: string;
}

class Api {
  constructor(public port: number) {}

  async call<T>(query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
    const response = await fetch(`http://127.0.0.1:${this.port}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(20_000),
    });
    const body = (await response.json()) as {
      data?: T;
      errors?: Array<{ message: string; extensions?: { code?: string } }>;
    };
    if (body.errors !== undefined || body.data === undefined) {
      throw Object.assign(new Error(JSON.stringify(body.errors)), {
        code: body.errors?.[0]?.extensions?.code,
      });
    }
    return body.data;
  }
}

describe('crash recovery', () => {
  let root: string;
  let cluster: PostgresCluster;
  let server: ServerProcess;
  const binDir = findPostgresBinDir();
  let port: number;
  let databaseUrl: string;

  const startCluster = async () =>
    PostgresCluster.start({
      binDir,
      dataDir: join(root, 'pgdata'),
      socketDir: join(root, 'socket'),
      credentialsFile: join(root, 'credentials.json'),
      port,
      // Durable, as in production: every acknowledged commit is on disk.
      settings: { fsync: 'on', synchronous_commit: 'on', max_connections: '100' },
    });

  const startServer = async (serverPort: number) => {
    server = startServerProcess(
      { DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: '10', LOG_LEVEL: 'warn' },
      serverPort,
    );
    await waitUntilHealthy(server, 120_000);
  };

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'mutua-test-chaos-'));
    // Marks the cluster as this process's, so that another run's sweep of leftover
    // clusters leaves it alone while this one lives, and removes it if it is killed.
    await writeFile(join(root, 'owner.pid'), String(process.pid));
    await chmod(root, 0o755);
    port = await freePort();
    cluster = await startCluster();
    await cluster.createDatabaseIfMissing('mutua_chaos');
    databaseUrl = cluster.url('mutua_chaos');
    await runMigrations(databaseUrl);
  });

  afterAll(async () => {
    server?.child.kill('SIGKILL');
    await server?.exited;
    await cluster?.destroy().catch(() => undefined);
    await rm(root, { recursive: true, force: true });
  });

  /** The postmaster's pid, from its lock file. */
  async function postmasterPid(): Promise<number> {
    const text = await readFile(join(root, 'pgdata', 'postmaster.pid'), 'utf8');
    return Number(text.split('\n')[0]);
  }

  it('loses nothing acknowledged and posts nothing twice across a server kill and a database crash', async () => {
    try {
      await scenario();
    } catch (error) {
      // The server's own words, for whoever reads a failure.
      process.stderr.write(`server output:\n${server?.output().slice(-4000)}\n`);
      throw error;
    }
  });

  async function scenario(): Promise<void> {
    const serverPort = await freePort();
    await startServer(serverPort);
    const api = new Api(serverPort);

    // A community, a currency with room to move, twenty members with an account each.
    const admin = await api.call<{ login: { token: string } }>(
      'mutation($input: LoginInput!) { login(input: $input) { token } }',
      { input: TEST_ADMIN },
    );
    const slug = `chaos${Date.now()}`;
    await api.call(
      `mutation($input: CreateCommunityInput!) { createCommunity(input: $input) { community { id } } }`,
      {
        input: {
          slug,
          name: 'Chaos time bank',
          stewardEmail: `steward@${slug}.test`,
          stewardPassword: 'steward-password-1',
          stewardName: 'Steward',
          openSignup: true,
        },
      },
      admin.login.token,
    );
    const steward = (
      await api.call<{ login: { token: string } }>(
        'mutation($input: LoginInput!) { login(input: $input) { token } }',
        {
          input: {
            communitySlug: slug,
            email: `steward@${slug}.test`,
            password: 'steward-password-1',
          },
        },
      )
    ).login.token;
    await api.call(
      'mutation($input: CreateCurrencyInput!) { createCurrency(input: $input) { code } }',
      {
        input: {
          code: 'HOUR',
          name: 'Hours',
          kind: 'TIME',
          scale: 2,
          policy: { mode: 'MUTUAL_CREDIT', defaultFloor: '-1000.00' },
        },
      },
      steward,
    );
    const members: Array<{ token: string; accountId: string }> = [];
    for (let index = 0; index < CLIENTS; index += 1) {
      const email = `member${index}@${slug}.test`;
      const { register } = await api.call<{ register: { token: string } }>(
        'mutation($input: RegisterInput!) { register(input: $input) { token } }',
        {
          input: {
            communitySlug: slug,
            email,
            password: `member-password-${index}`,
            displayName: `Member ${index}`,
          },
        },
      );
      const { openAccount } = await api.call<{ openAccount: { id: string } }>(
        'mutation($input: OpenAccountInput!) { openAccount(input: $input) { id } }',
        { input: { currencyCode: 'HOUR' } },
        register.token,
      );
      members.push({ token: register.token, accountId: openAccount.id });
    }

    const answers = new Map<string, Answer>();
    const firstIds = new Map<string, string>();
    const doubled: string[] = [];
    let acknowledged = 0;
    let retries = 0;

    const send = async (client: number, n: number): Promise<void> => {
      const key = `chaos-${client}-${n}`;
      const from = members[client];
      const to = members[(client + 1 + (n % (CLIENTS - 1))) % CLIENTS];
      const input = {
        fromAccountId: from.accountId,
        toAccountId: to.accountId,
        amount: `0.${String(1 + (n % 99)).padStart(2, '0')}`,
        kind: 'EXCHANGE',
        idempotencyKey: key,
      };
      for (;;) {
        try {
          const { transfer } = await api.call<{ transfer: { id: string } }>(
            'mutation($input: TransferInput!) { transfer(input: $input) { id } }',
            { input },
            from.token,
          );
          const first = firstIds.get(key);
          if (first !== undefined && first !== transfer.id) doubled.push(key);
          firstIds.set(key, transfer.id);
          answers.set(key, { status: 'posted', id: transfer.id });
          acknowledged += 1;
          return;
        } catch (error) {
          const code = (error as { code?: string }).code;
          if (code === 'INSUFFICIENT_FUNDS' || code === 'LIMIT_EXCEEDED') {
            answers.set(key, { status: 'refused', code });
            acknowledged += 1;
            return;
          }
          // No answer (server gone, database down): the same request, with the same key, again.
          retries += 1;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
    };

    const load = Promise.all(
      Array.from({ length: CLIENTS }, async (_, client) => {
        for (let n = 0; n < TRANSFERS / CLIENTS; n += 1) await send(client, n);
      }),
    );

    const until = async (count: number) => {
      while (acknowledged < count) await new Promise((resolve) => setTimeout(resolve, 50));
    };
    // The server dies mid-load, and comes back.
    await until(TRANSFERS * 0.25);
    server.child.kill('SIGKILL');
    await server.exited;
    await startServer(serverPort);
    // PostgreSQL stops at once, without a checkpoint, and comes back.
    await until(TRANSFERS * 0.6);
    process.kill(await postmasterPid(), 'SIGQUIT');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    cluster = await startCluster();
    await load;

    expect(doubled).toEqual([]);
    expect(answers.size).toBe(TRANSFERS);
    expect(retries).toBeGreaterThan(0);

    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const rows = (
        await db.query<{ key: string; id: string }>(
          `SELECT idempotency_key AS key, id FROM transfers WHERE idempotency_key LIKE 'chaos-%'`,
        )
      ).rows;
      const written = new Map(rows.map((row) => [row.key, row.id]));
      // Each key at most once, and every acknowledged posting is there with its id.
      expect(written.size).toBe(rows.length);
      const posted = [...answers].filter(([, answer]) => answer.status === 'posted');
      for (const [key, answer] of posted) expect(written.get(key)).toBe(answer.id);
      // And nothing was written that was refused or never acknowledged.
      expect(rows.length).toBe(posted.length);
      const sum = await db.query<{ total: string }>(
        `SELECT coalesce(sum(balance_minor), 0)::text AS total FROM accounts WHERE currency_code = 'HOUR'`,
      );
      expect(sum.rows[0].total).toBe('0');
    } finally {
      await db.end();
    }
    const { verifyLedger } = await api.call<{ verifyLedger: { ok: boolean; problems: string[] } }>(
      'query { verifyLedger(currencyCode: "HOUR") { ok problems } }',
      {},
      steward,
    );
    expect(verifyLedger).toEqual({ ok: true, problems: [] });
  }
});
