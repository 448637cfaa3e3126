import { INestApplication } from '@nestjs/common';
import express from 'express';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { serveWebApp } from '../../src/common/http/web-app';
import { createTestApp } from '../support/test-app';

/**
 * The server serves the web app's build at / with deep links falling back
 * to index.html, and leaves every API path (/graphql, /health, /exports) to
 * the API.
 */
describe('serving the web app', () => {
  let dist: string;

  beforeAll(() => {
    dist = mkdtempSync(join(tmpdir(), 'mutua-web-dist-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Mutua app</title>');
    writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  });

  afterAll(() => rmSync(dist, { recursive: true, force: true }));

  function appWith(distDir: string | null): express.Express {
    const app = express();
    serveWebApp(app, distDir);
    app.get('/health', (_req, res) => void res.json({ status: 'ok' }));
    app.use((_req, res) => void res.status(404).json({ error: 'not found' }));
    return app;
  }

  it('answers / and deep links under /c/ with index.html, uncached and with a content policy', async () => {
    const app = appWith(dist);
    for (const path of ['/', '/c/riverside', '/c/riverside/accounts/1234?from=2026-01-01']) {
      const response = await request(app).get(path).set('Accept', 'text/html');
      expect(response.status).toBe(200);
      expect(response.text).toContain('<title>Mutua app</title>');
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    }
  });

  it('serves hashed assets for a year and other files revalidated', async () => {
    const app = appWith(dist);
    const asset = await request(app).get('/assets/index-abc123.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    const icon = await request(app).get('/favicon.svg');
    expect(icon.status).toBe(200);
    expect(icon.headers['cache-control']).toBe('no-cache');
    expect((await request(app).get('/assets/missing.js')).status).toBe(404);
  });

  it('leaves other paths and methods to the API', async () => {
    const app = appWith(dist);
    expect((await request(app).get('/health').set('Accept', 'text/html')).body).toEqual({
      status: 'ok',
    });
    for (const path of ['/graphql', '/exports/HOUR.csv', '/nowhere', '/cx']) {
      const response = await request(app).get(path).set('Accept', 'text/html');
      expect(response.status).toBe(404);
      expect(response.text).not.toContain('Mutua app');
    }
    expect((await request(app).post('/c/riverside')).status).toBe(404);
  });

  it('says how to build the app when there is no build', async () => {
    const app = appWith(null);
    const response = await request(app).get('/c/riverside');
    expect(response.status).toBe(503);
    expect(response.text).toContain('npm run build:web');
    expect((await request(app).get('/health')).status).toBe(200);
  });

  describe('in the Mutua server', () => {
    let server: INestApplication;

    beforeAll(async () => {
      server = await createTestApp();
    });

    afterAll(async () => {
      await server.close();
    });

    it('keeps /graphql, /health and /exports answering as the API', async () => {
      const http = server.getHttpServer() as never;
      const graphql = await request(http)
        .post('/graphql')
        .send({ query: '{ serverInfo { version } }' });
      expect(graphql.status).toBe(200);
      expect(graphql.body.data.serverInfo.version).toEqual(expect.any(String));
      const health = await request(http).get('/health').set('Accept', 'text/html');
      expect(health.status).toBe(200);
      expect(health.headers['content-type']).toContain('application/json');
      const exported = await request(http).get('/exports/HOUR.csv').set('Accept', 'text/html');
      expect(exported.status).toBe(401);
      const app = await request(http).get('/c/anywhere').set('Accept', 'text/html');
      expect([200, 503]).toContain(app.status);
      expect(app.headers['content-type']).toMatch(/text\/(html|plain)/);
    });
  });
});
