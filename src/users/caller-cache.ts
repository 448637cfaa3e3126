import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../common/config/app-config';
import { DatabaseListener } from '../common/database/listener';
import { Role, UserStatus } from '../access/role';

/** Channel of migration CallerChanges: "community user" when what a token stands for changes. */
export const CALLER_CHANNEL = 'mutua_callers';

/** What a login token is checked against on every request. */
export interface CallerState {
  role: Role;
  status: UserStatus;
  tokenVersion: number;
}

/** Callers kept at most; the least recently used goes first. */
export const MAX_CACHED_CALLERS = 10_000;
/** A caller is read again after this long even without a notification. */
export const CALLER_MAX_AGE_MS = 5 * 60_000;

interface Cached {
  state: CallerState;
  at: number;
}

/**
 * The users behind login tokens, kept in memory so that an authenticated
 * request does not read its caller's row every time (it was the one
 * statement of a transfer request outside the posting path's groups).
 *
 * The database says when to forget: migration CallerChanges notifies
 * `mutua_callers` whenever a user's role, status or token version changes,
 * and this process listens on a connection of its own. A change made here
 * is forgotten at once, after its commit (`forget`); one made by another
 * process or by hand-written SQL as soon as its notification arrives,
 * normally within milliseconds of the commit. While the listening
 * connection is down nothing is served from memory (every request reads the
 * row, as without the cache), and everything is forgotten when it is back,
 * since notifications sent meanwhile are lost.
 *
 * A read that started before a forget is not kept (`generation`), so a row
 * read just before a revocation cannot outlive it in memory.
 */
@Injectable()
export class CallerCache implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(CallerCache.name);
  private readonly callers = new Map<string, Cached>();
  private generation = 0;
  private readonly listener: DatabaseListener;

  constructor(@InjectDataSource() dataSource: DataSource, config: ConfigService<AppConfig, true>) {
    this.listener = new DatabaseListener({
      connectionString: (dataSource.options as { url?: string }).url,
      applicationName: `${config.get('DATABASE_APPLICATION_NAME', { infer: true })}-callers`,
      channel: CALLER_CHANNEL,
      onNotification: (payload) => this.onNotification(payload),
      onListening: () => this.forgetAll(),
      onLost: (error) => {
        this.forgetAll();
        this.logger.warn(
          { err: error },
          'lost the connection that listens for changed users: every request reads its caller until it is back',
        );
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.listener.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.listener.stop();
    this.callers.clear();
  }

  private get listening(): boolean {
    return this.listener.listening;
  }

  /** Whether callers are served from memory now (tests wait for it). */
  get active(): boolean {
    return this.listening;
  }

  /** The PostgreSQL backend of the listening connection (tests end it to see the recovery). */
  get backendPid(): number | undefined {
    return this.listener.backendPid;
  }

  /** How many callers are in memory. */
  get size(): number {
    return this.callers.size;
  }

  /** The caller's state, from memory when it may be, else from `read`. */
  async get(
    communityId: string,
    userId: string,
    read: () => Promise<CallerState | undefined>,
  ): Promise<CallerState | undefined> {
    const key = keyOf(communityId, userId);
    const cached = this.callers.get(key);
    if (cached !== undefined && this.listening && Date.now() - cached.at < CALLER_MAX_AGE_MS) {
      this.callers.delete(key);
      this.callers.set(key, cached);
      return cached.state;
    }
    const generation = this.generation;
    const state = await read();
    if (state === undefined) {
      this.callers.delete(key);
    } else if (this.listening && generation === this.generation) {
      this.callers.delete(key);
      this.callers.set(key, { state, at: Date.now() });
      if (this.callers.size > MAX_CACHED_CALLERS) {
        const oldest = this.callers.keys().next().value as string;
        this.callers.delete(oldest);
      }
    }
    return state;
  }

  /** Call after committing a change of the user's role, status or token version. */
  forget(communityId: string, userId: string): void {
    this.generation += 1;
    this.callers.delete(keyOf(communityId, userId));
  }

  private forgetAll(): void {
    this.generation += 1;
    this.callers.clear();
  }

  private onNotification(payload: string | undefined): void {
    const [communityId, userId] = (payload ?? '').split(' ');
    if (communityId === undefined || userId === undefined || userId === '') {
      this.forgetAll();
      return;
    }
    this.forget(communityId, userId);
  }
}

function keyOf(communityId: string, userId: string): string {
  return `${communityId} ${userId}`;
}
