import { INestApplication } from '@nestjs/common';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { runMigrations } from '../../src/common/database/migrate';
import { findPostgresBinDir, PostgresCluster } from '../../src/common/database/postgres-cluster';
import { createTestApp } from '../support/test-app';

describe('GET /health', () => {
  it('answers 200 with the database up', async () => {
    const app = await createTestApp();
    try {
      const response = await request(app.getHttpServer() as never).get('/health');
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
    } finally {
      await app.close();
    }
  });

  it('answers 503 when the database goes down, and the server keeps running', async () => {
    const root = await mkdtemp(join(tmpdir(), 'mutua-health-spec-'));
    await chmod(root, 0o755);
    const cluster = await PostgresCluster.start({
      binDir: findPostgresBinDir(),
      dataDir: join(root, 'pgdata'),
      settings: { fsync: 'off' },
    });
    let app: INestApplication | undefined;
    try {
      await cluster.createDatabaseIfMissing('health');
      await runMigrations(cluster.url('health'));
      app = await createTestApp({ databaseUrl: cluster.url('health') });
      const server = app.getHttpServer() as never;
      expect((await request(server).get('/health')).status).toBe(200);

      await cluster.stop();
      const down = await request(server).get('/health');
      expect(down.status).toBe(503);
      expect(down.body).toMatchObject({ status: 'error', error: { database: { status: 'down' } } });

      const graphql = await request(server).post('/graphql').send({ query: '{ __typename }' });
      expect(graphql.status).toBe(200);
    } finally {
      await app?.close().catch(() => undefined);
      await cluster.destroy();
      await rm(root, { recursive: true, force: true });
    }
  });
});
