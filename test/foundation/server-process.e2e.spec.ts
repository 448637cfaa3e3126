import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startServerProcess, waitUntilHealthy } from '../support/server-process';
import { testDatabaseUrl } from '../support/test-app';

/**
 * The server as an operator meets it: `npm start` with or without a
 * database, a bad setting, and a polite stop.
 */
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

  it('runs on the embedded database without DATABASE_URL, and again after a restart', async () => {
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
