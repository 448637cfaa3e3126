/**
 * Summarises a V8 CPU profile of the server (from `npm run bench --
 * --cpu-prof`) by package: where the server's CPU time went, without opening
 * Chrome DevTools.
 *
 *   npx ts-node bench/profile-summary.ts bench/results/profiles/CPU.*.cpuprofile [--last=SECONDS]
 *
 * Each sample is charged to the innermost frame that belongs to a package of
 * node_modules or to Mutua's own code (dist/src/…), so that time spent in
 * Node's internals (a socket write, a hash) counts for the code that asked
 * for it. `--last` keeps only the final seconds of the profile, to leave out
 * start-up and seeding.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const SPECIAL_FRAMES = new Set(['(idle)', '(garbage collector)', '(program)']);

function owner(url: string): string | undefined {
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dependency !== null) return dependency[1];
  const mutua = /\/dist\/src\/(.+)$/.exec(url);
  return mutua === null ? undefined : `mutua ${mutua[1]}`;
}

function summarise(profile: CpuProfile, lastSeconds: number | undefined): Array<[string, number]> {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parents.set(child, node.id);
  }
  const cutoff = lastSeconds === undefined ? -Infinity : profile.endTime - lastSeconds * 1_000_000;
  const byOwner = new Map<string, number>();
  let time = profile.startTime;
  profile.samples.forEach((sample, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    time += delta;
    if (time < cutoff) return;
    const leaf = nodes.get(sample);
    if (leaf === undefined) return;
    let label = SPECIAL_FRAMES.has(leaf.callFrame.functionName)
      ? leaf.callFrame.functionName
      : undefined;
    for (let id: number | undefined = sample; label === undefined && id !== undefined;) {
      label = owner(nodes.get(id)?.callFrame.url ?? '');
      id = parents.get(id);
    }
    label ??= `node internals (${leaf.callFrame.functionName || 'anonymous'})`;
    byOwner.set(label, (byOwner.get(label) ?? 0) + delta);
  });
  return [...byOwner].sort((a, b) => b[1] - a[1]);
}

function main(): void {
  const files = process.argv.slice(2).filter((argument) => !argument.startsWith('--'));
  const last = process.argv.find((argument) => argument.startsWith('--last='));
  const lastSeconds = last === undefined ? undefined : Number(last.slice('--last='.length));
  if (files.length === 0) {
    process.stderr.write(
      'usage: ts-node bench/profile-summary.ts FILE.cpuprofile [--last=SECONDS]\n',
    );
    process.exit(2);
  }
  for (const file of files) {
    const rows = summarise(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, lastSeconds);
    const total = rows.reduce((sum, [, microseconds]) => sum + microseconds, 0);
    process.stdout.write(`${file}: ${(total / 1_000_000).toFixed(1)} s sampled\n`);
    for (const [label, microseconds] of rows.slice(0, 25)) {
      process.stdout.write(
        `${((100 * microseconds) / total).toFixed(1).padStart(6)} %  ${label}\n`,
      );
    }
  }
}

main();
