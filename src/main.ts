import { Server } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AppConfig, ConfigError, loadConfig } from './common/config/app-config';
import { EmbeddedDatabase, startEmbeddedDatabase } from './common/database/embedded-database';
import { runMigrations } from './common/database/migrate';
import { configureHttp } from './common/http/configure-http';

/**
 * Start-up order: validate the configuration (one clear line and exit 1 when
 * it is wrong), find the database (DATABASE_URL, else the embedded one), apply
 * migrations, then serve. Shutdown runs the other way round on SIGTERM or
 * SIGINT: stop accepting, let in-flight requests finish, close the pool, stop
 * the embedded database.
 */
async function bootstrap(): Promise<void> {
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

  const say = (line: string): void => {
    process.stderr.write(`mutua: ${line}\n`);
  };
  let embedded: EmbeddedDatabase | undefined;
  let databaseUrl = config.DATABASE_URL;
  if (databaseUrl === undefined) {
    embedded = await startEmbeddedDatabase(config.DATA_DIR, say);
    databaseUrl = embedded.url;
    say(
      `using the embedded PostgreSQL with its data in ${embedded.dataDir}; set DATABASE_URL=postgres://user:password@host:5432/db to use a PostgreSQL server instead`,
    );
  }

  try {
    const applied = await runMigrations(databaseUrl);
    if (applied.length > 0)
      say(`applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}`);

    const app = await NestFactory.create<NestExpressApplication>(
      AppModule.forRoot({ databaseUrl }),
      {
        bufferLogs: true,
        bodyParser: false,
        // Throw instead of exiting, so that the embedded database is stopped too.
        abortOnError: false,
      },
    );
    const logger = app.get(Logger);
    app.useLogger(logger);
    configureHttp(app, config);
    await app.listen(config.PORT, config.HOST);
    logger.log(`Mutua listening on http://${config.HOST}:${config.PORT}/graphql`, 'Bootstrap');

    let stopping = false;
    const shutdown = async (signal: string): Promise<void> => {
      if (stopping) return;
      stopping = true;
      logger.log(`${signal} received: finishing in-flight requests`, 'Shutdown');
      await closeHttpServer(app.getHttpServer(), config.SHUTDOWN_TIMEOUT_MS);
      await app.close();
      await embedded?.stop();
      logger.log('stopped cleanly', 'Shutdown');
      process.exit(0);
    };
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
    process.once('SIGINT', () => void shutdown('SIGINT'));
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}

/** Stops accepting connections and waits for open requests, at most `timeoutMs`. */
async function closeHttpServer(server: Server, timeoutMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
  const timedOut = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref());
  await Promise.race([closed, timedOut]);
  clearInterval(idleSweep);
  server.closeAllConnections();
}

bootstrap().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`mutua: could not start: ${message}\n`);
  process.exit(1);
});
