import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { runMigrations } from '../../src/common/database/migrate';
import {
  freePort,
  ServerProcess,
  startServerProcess,
  waitUntilHealthy,
} from '../support/server-process';
import { testOwnerDatabaseUrl } from '../support/test-app';

/**
 * What an operator's log shows, read from the real server process's output
 * (pino JSON lines on stdout): a user's mistake is not an alarm, a bug is,
 * every request line names its GraphQL operation, and no secret is echoed.
 *
 * The server runs on a database of its own, so that the test can break it
 * (a renamed table) to cause a genuine internal error.
 */
describe('the server log', () => {
  jest.setTimeout(180_000);

  const secrets = {
    adminPassword: `admin-${randomBytes(8).toString('hex')}`,
    jwtSecret: `jwt-${randomBytes(24).toString('hex')}`,
    wrongPassword: `wrong-${randomBytes(8).toString('hex')}`,
    memberPassword: `member-${randomBytes(8).toString('hex')}`,
  };
  const database = `mutua_logs_${randomBytes(4).toString('hex')}`;
  const adminUrl = new URL(testOwnerDatabaseUrl());
  adminUrl.pathname = '/postgres';
  const url = new URL(testOwnerDatabaseUrl());
  url.pathname = `/${database}`;

  beforeAll(async () => {
    const admin = new Client({ connectionString: adminUrl.toString() });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
    await runMigrations(url.toString());
  });

  afterAll(async () => {
    const admin = new Client({ connectionString: adminUrl.toString() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  });

  interface LogLine {
    level: number;
    msg?: string;
    context?: string;
    requestId?: string;
    operation?: string;
    code?: string;
    reason?: string;
    err?: { stack?: string; message?: string };
    req?: { url?: string };
    res?: { statusCode?: number };
  }

  function logLines(server: ServerProcess): LogLine[] {
    return server
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine);
  }

  it('logs refusals at info without a stack, a bug at error with its stack and request id, and no secret', async () => {
    const server = startServerProcess(
      {
        DATABASE_URL: url.toString(),
        ADMIN_EMAIL: 'admin@logs.test',
        ADMIN_PASSWORD: secrets.adminPassword,
        JWT_SECRET: secrets.jwtSecret,
        LOG_LEVEL: 'info',
        LOG_PRETTY: 'false',
      },
      await freePort(),
    );
    const tokens: string[] = [];
    try {
      await waitUntilHealthy(server);
      const call = async (
        query: string,
        variables: Record<string, unknown> = {},
        token?: string,
      ): Promise<{
        data?: Record<string, Record<string, unknown>> | null;
        errors?: Array<{ message: string; extensions: Record<string, unknown> }>;
      }> => {
        const response = await fetch(`http://127.0.0.1:${server.port}/graphql`, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            ...(token !== undefined ? { Authorization: `Bearer ${token}` } : {}),
          },
          body: JSON.stringify({ query, variables }),
        });
        return (await response.json()) as never;
      };
      const codeOf = (answer: Awaited<ReturnType<typeof call>>): unknown =>
        answer.errors?.[0]?.extensions.code;

      // Refusals a walkthrough meets: a wrong password, a member acting as a
      // steward, an amount finer than the currency, a payment past the floor.
      const wrong = await call(
        'mutation ($p: String!) { login(input: {email: "admin@logs.test", password: $p}) { token } }',
        { p: secrets.wrongPassword },
      );
      expect(codeOf(wrong)).toBe('UNAUTHENTICATED');

      const login = async (email: string, password: string, communitySlug?: string) => {
        const answer = await call(
          'mutation Login($input: LoginInput!) { login(input: $input) { token } }',
          { input: { email, password, ...(communitySlug ? { communitySlug } : {}) } },
        );
        const token = answer.data?.login?.token as string;
        expect(typeof token).toBe('string');
        tokens.push(token);
        return token;
      };
      const admin = await login('admin@logs.test', secrets.adminPassword);
      const created = await call(
        `mutation ($p: String!) { createCommunity(input: {slug: "logs", name: "Logs", stewardEmail: "sam@logs.test",
          stewardPassword: $p, stewardName: "Sam"}) { community { id } } }`,
        { p: secrets.memberPassword },
        admin,
      );
      expect(created.errors).toBeUndefined();
      const steward = await login('sam@logs.test', secrets.memberPassword, 'logs');
      const currency = await call(
        `mutation { createCurrency(input: {code: "HOUR", name: "Hours", kind: TIME, scale: 2,
          policy: {mode: MUTUAL_CREDIT, defaultFloor: "-1.00"}}) { code } }`,
        {},
        steward,
      );
      expect(currency.errors).toBeUndefined();
      const accounts: string[] = [];
      const members: string[] = [];
      for (const name of ['ana', 'ben']) {
        const registered = await call(
          `mutation ($e: String!, $p: String!, $n: String!) { register(input: {communitySlug: "logs", email: $e,
            password: $p, displayName: $n}) { token } }`,
          { e: `${name}@logs.test`, p: secrets.memberPassword, n: name },
        );
        const token = registered.data?.register?.token as string;
        tokens.push(token);
        members.push(token);
        const opened = await call(
          'mutation { openAccount(input: {currencyCode: "HOUR"}) { id } }',
          {},
          token,
        );
        accounts.push(opened.data?.openAccount?.id as string);
      }
      const forbidden = await call(
        'mutation { createCurrency(input: {code: "BRK", name: "Brook", kind: LOCAL, scale: 2}) { code } }',
        {},
        members[0],
      );
      expect(codeOf(forbidden)).toBe('FORBIDDEN');
      const pay = (amount: string, key: string) =>
        call(
          `mutation Pay($from: ID!, $to: ID!, $amount: Decimal!, $key: String!) { transfer(input: {fromAccountId: $from,
            toAccountId: $to, amount: $amount, kind: EXCHANGE, idempotencyKey: $key}) { id } }`,
          { from: accounts[0], to: accounts[1], amount, key },
          members[0],
        );
      expect(codeOf(await pay('0.125', 'too-fine'))).toBe('BAD_USER_INPUT');
      expect(codeOf(await pay('5.00', 'too-much'))).toBe('INSUFFICIENT_FUNDS');

      // A genuine bug: the table of users is gone from under the server.
      const sabotage = new Client({ connectionString: url.toString() });
      await sabotage.connect();
      await sabotage.query('ALTER TABLE users RENAME TO users_moved_away');
      await sabotage.end();
      const broken = await call(
        'mutation Login($input: LoginInput!) { login(input: $input) { token } }',
        { input: { email: 'admin@logs.test', password: secrets.adminPassword } },
      );
      expect(codeOf(broken)).toBe('INTERNAL_SERVER_ERROR');
      const requestId = broken.errors?.[0]?.extensions.requestId;
      expect(typeof requestId).toBe('string');

      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);

      const lines = logLines(server);
      const refusals = lines.filter((line) => line.msg?.startsWith('Refused:'));
      expect(refusals.map((line) => line.code).sort()).toEqual([
        'BAD_USER_INPUT',
        'FORBIDDEN',
        'INSUFFICIENT_FUNDS',
        'UNAUTHENTICATED',
      ]);
      for (const line of refusals) {
        expect(line.level).toBe(30);
        expect(line.err).toBeUndefined();
        expect(JSON.stringify(line)).not.toMatch(/\n\s+at /);
        expect(typeof line.requestId).toBe('string');
      }
      expect(refusals.find((line) => line.code === 'INSUFFICIENT_FUNDS')?.operation).toBe(
        'mutation Pay',
      );

      // Exactly one line at error or above: the bug, with its stack and the request id the client got.
      const alarms = lines.filter((line) => line.level >= 50);
      expect(alarms).toHaveLength(1);
      expect(alarms[0].requestId).toBe(requestId);
      expect(alarms[0].operation).toBe('mutation Login');
      expect(alarms[0].err?.stack).toMatch(/users/);
      expect(alarms[0].err?.stack).toMatch(/\n\s+at /);
      expect(lines.filter((line) => line.level === 40 && line.err !== undefined)).toEqual([]);

      // Every request line of /graphql names what it ran.
      const requestLines = lines.filter(
        (line) => line.req?.url === '/graphql' && line.msg === 'request completed',
      );
      expect(requestLines.length).toBeGreaterThanOrEqual(12);
      for (const line of requestLines) expect(line.operation).toMatch(/^(query|mutation) /);
      expect(requestLines.map((line) => line.operation)).toEqual(
        expect.arrayContaining(['mutation { login }', 'mutation Login', 'mutation Pay']),
      );

      const everything = server.output();
      for (const secret of [...Object.values(secrets), ...tokens, url.password]) {
        expect(everything).not.toContain(secret);
      }
    } finally {
      server.child.kill('SIGKILL');
    }
  });

  it('names a refused secret setting and its rule, never its value', async () => {
    const secret = `short-${randomBytes(2).toString('hex')}`;
    const server = startServerProcess(
      { ADMIN_EMAIL: 'admin@logs.test', ADMIN_PASSWORD: secret, JWT_SECRET: 'x' },
      await freePort(),
    );
    expect(await server.exited).toBe(1);
    const output = server.output();
    expect(output).toMatch(/ADMIN_PASSWORD: must be at least 12 characters/);
    expect(output).toMatch(/JWT_SECRET: must be at least 32 characters/);
    expect(output).not.toContain(secret);
    expect(output).not.toMatch(/got "x"/);
  });
});
