import { ConnectionTally, GroupSizes, StatementProfile } from './database';
import { Machine } from './machine';
import type { NotificationOutcome } from '../scenarios/notifications';

/**
 * Everything one `npm run bench` measured, from which RESULTS.md is written.
 * A scenario that could not run carries the reason instead of figures; the
 * file says "not measured" for it rather than inventing a number.
 */

export type ThroughputScenario =
  | 'baselineUniform'
  | 'baselineHot'
  | 'uniform'
  | 'single'
  | 'batch'
  | 'hot'
  | 'uniformPool32'
  | 'floorAnonymous'
  | 'floorAuthenticated';

export interface ThroughputRun {
  /** Transfers per second; requests per second for the request-cost runs. */
  transfersPerSecond: number;
  /** Latency of one request (one transfer, or one batch); none for pgbench. */
  latencyP50Ms?: number;
  latencyP99Ms?: number;
  /** pgbench's average latency. */
  latencyAverageMs?: number;
  requests: number;
  failedRequests: number;
  problems: Array<{ problem: string; count: number }>;
  /** CPU time per transfer of the Mutua server process. */
  serverCpuMsPerTransfer?: number;
  /** CPU time per transfer of PostgreSQL (postmaster and its backends). */
  postgresCpuMsPerTransfer?: number;
  /** CPU time per transfer of the load generator. */
  loadCpuMsPerTransfer?: number;
  /** How busy the machine's cores were, 0 to 100. */
  machineBusyPercent: number;
  /** Group commit: transfers per posting transaction in the measured window. */
  groups?: GroupSizes;
}

export type Measured<Figure> = { runs: Figure[] } | { notMeasured: string };

export interface ReportQuery {
  /** A short name, also the plan file's name. */
  name: string;
  description: string;
  /** The GraphQL operation, for the plans file. */
  operation: string;
  outcome: Measured<number>;
  /** Where its EXPLAIN ANALYZE plans were saved, relative to bench/. */
  planFile?: string;
  /** Execution time of all its statements together, from auto_explain. */
  databaseMs?: number;
  /** How many statements one request ran. */
  statements?: number;
  /** CPU time of the Mutua server per request. */
  serverCpuMs?: number;
  /** Size of the answer, to show what a figure includes. */
  responseBytes?: number;
}

export type ReportsOutcome = { queries: ReportQuery[] } | { notMeasured: string };

export interface BenchResults {
  startedAt: Date;
  durationSeconds: number;
  machine: Machine;
  /** The machine's one-minute load average when the run started and ended. */
  loadAverage: { start: number; end: number };
  settings: {
    concurrency: number;
    runSeconds: number;
    warmupSeconds: number;
    rounds: number;
    members: number;
    reportEntries: number;
    reportAccounts: number;
    poolSize: number;
    postgresSettings: string;
  };
  throughput: Partial<Record<ThroughputScenario, Measured<ThroughputRun>>>;
  reports: ReportsOutcome;
  reportSeedSeconds?: number;
  /** Live payment notifications (--only=notify). */
  notifications?: NotificationOutcome;
  memory: {
    restBytes?: number;
    peakDuringWarmUpBytes?: number;
    peakUnderLoadBytes?: number;
    peakDuringReportsBytes?: number;
    lifetimePeakBytes?: number;
  };
  profile?: {
    statements?: StatementProfile;
    batchStatements?: StatementProfile;
    baselineStatements?: StatementProfile;
    connections?: ConnectionTally;
  };
  notes: string[];
}
