import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EntityManager } from 'typeorm';
import { sqlState } from '../common/database/postgres-errors';
import { AppConfig } from '../common/config/app-config';
import { CommandResult, PlannedTransfer, PostingCommand } from '../ledger';
import { LedgerStore, transferEntityOf } from './ledger-store';
import { TransferEntity } from './transfer.entity';

/**
 * The posting path's front door, with group commit.
 *
 * Commands are not posted one transaction each. Each community has a lane:
 * while a lane's transaction runs, the commands that arrive wait in it, and
 * when the transaction ends the next one takes everything waiting (up to
 * MAX_GROUP_TRANSFERS transfers) as one group: one transaction that locks
 * all their accounts in one statement, plans them in order with the pure
 * planner and writes them in one statement (ledger-store.ts). Callers are
 * answered only after the commit. An idle lane starts a command at once, so
 * a lone command waits for no timer. A hot account touched by thirty waiting
 * transfers is locked once, not thirty times.
 *
 * Lanes of different communities run in parallel, at most
 * `maxConcurrentGroups` at a time (each holds a pooled connection), taking
 * turns: a lane that still has commands after its group goes behind the
 * lanes already waiting, so that one busy community cannot keep another
 * from posting. Every transaction stays within one community. Several server processes each run
 * their own lanes, and the row locks order them.
 *
 * A group whose transaction fails with anything but a connection failure is
 * posted again command by command, so that one bad command (a write the
 * database refuses, a bug) fails alone; a command that fails on its own is
 * answered with its error. Serialization failures and deadlocks are retried
 * inside the store. A caller that goes away does not cancel its command: it
 * posts or fails like the others, and a retry with the same idempotency key
 * finds it.
 */

/** The most transfers one group may plan; an atomic batch counts all its transfers. */
export const MAX_GROUP_TRANSFERS = 1000;

interface Waiting {
  command: PostingCommand;
  weight: number;
  resolve: (result: CommandResult) => void;
  reject: (error: unknown) => void;
}

interface Lane {
  communityId: string;
  waiting: Waiting[];
  busy: boolean;
  queued: boolean;
}

/** What a group's transaction looked like, for the benchmark and the logs. */
export interface PostingStats {
  groups: number;
  commands: number;
  largestGroup: number;
  fallbacks: number;
}

@Injectable()
export class PostingService implements OnModuleDestroy {
  private readonly logger = new Logger(PostingService.name);
  private readonly lanes = new Map<string, Lane>();
  private readonly ready: Lane[] = [];
  private running = 0;
  private readonly maxConcurrentGroups: number;
  private idle: Array<() => void> = [];
  readonly stats: PostingStats = { groups: 0, commands: 0, largestGroup: 0, fallbacks: 0 };

  constructor(
    private readonly store: LedgerStore,
    config: ConfigService<AppConfig, true>,
  ) {
    const poolSize = config.get('DATABASE_POOL_SIZE', { infer: true });
    // Leave connections for reads and for commands that run in a caller's transaction.
    this.maxConcurrentGroups = Math.max(1, Math.floor(poolSize / 2));
  }

  /** Posts one command through its community's lane; resolves after the commit. */
  post(communityId: string, command: PostingCommand): Promise<CommandResult> {
    return new Promise((resolve, reject) => {
      const lane = this.laneOf(communityId);
      lane.waiting.push({ command, weight: weightOf(command), resolve, reject });
      this.schedule(lane);
    });
  }

  /** Several independent commands; each stands or falls alone, answered in order. */
  postEach(communityId: string, commands: readonly PostingCommand[]): Promise<CommandResult[]> {
    const lane = this.laneOf(communityId);
    const answers = commands.map(
      (command) =>
        new Promise<CommandResult>((resolve, reject) =>
          lane.waiting.push({ command, weight: weightOf(command), resolve, reject }),
        ),
    );
    // Queued together, they go in one group when the lane is idle.
    this.schedule(lane);
    return Promise.all(answers);
  }

  /**
   * One command inside a transaction the caller owns (a fund's vote that
   * settles a disbursement under its own locks): no lane, no retry, no commit.
   */
  async postWithin(
    manager: EntityManager,
    communityId: string,
    commands: readonly PostingCommand[],
  ): Promise<CommandResult[]> {
    const { results } = await this.store.postWithin(manager, communityId, commands);
    return results;
  }

