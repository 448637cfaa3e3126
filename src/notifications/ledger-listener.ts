import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../common/config/app-config';
import { DatabaseListener } from '../common/database/listener';
import { NotificationHub, parseLedgerEvent } from './notification-hub';

export const LEDGER_CHANNEL = 'mutua_entries';

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
  private readonly listener: DatabaseListener;
  private readonly waiters = new Set<() => void>();

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly hub: NotificationHub,
    config: ConfigService<AppConfig, true>,
  ) {
    this.listener = new DatabaseListener({
      // The same server and credentials as the pool (dataSourceOptions sets `url`).
      connectionString: (dataSource.options as { url?: string }).url,
      applicationName: `${config.get('DATABASE_APPLICATION_NAME', { infer: true })}-listener`,
      channel: LEDGER_CHANNEL,
      // Payments of every community are read here in batches, each by its keys.
      readsEveryCommunity: true,
      onNotification: (payload) => this.onNotification(payload),
      onListening: () => {
        for (const waiter of [...this.waiters]) waiter();
      },
      onLost: (error) => {
        this.logger.warn(
          { err: error },
          'lost the connection that listens for posted entries: live subscribers will reconnect',
        );
        this.hub.interruptAll();
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.listener.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.listener.stop();
  }

  /** Resolves once the connection listens, or false after `timeoutMs`. */
  ready(timeoutMs: number): Promise<boolean> {
    if (this.listener.listening) return Promise.resolve(true);
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
    return this.listener.listening;
  }

  /**
   * Runs a statement on the listening connection: what an event needs is
   * read here, in bursts, rather than queued behind requests for the pool.
   */
  query<T>(sql: string, parameters: unknown[]): Promise<T[]> {
    return this.listener.query<T>(sql, parameters);
  }

  /** The PostgreSQL backend of the listening connection (tests end it to see the recovery). */
  get backendPid(): number | undefined {
    return this.listener.backendPid;
  }

  private onNotification(payload: string | undefined): void {
    if (payload === undefined) return;
    const event = parseLedgerEvent(payload);
    if (event === undefined) {
      this.logger.warn({ payload }, 'ignoring a malformed ledger notification');
      return;
    }
    this.hub.dispatch(event);
  }
}
