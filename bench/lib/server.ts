import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { sleep } from './progress';

/**
 * The Mutua server under test: the production build (`npm run build`, then
 * `node dist/src/main.js` with NODE_ENV=production and logging at warn), run
 * as a child process against the benchmark's database, exactly as it would
 * be deployed.
 */

export const ROOT = join(__dirname, '..', '..');

/** One secret for the whole benchmark, so that tokens survive a restart of the server. */
const JWT_SECRET = randomBytes(32).toString('hex');

export const ADMIN = {
  email: 'bench-admin@mutua.example',
  password: randomBytes(12).toString('hex'),
};

export interface MutuaServer {
  child: ChildProcess;
  pid: number;
  port: number;
  /** The last lines the server printed, for error messages. */
  output: () => string;
  stop: () => Promise<void>;
}

export interface StartOptions {
  databaseUrl: string;
  poolSize?: number;
  /** Folder for a V8 CPU profile of the whole run, when profiling. */
  cpuProfileDir?: string;
}

/** Runs `npm run build` and resolves when dist/src/main.js is fresh. */
export async function buildServer(): Promise<void> {
  const output = await runCommand('npm', ['run', 'build'], ROOT);
  if (!existsSync(join(ROOT, 'dist', 'src', 'main.js'))) {
    throw new Error(`npm run build did not produce dist/src/main.js:\n${output}`);
  }
}

export async function startServer(options: StartOptions): Promise<MutuaServer> {
  const port = await freePort();
  const nodeArgs: string[] = [];
  if (options.cpuProfileDir !== undefined) {
    nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`);
  }
  // A clean environment, so that a DATABASE_URL or LOG_LEVEL of the shell
  // cannot change what is measured.
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    LOG_PRETTY: 'false',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: options.databaseUrl,
    DATABASE_POOL_SIZE: options.poolSize === undefined ? undefined : String(options.poolSize),
    JWT_SECRET,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    // Every benchmark request comes from 127.0.0.1; sign-in throttling would
    // otherwise refuse the seeding logins.
    AUTH_RATE_LIMIT_PER_MINUTE: '100000',
  };
  let output = '';
  const child = spawn(process.execPath, [...nodeArgs, join(ROOT, 'dist', 'src', 'main.js')], {
    cwd: ROOT,
    env: Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined)),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const stopped = await Promise.race([exited.then(() => true), sleep(15_000).then(() => false)]);
    if (!stopped) {
      child.kill('SIGKILL');
      await exited;
    }
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the Mutua server exited while starting:\n${output}`);
    }
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health`);
      if (response.status === 200) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the Mutua server did not become healthy within 60 s:\n${output}`);
    }
    await sleep(200);
  }
  if (child.pid === undefined) throw new Error('the Mutua server has no process id');
  return { child, pid: child.pid, port, output: () => output, stop };
}

function runCommand(command: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve(output);
      else
        reject(new Error(`${command} ${args.join(' ')} failed (${code ?? 'signal'}):\n${output}`));
    });
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
