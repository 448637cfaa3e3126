/**
 * One line of progress per phase on stderr, stamped with the seconds since
 * the benchmark started, so that a slow phase is easy to spot.
 */
const startedAt = Date.now();

export function progress(line: string): void {
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`bench [${seconds} s] ${line}\n`);
}

export function elapsedSeconds(): number {
  return (Date.now() - startedAt) / 1000;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
