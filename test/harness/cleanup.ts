import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * What the test harness leaves behind: nothing, whether jest passes, fails,
 * or the run is interrupted (Ctrl-C, SIGTERM).
 *
 * Each run owns a temp folder (`mutua-test-…`) and points TMPDIR of jest at
 * a folder inside it, so every folder a spec makes (embedded databases,
 * servers' data) is the run's; and each run marks its environment with
 * MUTUA_TEST_RUN=<run id>, which every process a spec starts inherits. At
 * the end the harness
 *
 * 1. asks every process carrying the mark to stop (SIGTERM: a Mutua server
 *    stops its embedded PostgreSQL cleanly), and kills those still there
 *    after a few seconds;
 * 2. stops every PostgreSQL whose data folder lies in the run's folder
 *    (fast shutdown, then immediate, then SIGKILL);
 * 3. deletes the folder.
 *
 * PostgreSQL rewrites its process title over its environment, so its
 * servers are found by their postmaster.pid files instead of the mark.
 * A run that was SIGKILLed is swept the same way by the next run.
 */
export const RUN_MARK = 'MUTUA_TEST_RUN';

const PROCESS_GRACE_MS = 8_000;
const POSTGRES_GRACE_MS = 10_000;
const YOUNG_FOLDER_MS = 5 * 60_000;

/** Running and not a zombie. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    // No /proc (not Linux): kill(0) is all we know.
    return true;
  }
}

function commandName(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** Processes whose environment carries MUTUA_TEST_RUN=<runId>, except this one and PostgreSQL's. */
export function markedProcesses(runId: string): number[] {
  if (!existsSync('/proc')) return [];
  const needle = `\0${RUN_MARK}=${runId}\0`;
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    let environment: string;
    try {
      environment = `\0${readFileSync(`/proc/${pid}/environ`, 'latin1')}`;
    } catch {
      continue;
    }
    if (environment.includes(needle) && commandName(pid) !== 'postgres' && isRunning(pid)) {
      found.push(pid);
    }
  }
  return found;
}

async function waitUntilGone(pids: number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let left = pids.filter(isRunning);
  while (left.length > 0 && Date.now() < deadline) {
    await sleep(100);
    left = left.filter(isRunning);
  }
  return left;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Gone already.
  }
}

/** SIGTERM to every marked process, SIGKILL to those still running after the grace time. */
export async function stopMarkedProcesses(runId: string): Promise<number> {
  const pids = markedProcesses(runId);
  for (const pid of pids) signal(pid, 'SIGTERM');
  const stubborn = await waitUntilGone(pids, PROCESS_GRACE_MS);
  for (const pid of stubborn) signal(pid, 'SIGKILL');
  await waitUntilGone(stubborn, 2_000);
  // Children they started while being stopped.
  const late = markedProcesses(runId);
  for (const pid of late) signal(pid, 'SIGKILL');
  return pids.length + late.length;
}

/** The postmaster.pid files under `folder`, however deep (PostgreSQL folders stay shallow). */
async function postmasterPidFiles(folder: string, depth = 6): Promise<string[]> {
  if (depth === 0) return [];
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch {
    return [];
  }
  const found: string[] = [];
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isFile() && entry.name === 'postmaster.pid') found.push(path);
    else if (entry.isDirectory() && !entry.isSymbolicLink()) {
      found.push(...(await postmasterPidFiles(path, depth - 1)));
    }
  }
  return found;
}

/** Stops every PostgreSQL server whose data folder lies under `folder`. */
export async function stopPostgresUnder(folder: string): Promise<number> {
  const pids: number[] = [];
  for (const file of await postmasterPidFiles(folder)) {
    const pid = Number((await readFile(file, 'utf8').catch(() => '')).split('\n')[0]);
    if (Number.isInteger(pid) && pid > 0 && isRunning(pid) && commandName(pid) === 'postgres') {
      pids.push(pid);
    }
  }
  for (const pid of pids) signal(pid, 'SIGINT');
  let left = await waitUntilGone(pids, POSTGRES_GRACE_MS);
  for (const pid of left) signal(pid, 'SIGQUIT');
  left = await waitUntilGone(left, 3_000);
  for (const pid of left) signal(pid, 'SIGKILL');
  await waitUntilGone(left, 2_000);
  return pids.length;
}

/** Everything of one run: its processes, its PostgreSQL servers, its folder. */
export async function cleanUpRun(runId: string, root: string): Promise<void> {
  await stopMarkedProcesses(runId);
  await stopPostgresUnder(root);
  await rm(root, { recursive: true, force: true });
  // A PostgreSQL that ran as the postgres user may have left files root
  // could not see while it ran; one more pass after it stopped.
  if (existsSync(root)) spawnSync('rm', ['-rf', root]);
}

/**
 * Runs of the harness that died without cleaning up (SIGKILL): folders named
 * `<prefix>…` whose owner.pid is not running. Their run id is the folder's name.
 */
export async function sweepDeadRuns(prefix: string): Promise<void> {
  const base = tmpdir();
  for (const name of await readdir(base)) {
    if (!name.startsWith(prefix)) continue;
    const folder = join(base, name);
    const ownerText = await readFile(join(folder, 'owner.pid'), 'utf8').catch(() => undefined);
    if (ownerText === undefined) {
      // A run that is starting right now has not written its owner.pid yet.
      const made = await stat(folder).catch(() => undefined);
      if (made === undefined || Date.now() - made.mtimeMs < YOUNG_FOLDER_MS) continue;
    } else if (isRunning(Number(ownerText))) {
      continue;
    }
    await cleanUpRun(name, folder);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
