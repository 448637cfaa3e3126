import type { Server } from 'node:http';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppConfig, ConfigError, loadConfig } from './common/config/app-config';
import { EmbeddedDatabase, startEmbeddedDatabase } from './common/database/embedded-database';

/**
 * The server process, as `npm start` (scripts/start.js) and the Docker image
 * run it.
 *
 * Start-up: validate the configuration (one clear line and exit 1 when it is
 * wrong), find the database (DATABASE_URL, else the embedded one), apply
 * migrations, then serve. The framework's code (Nest, Apollo, TypeORM) is
 * loaded while the embedded PostgreSQL boots, so the two overlap.
 *
 * Stop: SIGTERM or SIGINT, at any moment, even during start-up. A repeated
 * signal changes nothing (a Ctrl-C under `npm start` arrives twice: from the
 * terminal and forwarded by npm). The stop has SHUTDOWN_TIMEOUT_MS in all:
 * stop accepting, let in-flight requests finish (all but the last three
 * seconds of it), close the pool, stop the embedded database cleanly, exit 0.
 * Past the budget the embedded database is stopped immediately (it recovers
 * from its write-ahead log at the next start) and the process exits 1.
 */

/** Kept from the stop budget for closing the pool and stopping the embedded database. */
const CLOSE_RESERVE_MS = 3000;
const MIN_DRAIN_MS = 500;

type ServerModules = Awaited<ReturnType<typeof loadServerModules>>;

async function loadServerModules() {
  const [{ NestFactory }, { Logger }, { AppModule }, { configureHttp }, { runMigrations }] =
    await Promise.all([
      import('@nestjs/core'),
      import('nestjs-pino'),
      import('./app.module'),
      import('./common/http/configure-http'),
      import('./common/database/migrate'),
    ]);
  return { NestFactory, Logger, AppModule, configureHttp, runMigrations };
}

/** Receives the stop signals from the first moment on and remembers the first. */
class StopSignals {
  signal: NodeJS.Signals | undefined;
  private listener: ((signal: NodeJS.Signals) => void) | undefined;

  constructor(
    private readonly say: (line: string) => void,
    /** Called at the first signal, whatever the process is doing. */
    private readonly onFirst: () => void,
  ) {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.on(signal, () => this.receive(signal));
    }
  }

  /** Runs `listener` at the first signal, or now if it came already. */
  onStop(listener: (signal: NodeJS.Signals) => void): void {
    this.listener = listener;
    if (this.signal !== undefined) listener(this.signal);
  }

  private receive(signal: NodeJS.Signals): void {
    if (this.signal !== undefined) {
      this.say(`${signal} received again: already stopping`);
      return;
    }
    this.signal = signal;
    this.onFirst();
    this.listener?.(signal);
  }
}

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`mutua: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }

  // Plain lines on stderr until the structured logger exists.
  let say = (line: string): void => {
    process.stderr.write(`mutua: ${line}\n`);
  };
  let embedded: EmbeddedDatabase | undefined;
  let app: NestExpressApplication | undefined;
  let stopping = false;
  const budget = config.SHUTDOWN_TIMEOUT_MS;
  let signalledAt = 0;
  // Whatever start-up or the stop is waiting for, the process ends within the budget.
  const watchdog = (): void => {
    signalledAt = Date.now();
    setTimeout(() => {
      say(`not stopped within ${budget} ms: stopping the database immediately`);
      void (embedded?.stop(0) ?? Promise.resolve()).finally(() => process.exit(1));
    }, budget).unref();
  };
  const signals = new StopSignals((line) => say(line), watchdog);

  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) return;
    stopping = true;
    const startedAt = signalledAt;
    say(`${signal} received: finishing in-flight requests`);
    if (app !== undefined) {
      await closeHttpServer(
        app.getHttpServer(),
        Math.max(budget - CLOSE_RESERVE_MS - (Date.now() - startedAt), MIN_DRAIN_MS),
      );
      await app.close();
    }
    await embedded?.stop(Math.max(budget - (Date.now() - startedAt) - 500, 0));
    say(`stopped cleanly in ${Date.now() - startedAt} ms`);
    process.exit(0);
  };
  const stopIfAsked = async (): Promise<boolean> => {
    if (signals.signal === undefined) return false;
    await stop(signals.signal);
    return true;
  };

  let modules: Promise<ServerModules> | undefined;
  const load = (): Promise<ServerModules> => (modules ??= loadServerModules());

  try {
    let databaseUrl = config.DATABASE_URL;
    if (databaseUrl === undefined) {
      embedded = await startEmbeddedDatabase(config.DATA_DIR, (line) => say(line), {
        onSpawned: () => void load(),
      });
      databaseUrl = embedded.applicationUrl;
      say(
        `using the embedded PostgreSQL with its data in ${embedded.dataDir}; set DATABASE_URL=postgres://user:password@host:5432/db to use a PostgreSQL server instead`,
      );
    }
    const { NestFactory, Logger, AppModule, configureHttp, runMigrations } = await load();
    if (await stopIfAsked()) return;

    // Migrations run as the owner; the server connects as the application role.
    const applied = await runMigrations(
      embedded?.url ?? config.MIGRATION_DATABASE_URL ?? databaseUrl,
    );
    if (applied.length > 0)
      say(`applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}`);
    if (await stopIfAsked()) return;

    app = await NestFactory.create<NestExpressApplication>(
      AppModule.forRoot({ databaseUrl, embeddedDatabase: embedded }),
      {
        bufferLogs: true,
        bodyParser: false,
        // Throw instead of exiting, so that the embedded database is stopped too.
        abortOnError: false,
      },
    );
    const logger = app.get(Logger);
    app.useLogger(logger);
    say = (line) => logger.log(line, 'Lifecycle');
    configureHttp(app, config);
    await app.listen(config.PORT, config.HOST);
    logger.log(
      `Mutua listening on http://${config.HOST}:${config.PORT}/graphql (pid ${process.pid})`,
      'Bootstrap',
    );
  } catch (error) {
    await app?.close().catch(() => undefined);
    await embedded?.stop();
    throw error;
  }
  signals.onStop((signal) => void stop(signal));
}

/** Stops accepting connections and waits for open requests, at most `timeoutMs`. */
async function closeHttpServer(server: Server, timeoutMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  await Promise.race([closed, timedOut]);
  clearTimeout(timer);
  clearInterval(idleSweep);
  server.closeAllConnections();
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`mutua: could not start: ${message}\n`);
  process.exit(1);
});
