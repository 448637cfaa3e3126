import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/**
 * Docker cannot run on the machines Mutua is developed on, so the compose
 * file is checked for shape here: a server built from the Dockerfile, a
 * postgres:15 with a volume and a health check, and the server waiting for a
 * healthy database.
 */
describe('docker-compose.yml', () => {
  const root = join(__dirname, '..', '..');
  const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as {
    services: Record<string, Record<string, unknown>>;
    volumes: Record<string, unknown>;
  };

  it('runs PostgreSQL 15 with a named volume and a health check', () => {
    const postgres = compose.services.postgres;
    expect(postgres.image).toMatch(/^postgres:15/);
    expect(postgres.healthcheck).toMatchObject({
      test: expect.arrayContaining([expect.stringMatching(/pg_isready/)]),
    });
    const volumes = postgres.volumes as string[];
    const named = volumes.map((volume) => volume.split(':')[0]);
    expect(named.some((name) => name in compose.volumes)).toBe(true);
  });

  it('builds the server from the Dockerfile and starts it after a healthy database', () => {
    const server = compose.services.server;
    expect(server.build).toBeDefined();
    expect(server.depends_on).toMatchObject({ postgres: { condition: 'service_healthy' } });
    const environment = server.environment as Record<string, string>;
    expect(environment.DATABASE_URL).toMatch(/^postgres(ql)?:\/\/.+@postgres:5432\//);
    expect(server.healthcheck).toBeDefined();
    expect(readFileSync(join(root, 'Dockerfile'), 'utf8')).toMatch(/^FROM node:20/m);
  });
});
