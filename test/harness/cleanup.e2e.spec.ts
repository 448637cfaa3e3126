import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { isRunning, RUN_MARK } from './cleanup';

/**
 * `npm test` leaves nothing behind: the harness is run on a fixture spec
 * that starts an embedded PostgreSQL, a child process and one that ignores
 * SIGTERM, and is then interrupted (SIGINT as from Ctrl-C, SIGTERM) or sees
 * the spec fail. Afterwards no process of the run is running, no
 * PostgreSQL, and the run's temp folder (its cluster and the specs' folders)
 * is gone.
 */
const ROOT = join(__dirname, '..', '..');

interface Report {
  tmp: string;
  dataDir: string;
  postmaster: number;
  pids: number[];
}

async function waitFor<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('the test harness', () => {
  jest.setTimeout(300_000);

  it.each([
    ['interrupted by SIGINT (Ctrl-C)', 'wait', 'SIGINT', 130],
    ['interrupted by SIGTERM', 'wait', 'SIGTERM', 143],
    ['when a spec fails', 'fail', undefined, 1],
  ] as const)('removes everything its specs started %s', async (_case, mode, signal, code) => {
    const reportFile = join(tmpdir(), `fixture-${randomBytes(6).toString('hex')}.json`);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      FIXTURE_REPORT: reportFile,
      FIXTURE_MODE: mode,
      LOG_LEVEL: 'silent',
    };
    // Its own throwaway cluster, to see that it goes too.
    delete env.DATABASE_URL;
    delete env[RUN_MARK];
    let output = '';
    const harness = spawn(
      process.execPath,
      [
        '-r',
        'ts-node/register',
        join(ROOT, 'test', 'harness', 'run-tests.ts'),
        '--testMatch',
        '<rootDir>/test/harness/fixtures/*.fixture.ts',
        '--forceExit',
      ],
      { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    harness.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    harness.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) =>
      harness.on('exit', (exitCode) => resolve(exitCode)),
    );
    let report: Report | undefined;
    try {
      report = await waitFor(
        () =>
          existsSync(reportFile)
            ? (JSON.parse(readFileSync(reportFile, 'utf8')) as Report)
            : undefined,
        180_000,
        `the fixture to start its processes:\n${output}`,
      );
      const runRoot = dirname(report.tmp);
      expect(runRoot).toMatch(/mutua-test-/);
      expect(existsSync(join(runRoot, 'pgdata', 'postmaster.pid'))).toBe(true);
      for (const pid of [...report.pids, report.postmaster]) expect(isRunning(pid)).toBe(true);

      if (signal !== undefined) harness.kill(signal);
      else writeFileSync(`${reportFile}.fail`, '');
      expect(await exited).toBe(code);

      for (const pid of [...report.pids, report.postmaster]) expect(isRunning(pid)).toBe(false);
      expect(existsSync(report.dataDir)).toBe(false);
      expect(existsSync(runRoot)).toBe(false);
    } finally {
      rmSync(reportFile, { force: true });
      rmSync(`${reportFile}.fail`, { force: true });
      if (harness.exitCode === null) harness.kill('SIGKILL');
      for (const pid of [...(report?.pids ?? []), report?.postmaster ?? 0]) {
        if (pid > 0 && isRunning(pid)) process.kill(pid, 'SIGKILL');
      }
    }
  });
});
