import { INestApplication } from '@nestjs/common';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { printSortedSchema } from '../../src/common/graphql/schema-printer';
import { createTestApp } from '../support/test-app';

/**
 * schema.gql is what client authors read. It must be exactly what the code
 * serves: `npm run schema:generate` rewrites it (UPDATE_SCHEMA=1), and this
 * test fails whenever the committed file is stale.
 */
describe('schema.gql', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createTestApp();
  });

  afterAll(async () => {
    await app.close();
  });

  it('matches the schema the server builds from the code', () => {
    const file = join(__dirname, '..', '..', 'schema.gql');
    const generated = printSortedSchema(app.get(GraphQLSchemaHost).schema);
    if (process.env.UPDATE_SCHEMA === '1') {
      writeFileSync(file, generated);
    }
    const committed = readFileSync(file, 'utf8');
    expect(committed).toBe(generated);
  });
});
