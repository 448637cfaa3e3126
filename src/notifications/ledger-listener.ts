import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client, Notification } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig } from '../common/config/app-config';
import { NotificationHub, parseLedgerEvent } from './notification-hub';

export const LEDGER_CHANNEL = 'mutua_entries';
/** A silent connection is checked this often; one that does not answer is replaced. */
const HEARTBEAT_MS = 15_000;
const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 10_000;

/**
 * The one database connection per server process that LISTENs for posted
 * entries (see migration EntryNotifications) and hands them to this
 * process's subscribers. It is not taken from the pool: a LISTEN lives as
 * long as its connection, and a pooled one would go back with it.
 *
 * PostgreSQL sends a notification only when the transaction that made it
 * commits, to every connection listening at that moment, in commit order;
 * that is how a payment posted by one process reaches a till connected to
 * another. While this connection is down, notifications are lost for this
 * process: so every stream breaks when it goes (subscribers reconnect and
 * catch up from their cursors), and new subscriptions wait until it is back.
 */
@Injectable()
export class LedgerListener implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(LedgerListener.name);
  private client: Client | undefined;
  private connected = false;
  private stopping = false;
  private heartbeat: NodeJS.Timeout | undefined;
  private reconnectDelay = RECONNECT_MIN_MS;
  private readonly waiters = new Set<() => void>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly hub: NotificationHub,
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
    this.connected = false;
    await client?.end().catch(() => undefined);
  }

  /** Resolves once the connection listens, or false after `timeoutMs`. */
  ready(timeoutMs: number): Promise<boolean> {
    if (this.connected) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (value: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(onReady);
        resolve(value);
      };
      const onReady = () => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.waiters.add(onReady);
    });
  }

  get listening(): boolean {
    return this.connected;
  }

  /**
   * Runs a statement on the listening connection: what an event needs is
   * read here, in bursts, rather than queued behind requests for the pool.
   * PostgreSQL delivers notifications between statements, so reading does
   * not lose any.
   */
  async query<T>(sql: string, parameters: unknown[]): Promise<T[]> {
    const client = this.client;
    if (client === undefined || !this.connected) {
      throw new Error('the database listener is not connected');
    }
    const result = await client.query(sql, parameters);
    return result.rows as T[];
  }

  /** The PostgreSQL backend of the listening connection (tests end it to see the recovery). */
  get backendPid(): number | undefined {
    return this.connected
      ? (this.client as unknown as { processID?: number }).processID
      : undefined;
  }

  private async connect(): Promise<void> {
    if (this.stopping) return;
    // The same server and credentials as the pool (dataSourceOptions sets `url`).
    const options = this.dataSource.options as { url?: string };
    const client = new Client({
      connectionString: options.url,
      application_name: `${this.config.get('DATABASE_APPLICATION_NAME', { infer: true })}-listener`,
      keepAlive: true,
    });
    this.client = client;
    client.on('notification', (message: Notification) => this.onNotification(message));
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, undefined));
    try {
      await client.connect();
      await client.query(`LISTEN ${LEDGER_CHANNEL}`);
    } catch (error) {
      this.lost(client, error);
      return;
    }
    if (this.client !== client) return;
    this.connected = true;
    this.reconnectDelay = RECONNECT_MIN_MS;
    for (const waiter of [...this.waiters]) waiter();
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
    if (message.channel !== LEDGER_CHANNEL || message.payload === undefined) return;
    const event = parseLedgerEvent(message.payload);
    if (event === undefined) {
      this.logger.warn({ payload: message.payload }, 'ignoring a malformed ledger notification');
      return;
    }
    this.hub.dispatch(event);
  }

  /** The connection failed or ended: break every stream, then listen again after a pause. */
  private lost(client: Client, error: unknown): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.connected = false;
    clearInterval(this.heartbeat);
    client.removeAllListeners('notification');
    client.end().catch(() => undefined);
    if (this.stopping) return;
    this.logger.warn(
      { err: error },
      'lost the connection that listens for posted entries: live subscribers will reconnect',
    );
    this.hub.interruptAll();
    const delay = this.reconnectDelay;
    this.reconnectDelay = Math.min(this.reconnectDelay * 2, RECONNECT_MAX_MS);
    setTimeout(() => void this.connect(), delay).unref();
  }
}
