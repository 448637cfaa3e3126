import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createTestApp, errorCode, gql, testDatabaseUrl } from '../support/test-app';
import { ProbeModule } from '../support/probe.module';
import { TcpProxy } from '../support/tcp-proxy';

describe('GraphQL conventions over HTTP', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createTestApp({ extra: [ProbeModule] });
  });

  afterAll(async () => {
    await app.close();
  });

  it('answers the smallest query', async () => {
    const response = await gql(app, '{ __typename }');
    expect(response.status).toBe(200);
    expect(response.data).toEqual({ __typename: 'Query' });
  });

  it('answers a malformed query with GRAPHQL_PARSE_FAILED and no stack trace', async () => {
    const response = await gql(app, '{ serverInfo { version ');
    expect(response.status).toBe(400);
    expect(errorCode(response)).toBe('GRAPHQL_PARSE_FAILED');
    expect(response.errors?.[0]?.message).toMatch(/Syntax Error/);
    expect(JSON.stringify(response.errors)).not.toMatch(/stacktrace|at .*\.js/);
  });

  it('answers an unknown field with GRAPHQL_VALIDATION_FAILED', async () => {
    const response = await gql(app, '{ noSuchField }');
    expect(response.status).toBe(400);
    expect(errorCode(response)).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('refuses a query nested 15 deep before running it', async () => {
    const deep = 'child { '.repeat(14) + 'level' + ' }'.repeat(14);
    const response = await gql(app, `{ probeTree { ${deep} } }`);
    expect(response.status).toBe(400);
    expect(errorCode(response)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(response.errors?.[0]?.message).toMatch(/depth/i);
    expect(response.data ?? null).toBeNull();
  });

  it('accepts a query within the depth limit', async () => {
    const response = await gql(app, '{ probeTree { child { child { level } } } }');
    expect(response.data).toEqual({ probeTree: { child: { child: { level: 2 } } } });
  });

  it('refuses a query that costs more than the complexity budget', async () => {
    const response = await gql(app, '{ probeItems(first: 100000) { level child { level } } }');
    expect(errorCode(response)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.extensions?.reason).toBe('QUERY_TOO_COMPLEX');
  });

  it('accepts a query within the complexity budget', async () => {
    const response = await gql(app, '{ probeItems(first: 3) { level } }');
    expect(response.data).toEqual({ probeItems: [{ level: 0 }, { level: 1 }, { level: 2 }] });
  });

  it('refuses too many aliases', async () => {
    const aliases = Array.from(
      { length: 40 },
      (_, index) => `a${index}: serverInfo { version }`,
    ).join(' ');
    const response = await gql(app, `{ ${aliases} }`);
    expect(response.status).toBe(400);
    expect(errorCode(response)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(response.errors?.[0]?.message).toMatch(/aliases/i);
  });

  it('hides a bug behind INTERNAL_SERVER_ERROR with a request id, never SQL or a stack', async () => {
    const response = await request(app.getHttpServer() as never)
      .post('/graphql')
      .set('Content-Type', 'application/json')
      .set('X-Request-Id', 'probe-request-1')
      .send({ query: '{ probeBug }' });
    const body = response.body as {
      errors: Array<{ message: string; extensions: Record<string, unknown> }>;
    };
    expect(body.errors[0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
    expect(body.errors[0].extensions.requestId).toBe('probe-request-1');
    expect(body.errors[0].message).toBe('Internal server error (request id probe-request-1)');
    expect(JSON.stringify(body)).not.toMatch(/secret_table|SELECT|stacktrace|\.ts:/);
    expect(response.headers['x-request-id']).toBe('probe-request-1');
  });

  it('refuses an oversized body with 413 in GraphQL error shape', async () => {
    const response = await request(app.getHttpServer() as never)
      .post('/graphql')
      .set('Content-Type', 'application/json')
      .send({ query: `{ __typename } # ${'x'.repeat(600 * 1024)}` });
    expect(response.status).toBe(413);
    const body = response.body as { errors: Array<{ extensions: Record<string, unknown> }> };
    expect(body.errors[0].extensions).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'PAYLOAD_TOO_LARGE',
    });
  });

  it('refuses a body that is not JSON', async () => {
    const response = await request(app.getHttpServer() as never)
      .post('/graphql')
      .set('Content-Type', 'application/json')
      .send('{"query": ');
    expect(response.status).toBe(400);
    const body = response.body as { errors: Array<{ extensions: Record<string, unknown> }> };
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('answers a small batch and refuses one over the cap', async () => {
    const send = (count: number) =>
      request(app.getHttpServer() as never)
        .post('/graphql')
        .set('Content-Type', 'application/json')
        .send(Array.from({ length: count }, () => ({ query: '{ __typename }' })));
    const small = await send(2);
    expect(small.status).toBe(200);
    expect(small.body).toEqual([
      { data: { __typename: 'Query' } },
      { data: { __typename: 'Query' } },
    ]);
    const large = await send(11);
    expect(large.status).toBe(400);
    const body = large.body as { errors: Array<{ extensions: Record<string, unknown> }> };
    expect(body.errors[0].extensions.reason).toBe('TOO_MANY_OPERATIONS');
  });

  describe('Decimal scalar', () => {
    const echo = 'query($value: Decimal!) { probeDecimal(value: $value) }';

    it('keeps a decimal exact, with no float in between', async () => {
      const response = await gql(app, echo, { value: '12345678901234567890.000000001' });
      expect(response.data).toEqual({ probeDecimal: '12345678901234567890.000000001' });
    });

    it.each([
      ['a JSON float', 1.5],
      ['an exponent', '1e3'],
      ['NaN', 'NaN'],
      ['an empty string', ''],
      ['31 significant digits', '1234567890123456789012345678901'],
      ['a leading plus', '+5'],
      ['words', 'ten'],
    ])('refuses %s with BAD_USER_INPUT', async (_label, value) => {
      const response = await gql(app, echo, { value });
      expect(errorCode(response)).toBe('BAD_USER_INPUT');
      expect(response.data ?? null).toBeNull();
    });

    it('refuses a float literal in the query text as an invalid document', async () => {
      const response = await gql(app, '{ probeDecimal(value: 1.5) }');
      expect(errorCode(response)).toBe('GRAPHQL_VALIDATION_FAILED');
    });
  });

  it('refuses a variable with an unknown enum value as BAD_USER_INPUT', async () => {
    const response = await gql(
      app,
      'query($kind: TransferKind) { transfers(filter: { kind: $kind }) { edges { cursor } } }',
      {
        kind: 'NOPE',
      },
    );
    expect(response.status).toBe(400);
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
  });

  describe('DateTime scalar', () => {
    const echo = 'query($at: DateTime!) { probeInstant(at: $at) }';

    it('normalises an instant with an offset to UTC', async () => {
      const response = await gql(app, echo, { at: '2026-03-01T10:30:00+01:00' });
      expect(response.data).toEqual({ probeInstant: '2026-03-01T09:30:00.000Z' });
    });

    it.each(['2026-03-01', '2026-03-01T09:30:00', 'yesterday', '2026-02-30T00:00:00Z'])(
      'refuses %s',
      async (at) => {
        const response = await gql(app, echo, { at });
        expect(errorCode(response)).toBe('BAD_USER_INPUT');
      },
    );
  });
});

describe('errors a client can act on', () => {
  it('answers SERVICE_UNAVAILABLE with HTTP 503 and Retry-After while the database cannot be reached', async () => {
    const { proxy, url } = await TcpProxy.forDatabase(testDatabaseUrl());
    const app = await createTestApp({ databaseUrl: url });
    const ask = () =>
      request(app.getHttpServer() as never)
        .post('/graphql')
        .set('Content-Type', 'application/json')
        .send({ query: '{ community(slug: "nowhere-at-all") { id } }' });
    try {
      const before = await ask();
      expect(before.status).toBe(200);

      await proxy.cut();
      const down = await ask();
      const body = down.body as {
        errors: Array<{ message: string; extensions: Record<string, unknown> }>;
      };
      expect(down.status).toBe(503);
      expect(body.errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
      expect(Number(down.headers['retry-after'])).toBeGreaterThan(0);
      expect(JSON.stringify(body)).not.toMatch(/ECONN|127\.0\.0\.1|stack|\.ts:/);

      await proxy.restore();
      let back = await ask();
      for (let attempt = 0; back.status !== 200 && attempt < 20; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        back = await ask();
      }
      expect(back.status).toBe(200);
    } finally {
      await app.close();
      await proxy.close();
    }
  });

  it('answers a burst of sign-in attempts with RATE_LIMITED, HTTP 429 and a standard Retry-After', async () => {
    const app = await createTestApp({ env: { AUTH_RATE_LIMIT_PER_MINUTE: '2' } });
    const attempt = () =>
      request(app.getHttpServer() as never)
        .post('/graphql')
        .set('Content-Type', 'application/json')
        .send({
          query:
            'mutation { login(input: {communitySlug: "anything", email: "x@example.org", password: "whatever-123"}) { token } }',
        });
    try {
      for (let index = 0; index < 2; index += 1) expect((await attempt()).status).toBe(200);
      const throttled = await attempt();
      const body = throttled.body as { errors: Array<{ extensions: Record<string, unknown> }> };
      expect(throttled.status).toBe(429);
      expect(body.errors[0].extensions.code).toBe('RATE_LIMITED');
      expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(throttled.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect(throttled.headers['retry-after-default']).toBeUndefined();
    } finally {
      await app.close();
    }
  });
});