  /** Waits for every group in flight (used when the server shuts down). */
  async onModuleDestroy(): Promise<void> {
    if (this.running === 0 && this.ready.length === 0) return;
    await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  private laneOf(communityId: string): Lane {
    let lane = this.lanes.get(communityId);
    if (lane === undefined) {
      lane = { communityId, waiting: [], busy: false, queued: false };
      this.lanes.set(communityId, lane);
    }
    return lane;
  }

  private schedule(lane: Lane): void {
    if (lane.busy || lane.queued || lane.waiting.length === 0) return;
    if (this.running < this.maxConcurrentGroups) {
      this.start(lane);
    } else {
      lane.queued = true;
      this.ready.push(lane);
    }
  }

  private start(lane: Lane): void {
    lane.busy = true;
    this.running += 1;
    let weight = 0;
    let count = 0;
    while (count < lane.waiting.length) {
      const next = lane.waiting[count].weight;
      if (count > 0 && weight + next > MAX_GROUP_TRANSFERS) break;
      weight += next;
      count += 1;
    }
    const group = lane.waiting.splice(0, count);
    void this.runGroup(lane.communityId, group).finally(() => {
      lane.busy = false;
      this.running -= 1;
      if (lane.waiting.length === 0) {
        this.lanes.delete(lane.communityId);
      } else {
        // Behind the lanes already waiting: a community that never runs out
        // of commands must not keep the others from their turn.
        lane.queued = true;
        this.ready.push(lane);
      }
      while (this.running < this.maxConcurrentGroups && this.ready.length > 0) {
        const next = this.ready.shift()!;
        next.queued = false;
        this.schedule(next);
      }
      if (this.running === 0 && this.ready.length === 0) {
        const idle = this.idle;
        this.idle = [];
        idle.forEach((resolve) => resolve());
      }
    });
  }

  private async runGroup(communityId: string, group: Waiting[]): Promise<void> {
    this.stats.groups += 1;
    this.stats.commands += group.length;
    this.stats.largestGroup = Math.max(this.stats.largestGroup, group.length);
    try {
      const { results } = await this.store.postGroup(
        communityId,
        group.map((item) => item.command),
      );
      group.forEach((item, index) => item.resolve(results[index]));
    } catch (error) {
      if (group.length === 1 || isConnectionFailure(error)) {
        group.forEach((item) => item.reject(error));
        return;
      }
      this.stats.fallbacks += 1;
      this.logger.warn(
        { err: error, commands: group.length },
        'a group of ledger commands failed; posting them one by one',
      );
      for (const item of group) {
        try {
          const { results } = await this.store.postGroup(communityId, [item.command]);
          item.resolve(results[0]);
        } catch (alone) {
          item.reject(alone);
        }
      }
    }
  }
}

function weightOf(command: PostingCommand): number {
  return command.type === 'ATOMIC_BATCH' ? Math.max(1, command.transfers.length) : 1;
}

/** The connection or the server is gone: posting the commands one by one would not help. */
function isConnectionFailure(error: unknown): boolean {
  const state = sqlState(error);
  if (state === undefined) {
    const code = (error as { code?: unknown } | null)?.code;
    return typeof code === 'string' && /^E[A-Z]+$/.test(code);
  }
  return /^(08|53|57|58)/.test(state);
}

/** The transfer a command answers with: the last one it created, settled or found. */
export function answerOf(result: CommandResult): TransferEntity {
  switch (result.outcome) {
    case 'APPLIED':
    case 'REPLAYED':
      return transferEntityOf(result.transfers[result.transfers.length - 1]);
    case 'REFUSED':
      throw result.error;
    case 'NOTHING':
      throw new Error('a command that did nothing has no transfer to answer with');
  }
}

/** Every transfer of a command, in order. */
export function transfersOf(result: CommandResult): TransferEntity[] {
  switch (result.outcome) {
    case 'APPLIED':
    case 'REPLAYED':
      return result.transfers.map((transfer: PlannedTransfer) => transferEntityOf(transfer));
    case 'REFUSED':
      throw result.error;
    case 'NOTHING':
      return [];
  }
}
