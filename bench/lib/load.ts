import { GraphQLClient, GraphQLResponse } from './graphql';
import { percentileOfSorted } from './stats';

/**
 * A closed-loop load generator: `concurrency` workers each send one request,
 * wait for its answer and send the next, until the time is up. That is how
 * pgbench drives the baseline too (`--client`), so the two throughputs are
 * measured the same way. Requests that are still in flight when the
 * measured window closes are awaited but not counted: a request counts when
 * its answer arrives inside the window.
 *
 * A warm-up period before the window lets the server's JIT, connection pool
 * and PostgreSQL's caches settle; its requests are neither counted nor timed.
 */

export interface LoadRequest {
  /** The JSON body to POST. */
  body: string;
  /** How many transfers it carries (1, or the batch size). */
  operations: number;
}

export interface LoadOptions {
  client: GraphQLClient;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  /** The next request of a worker; `sequence` counts that worker's requests. */
  nextRequest: (worker: number, sequence: number) => LoadRequest;
  /** A problem with a response, or undefined when it did what was asked. */
  check: (response: GraphQLResponse<unknown>) => string | undefined;
  /** Called when the measured window opens and when it closes, to read counters. */
  onWindowStart?: () => void;
  onWindowEnd?: () => void;
}

export interface LoadResult {
  requests: number;
  /** Transfers that succeeded inside the measured window. */
  operations: number;
  /** Transfers that succeeded during the whole run, warm-up included. */
  allOperations: number;
  failedRequests: number;
  /** Up to five distinct problems, with how often each was seen. */
  problems: Array<{ problem: string; count: number }>;
  durationMs: number;
  operationsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  const problemCounts = new Map<string, number>();
  let requests = 0;
  let operations = 0;
  let allOperations = 0;
  let failedRequests = 0;

  const startedAt = performance.now();
  const windowStart = startedAt + options.warmupMs;
  const windowEnd = windowStart + options.durationMs;

  // Each callback runs once: by its timer, or when the load ends first (the last
  // request can return a moment before a timer's turn comes).
  const fired = { start: false, end: false };
  const windowStarts = (): void => {
    if (fired.start) return;
    fired.start = true;
    options.onWindowStart?.();
  };
  const windowEnds = (): void => {
    if (fired.end) return;
    windowStarts();
    fired.end = true;
    options.onWindowEnd?.();
  };
  const startTimer = setTimeout(windowStarts, options.warmupMs);
  const endTimer = setTimeout(windowEnds, options.warmupMs + options.durationMs);

  const worker = async (index: number): Promise<void> => {
    for (let sequence = 0; performance.now() < windowEnd; sequence += 1) {
      const next = options.nextRequest(index, sequence);
      const sentAt = performance.now();
      let problem: string | undefined;
      try {
        const { status, text } = await options.client.post(next.body);
        problem =
          status === 200
            ? options.check(JSON.parse(text) as GraphQLResponse<unknown>)
            : `HTTP ${status}: ${text.slice(0, 200)}`;
      } catch (error) {
        problem = error instanceof Error ? error.message : String(error);
      }
      const answeredAt = performance.now();
      if (problem === undefined) allOperations += next.operations;
      if (answeredAt < windowStart || answeredAt > windowEnd) continue;
      requests += 1;
      latenciesMs.push(answeredAt - sentAt);
      if (problem === undefined) {
        operations += next.operations;
      } else {
        failedRequests += 1;
        problemCounts.set(problem, (problemCounts.get(problem) ?? 0) + 1);
      }
    }
  };

  try {
    await Promise.all(Array.from({ length: options.concurrency }, (_, index) => worker(index)));
  } finally {
    clearTimeout(startTimer);
    clearTimeout(endTimer);
    windowEnds();
  }

  const sorted = Float64Array.from(latenciesMs).sort();
  const problems = [...problemCounts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([problem, count]) => ({ problem, count }));
  return {
    requests,
    operations,
    allOperations,
    failedRequests,
    problems,
    durationMs: options.durationMs,
    operationsPerSecond: operations / (options.durationMs / 1000),
    latencyP50Ms: percentileOfSorted(sorted, 50),
    latencyP99Ms: percentileOfSorted(sorted, 99),
  };
}

/** The first GraphQL error of a response as `CODE: message`, or undefined. */
export function firstError(response: GraphQLResponse<unknown>): string | undefined {
  const error = response.errors?.[0];
  if (error === undefined) return undefined;
  return `${error.extensions?.code ?? 'ERROR'}: ${error.message.slice(0, 200)}`;
}
