import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/server-process';

/**
 * `npm start` as a developer runs it, signalled the ways an operator stops
 * it: SIGTERM or SIGINT to npm's PID, to the server's PID (which it prints),
 * and Ctrl-C (SIGINT to the whole process group, so the server hears it
 * twice: from the terminal and forwarded by npm). Each time a request in
 * flight is answered, everything is gone within 10 s, and nothing is left:
 * no process, no postmaster.pid, no port.
 *
 * The first start builds the server if the build is stale (which can take
 * a while on a busy machine); the others find it fresh.
 */
const ROOT = join(__dirname, '..', '..');
const STOP_LIMIT_MS = 10_000;

interface Started {
  npm: ChildProcess;
  port: number;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function npmStart(dataDir: string, port: number): Started {
  let output = '';
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    PORT: String(port),
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    LOG_PRETTY: 'false',
  };
  delete env.DATABASE_URL;
  // Its own process group, so that a Ctrl-C can be imitated for it alone.
  const npm = spawn('npm', ['start'], {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  npm.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  npm.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    npm.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { npm, port, output: () => output, exited };
}

async function waitForHealth(
  started: Started,
  timeoutMs: number,
): Promise<{ embeddedDatabase: { pid: number } }> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (started.npm.exitCode !== null) break;
    try {
      const response = await fetch(`http://127.0.0.1:${started.port}/health`);
      if (response.status === 200) {
        const body = (await response.json()) as {
          details?: { embeddedDatabase?: { pid?: unknown } };
        };
        // Only the server this test started answers with its embedded
        // database; another test's server that held the port a moment ago does not.
        const pid = body.details?.embeddedDatabase?.pid;
        if (typeof pid === 'number') return { embeddedDatabase: { pid } };
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`npm start did not become healthy:\n${started.output()}`);
}

/** Alive and not a zombie (a zombie has exited; only its parent has not looked yet). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '0.0.0.0', () => probe.close(() => resolve(true)));
  });
}

/**
 * A GraphQL request whose body is only half sent: the server has it in
 * flight until the rest arrives. Returns a function that sends the rest and
 * resolves with the status and body of the answer.
 */
async function requestInFlight(port: number): Promise<() => Promise<[number, string]>> {
  const body = JSON.stringify({ query: '{ __typename }' });
  const call = request({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
  });
  const answer = new Promise<[number, string]>((resolve, reject) => {
    call.on('response', (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => resolve([response.statusCode ?? 0, text]));
    });
    call.on('error', reject);
  });
  call.write(body.slice(0, 5));
  call.flushHeaders();
  // Give the server time to read the headers: from then on the request is in flight.
  await new Promise((resolve) => setTimeout(resolve, 500));
  return () => {
    call.end(body.slice(5));
    return answer;
  };
}

describe('npm start', () => {
  jest.setTimeout(600_000);
  let dataDir: string;
  const leftovers: number[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mutua-npm-start-spec-'));
    await chmod(dataDir, 0o755);
  });

  afterAll(async () => {
    for (const pid of leftovers) {
      if (running(pid)) process.kill(pid, 'SIGKILL');
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  it.each([
    ['SIGTERM', 'npm'],
    ['SIGINT', 'npm'],
    ['SIGTERM', 'server'],
    ['SIGINT', 'server'],
    ['SIGINT', 'process group (Ctrl-C)'],
  ] as const)(
    'stops cleanly on %s to the %s, answering the request in flight, leaving nothing behind',
    async (signal, target) => {
      const started = npmStart(dataDir, await freePort());
      let serverPid: number | undefined;
      let postmasterPid: number | undefined;
      try {
        const health = await waitForHealth(started, 300_000);
        postmasterPid = health.embeddedDatabase.pid;
        const printed = /listening on http:\/\/\S+ \(pid (\d+)\)/.exec(started.output());
        expect(printed).not.toBeNull();
        serverPid = Number(printed![1]);
        leftovers.push(serverPid, postmasterPid, started.npm.pid!);
        expect(running(serverPid)).toBe(true);
        expect(running(postmasterPid)).toBe(true);
        expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(true);

        const finish = await requestInFlight(started.port);
        const signalledAt = Date.now();
        if (target === 'npm') process.kill(started.npm.pid!, signal);
        else if (target === 'server') process.kill(serverPid, signal);
        else process.kill(-started.npm.pid!, signal);
        await new Promise((resolve) => setTimeout(resolve, 300));
        const [status, text] = await finish();
        expect(status).toBe(200);
        expect(JSON.parse(text)).toEqual({ data: { __typename: 'Query' } });

        const exit = await started.exited;
        const tookMs = Date.now() - signalledAt;
        expect(exit).toEqual({ code: 0, signal: null });
        expect(tookMs).toBeLessThan(STOP_LIMIT_MS);
        expect(started.output()).toMatch(new RegExp(`${signal} received: finishing in-flight`));
        expect(started.output()).toMatch(/stopped cleanly/);
        expect(running(serverPid)).toBe(false);
        expect(running(postmasterPid)).toBe(false);
        expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
        expect(await portIsFree(started.port)).toBe(true);
        expect(readFileSync(join(dataDir, 'postgres', 'server.log'), 'utf8')).toMatch(
          /database system is shut down\s*$/,
        );
      } finally {
        if (started.npm.exitCode === null) process.kill(-started.npm.pid!, 'SIGKILL');
      }
    },
  );
});
