import { fork, spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * The specs' environment ends a jest worker with process.exit() once the
 * worker has nothing left to do, instead of letting Node.js free the whole
 * heap first (see test-environment.js). A process that loads it tells the
 * two apart: a `beforeExit` listener added after it runs only when the
 * process ended the slow way.
 */
const ENVIRONMENT = join(__dirname, 'test-environment.js');

const CHILD = `
require(${JSON.stringify(ENVIRONMENT)});
process.on('beforeExit', () => process.stdout.write('exit left to Node.js\\n'));
if (process.env.OPEN_TIMER === '1') {
  setTimeout(() => process.stdout.write('timer fired\\n'), 300);
}
process.on('exit', (code) => process.stdout.write('exit ' + code + '\\n'));
`;

interface Ended {
  code: number | null;
  output: string;
}

/** Runs CHILD as a jest worker would be run: forked, with a channel to its parent. */
function asWorker(env: Record<string, string> = {}): Promise<Ended> {
  // fork() runs a module; `-e` makes node run the script instead.
  const child = fork('-e', [CHILD], {
    execArgv: [],
    env: { ...process.env, JEST_WORKER_ID: '1', ...env },
    silent: true,
  });
  return ended(child);
}

/** Runs CHILD as the jest process itself is run: no channel to a parent. */
function asJestItself(): Promise<Ended> {
  const child = spawn(process.execPath, ['-e', CHILD], {
    env: { ...process.env, JEST_WORKER_ID: '1' },
  });
  return ended(child);
}

function ended(child: ReturnType<typeof spawn>): Promise<Ended> {
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

describe('the specs environment', () => {
  it('ends a worker with process.exit() once nothing is left to do', async () => {
    const { code, output } = await asWorker();
    expect(code).toBe(0);
    expect(output).toBe('exit 0\n');
  });

  it('does not end a worker early while something is still open', async () => {
    const { code, output } = await asWorker({ OPEN_TIMER: '1' });
    expect(code).toBe(0);
    expect(output).toBe('timer fired\nexit 0\n');
  });

  it('leaves the jest process (a single spec, no worker) to exit by itself', async () => {
    const { code, output } = await asJestItself();
    expect(code).toBe(0);
    expect(output).toBe('exit left to Node.js\nexit 0\n');
  });
});
