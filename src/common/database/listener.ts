import { Client, Notification } from 'pg';
import { COMMUNITY_SETTING, EVERY_COMMUNITY } from './tenancy';

/** A silent connection is checked this often; one that does not answer is replaced. */
const HEARTBEAT_MS = 15_000;
const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 10_000;

export interface ListenerOptions {
  /** The server and credentials of the pool. */
  connectionString: string | undefined;
  applicationName: string;
  channel: string;
  /**
   * What `query` may read: the rows of every community (events of all
   * communities are read together, each by its own community's keys) or,
   * by default, none (src/common/database/tenancy.ts).
   */
  readsEveryCommunity?: boolean;
  onNotification(payload: string | undefined): void;
  /** Listening (again): notifications sent while it was not are lost. */
  onListening(): void;
  /** The connection failed or ended; it is tried again after a pause. */
  onLost(error: unknown): void;
}

/**
 * One database connection that LISTENs on a channel, outside the pool: a
 * LISTEN lives as long as its connection, and a pooled one would go back
 * with it. PostgreSQL sends a notification only when the transaction that
 * made it commits, to every connection listening at that moment. A lost
 * connection is replaced, with a pause that doubles up to 10 s; a silent one
 * is checked every 15 s.
 */
export class DatabaseListener {
  private client: Client | undefined;
  private connected = false;
  private stopping = false;
  private heartbeat: NodeJS.Timeout | undefined;
  private reconnectDelay = RECONNECT_MIN_MS;

  constructor(private readonly options: ListenerOptions) {}

  get listening(): boolean {
    return this.connected;
  }

  /** The PostgreSQL backend of the listening connection (tests end it to see the recovery). */
  get backendPid(): number | undefined {
    return this.connected
      ? (this.client as unknown as { processID?: number }).processID
      : undefined;
  }

  /** Connects and listens; a failure is handled as a lost connection. */
  start(): Promise<void> {
    return this.connect();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.heartbeat);
    const client = this.client;
    this.client = undefined;
    this.connected = false;
    await client?.end().catch(() => undefined);
  }

  /**
   * Runs a statement on the listening connection. PostgreSQL delivers
   * notifications between statements, so reading does not lose any.
   */
  async query<T>(sql: string, parameters: unknown[]): Promise<T[]> {
    const client = this.client;
    if (client === undefined || !this.connected) {
      throw new Error('the database listener is not connected');
    }
    const result = await client.query(sql, parameters);
    return result.rows as T[];
  }

  private async connect(): Promise<void> {
    if (this.stopping) return;
    const client = new Client({
      connectionString: this.options.connectionString,
      application_name: this.options.applicationName,
      keepAlive: true,
    });
    this.client = client;
    client.on('notification', (message: Notification) => {
      if (message.channel === this.options.channel) this.options.onNotification(message.payload);
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, undefined));
    try {
      await client.connect();
      await client.query(`LISTEN ${this.options.channel}`);
      if (this.options.readsEveryCommunity === true) {
        await client.query('SELECT set_config($1, $2, false)', [
          COMMUNITY_SETTING,
          EVERY_COMMUNITY,
        ]);
      }
    } catch (error) {
      this.lost(client, error);
      return;
    }
    if (this.client !== client) return;
    this.connected = true;
    this.reconnectDelay = RECONNECT_MIN_MS;
    this.options.onListening();
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

  private lost(client: Client, error: unknown): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.connected = false;
    clearInterval(this.heartbeat);
    client.removeAllListeners('notification');
    client.end().catch(() => undefined);
    if (this.stopping) return;
    this.options.onLost(error);
    const delay = this.reconnectDelay;
    this.reconnectDelay = Math.min(this.reconnectDelay * 2, RECONNECT_MAX_MS);
    setTimeout(() => void this.connect(), delay).unref();
  }
}
