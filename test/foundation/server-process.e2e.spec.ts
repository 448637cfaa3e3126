import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  freePort,
  ServerProcess,
  startServerProcess,
  waitUntilHealthy,
} from '../support/server-process';
import { testDatabaseUrl } from '../support/test-app';

/**
 * The server as an operator meets it: `npm start` with or without a
 * database, a bad setting, and a polite stop.
 */
interface Health {
  status: string;
  details: { database: { status: string }; embeddedDatabase?: Record<string, unknown> };
}

async function health(server: ServerProcess): Promise<[number, Health]> {
  const response = await fetch(`http://127.0.0.1:${server.port}/health`);
  return [response.status, (await response.json()) as Health];
}

/**
 * The embedded PostgreSQL is killed under the running server: the server
 * says so, starts it again, and answers requests that need the database.
 */
async function killPostgresAndSeeRecovery(server: ServerProcess): Promise<void> {
  const [, before] = await health(server);
  expect(before.details.embeddedDatabase).toMatchObject({ status: 'up', restarts: 0 });
  const postmaster = before.details.embeddedDatabase!.pid as number;
  process.kill(postmaster, 'SIGKILL');

  const deadline = Date.now() + 60_000;
  let after: [number, Health] = await health(server);
  while (after[0] !== 200 || after[1].details.embeddedDatabase?.restarts !== 1) {
    if (Date.now() > deadline) throw new Error(`no recovery: ${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    after = await health(server);
  }
  expect(after[1].details.embeddedDatabase).toMatchObject({ status: 'up', restarts: 1 });
  expect(after[1].details.embeddedDatabase.pid).not.toBe(postmaster);
  expect(server.output()).toMatch(/embedded PostgreSQL stopped unexpectedly \(killed by SIGKILL\)/);
  expect(server.output()).toMatch(/embedded PostgreSQL is running again/);

  // A request that reads the database: the pool has reconnected.
  const response = await fetch(`http://127.0.0.1:${server.port}/graphql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      query:
        'mutation { login(input: {email: "nobody@example.org", password: "wrong-password"}) { token } }',
    }),
  });
  const body = (await response.json()) as { errors: Array<{ extensions: { code: string } }> };
  expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
}

describe('the server process', () => {
  jest.setTimeout(120_000);

  it.each([
    ['PORT', '99999'],
    ['DATABASE_URL', 'mysql://localhost/mutua'],
  ])('stops at once with one clear line when %s=%s', async (name, value) => {
    const server = startServerProcess({ [name]: value }, 3000);
    const code = await server.exited;
    expect(code).toBe(1);
    const lines = server.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^mutua: Invalid configuration: ${name}: `));
  });

  it('serves GraphQL on DATABASE_URL and stops cleanly on SIGTERM', async () => {
    const server = startServerProcess({ DATABASE_URL: testDatabaseUrl() }, await freePort());
    try {
      await waitUntilHealthy(server);
      const response = await fetch(`http://127.0.0.1:${server.port}/graphql`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      expect(server.output()).toMatch(/stopped cleanly/);
    } finally {
      server.child.kill('SIGKILL');
    }
  });

  it('runs on the embedded database without DATABASE_URL, restarts it when it dies, and runs again after a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'mutua-start-spec-'));
    await chmod(dataDir, 0o755);
    const env = { DATABASE_URL: undefined, DATA_DIR: dataDir };
    try {
      for (const round of [1, 2]) {
        const server = startServerProcess(env, await freePort());
        try {
          await waitUntilHealthy(server);
          expect(server.output()).toContain(
            `using the embedded PostgreSQL with its data in ${dataDir}`,
          );
          if (round === 2) expect(server.output()).not.toMatch(/applied \d+ migration/);
          if (round === 1) await killPostgresAndSeeRecovery(server);
          server.child.kill('SIGTERM');
          expect(await server.exited).toBe(0);
        } finally {
          server.child.kill('SIGKILL');
        }
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
