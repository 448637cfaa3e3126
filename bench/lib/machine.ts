import { spawnSync } from 'node:child_process';
import { cpus, release, totalmem } from 'node:os';
import { join } from 'node:path';

/** What the figures were measured on, for the head of RESULTS.md. */
export interface Machine {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  kernel: string;
  node: string;
  postgres: string;
  pgbench: string;
}

export function describeMachine(binDir: string, pgbenchPath: string | undefined): Machine {
  const processors = cpus();
  return {
    cores: processors.length,
    cpuModel: processors[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    kernel: `Linux ${release()}`,
    node: process.version,
    postgres: versionOf(join(binDir, 'postgres')),
    pgbench: pgbenchPath === undefined ? 'not installed' : versionOf(pgbenchPath),
  };
}

function versionOf(binary: string): string {
  const result = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : 'unknown';
}
