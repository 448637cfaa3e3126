import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client, Notification } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig } from '../common/config/app-config';
import { Role, UserStatus } from './role';

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
const HEARTBEAT_MS = 15_000;
const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 10_000;

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
  private client: Client | undefined;
  private listening = false;
  private stopping = false;
  private heartbeat: NodeJS.Timeout | undefined;
  private reconnectDelay = RECONNECT_MIN_MS;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.connect();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    clearInterval(this.heartbeat);
    const client = this.client;
    this.client = undefined;
    this.listening = false;
    this.callers.clear();
    await client?.end().catch(() => undefined);
  }

  /** Whether callers are served from memory now (tests wait for it). */
  get active(): boolean {
    return this.listening;
  }

  /** The PostgreSQL backend of the listening connection (tests end it to see the recovery). */
  get backendPid(): number | undefined {
    return this.listening
      ? (this.client as unknown as { processID?: number }).processID
      : undefined;
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

  private async connect(): Promise<void> {
    if (this.stopping) return;
    const options = this.dataSource.options as { url?: string };
    const client = new Client({
      connectionString: options.url,
      application_name: `${this.config.get('DATABASE_APPLICATION_NAME', { infer: true })}-callers`,
      keepAlive: true,
    });
    this.client = client;
    client.on('notification', (message: Notification) => this.onNotification(message));
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, undefined));
    try {
      await client.connect();
      await client.query(`LISTEN ${CALLER_CHANNEL}`);
    } catch (error) {
      this.lost(client, error);
      return;
    }
    if (this.client !== client) return;
    this.forgetAll();
    this.listening = true;
    this.reconnectDelay = RECONNECT_MIN_MS;
    clearInterval(this.heartbeat);
    this.heartbeat = setInterval(() => {
      const timeout = setTimeout(
        () => this.lost(client, new Error('heartbeat timed out')),
        HEARTBEAT_MS,
      );
      client.query('SELECT 1').then(
        () => clearTimeout(timeout),
        (error: unknown) => {
          clearTimeout(timeout);
          this.lost(client, error);
        },
      );
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  private onNotification(message: Notification): void {
    if (message.channel !== CALLER_CHANNEL) return;
    const [communityId, userId] = (message.payload ?? '').split(' ');
    if (communityId === undefined || userId === undefined || userId === '') {
      this.forgetAll();
      return;
    }
    this.forget(communityId, userId);
  }

  /** The connection failed or ended: serve nothing from memory until listening again. */
  private lost(client: Client, error: unknown): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.listening = false;
    this.forgetAll();
    clearInterval(this.heartbeat);
    client.removeAllListeners('notification');
    client.end().catch(() => undefined);
    if (this.stopping) return;
    this.logger.warn(
      { err: error },
      'lost the connection that listens for changed users: every request reads its caller until it is back',
    );
    const delay = this.reconnectDelay;
    this.reconnectDelay = Math.min(this.reconnectDelay * 2, RECONNECT_MAX_MS);
    setTimeout(() => void this.connect(), delay).unref();
  }
}

function keyOf(communityId: string, userId: string): string {
  return `${communityId} ${userId}`;
}
