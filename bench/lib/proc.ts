import { readdirSync, readFileSync } from 'node:fs';

/**
 * Memory and CPU time of processes, read from Linux's /proc. They show where
 * the two cores go during a run: the Mutua server, PostgreSQL's backends, or
 * the load generator itself.
 */

export interface MemorySample {
  /** Resident set size now, in bytes. */
  rssBytes: number;
  /** The highest resident set size since the process started, in bytes. */
  peakRssBytes: number;
}

/** VmRSS and VmHWM of a process. */
export function readMemory(pid: number): MemorySample {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kilobytes = (field: string): number => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match === null ? 0 : Number(match[1]) * 1024;
  };
  return { rssBytes: kilobytes('VmRSS'), peakRssBytes: kilobytes('VmHWM') };
}

/**
 * Samples a process's resident memory every `intervalMs` until the returned
 * function is called, which gives the highest VmRSS seen: the peak during one
 * phase, which VmHWM (the peak over the process's whole life) cannot give.
 */
export function sampleMemory(pid: number, intervalMs = 200): () => number {
  let highest = readMemory(pid).rssBytes;
  const timer = setInterval(() => {
    try {
      highest = Math.max(highest, readMemory(pid).rssBytes);
    } catch {
      // The process has exited; keep what was seen.
    }
  }, intervalMs);
  return () => {
    clearInterval(timer);
    return highest;
  };
}

/** Linux reports CPU time in clock ticks of 1/100 s on every common platform. */
const CLOCK_TICKS_PER_SECOND = 100;

interface ProcessStat {
  parentPid: number;
  /** User plus system time of the process itself. */
  cpuMs: number;
  /** User plus system time of its children that have exited and been waited for. */
  exitedChildrenCpuMs: number;
}

function readStat(pid: number | 'self'): ProcessStat | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name is in parentheses and may contain spaces; the fields
  // after it start with the state (field 3), so the parent is field 4, user
  // and system time are fields 14 and 15, and those of exited children 16
  // and 17.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ms = (ticks: number): number => (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
  return {
    parentPid: Number(fields[1]),
    cpuMs: ms(Number(fields[11]) + Number(fields[12])),
    exitedChildrenCpuMs: ms(Number(fields[13]) + Number(fields[14])),
  };
}

/** User plus system CPU time a process has used, in milliseconds. */
export function readCpuMs(pid: number): number {
  return readStat(pid)?.cpuMs ?? 0;
}

/**
 * CPU time of a process and all its children, living and exited, such as
 * the postmaster and its backends. The difference of two readings is exact
 * even when backends come and go in between: an exited child's time moves
 * into its parent's count of exited children.
 */
export function readTreeCpuMs(pid: number): number {
  const parent = readStat(pid);
  let total = (parent?.cpuMs ?? 0) + (parent?.exitedChildrenCpuMs ?? 0);
  for (const name of readdirSync('/proc')) {
    const childPid = Number(name);
    if (!Number.isInteger(childPid)) continue;
    const stat = readStat(childPid);
    if (stat !== undefined && stat.parentPid === pid) total += stat.cpuMs;
  }
  return total;
}

/** CPU time of this process's children that have exited, such as a finished pgbench. */
export function readExitedChildrenCpuMs(): number {
  return readStat('self')?.exitedChildrenCpuMs ?? 0;
}

/** Busy and total CPU time of the whole machine, summed over all cores, in ticks. */
export function readMachineCpu(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const total = values.reduce((sum, value) => sum + value, 0);
  // Fields 4 and 5 are idle and iowait.
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  return { busy: total - idle, total };
}
