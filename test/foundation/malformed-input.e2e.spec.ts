import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import {
  createCommunity,
  createCurrency,
  loginAdmin,
  openAccount,
  registerUser,
  TestCommunity,
  TestUser,
} from '../support/factories';
import { createTestApp, errorCode, gql, GraphQLResponse } from '../support/test-app';

/**
 * Malformed requests are the client's mistake and are answered as such:
 * BAD_USER_INPUT (HTTP 400 where the request as a whole is refused), never
 * an internal error, never a stack or SQL. Each case below once reached
 * PostgreSQL or a library and came back as INTERNAL_SERVER_ERROR.
 */
describe('malformed input', () => {
  let app: INestApplication;
  let community: TestCommunity;
  let member: TestUser;
  let accountId: string;

  beforeAll(async () => {
    app = await createTestApp();
    community = await createCommunity(app);
    await createCurrency(app, community);
    member = await registerUser(app, community);
    accountId = await openAccount(app, member.token, { currencyCode: 'HOUR' });
  });

  afterAll(async () => {
    await app.close();
  });

  function expectBadInput(response: GraphQLResponse<unknown>): void {
    expect({ code: errorCode(response), errors: response.errors }).toMatchObject({
      code: 'BAD_USER_INPUT',
    });
    expect(response.status).toBeLessThan(500);
    expect(JSON.stringify(response.errors)).not.toMatch(
      /invalid input syntax|QueryFailed|SELECT|\.ts:|stacktrace|node_modules/i,
    );
  }

  const idOperations: Array<[string, string, 'steward' | 'member']> = [
    ['approveTransfer', 'mutation($id: ID!) { approveTransfer(id: $id) { id } }', 'steward'],
    ['rejectTransfer', 'mutation($id: ID!) { rejectTransfer(id: $id) { id } }', 'steward'],
    ['postTransfer', 'mutation($id: ID!) { postTransfer(id: $id) { id } }', 'member'],
    ['voidTransfer', 'mutation($id: ID!) { voidTransfer(id: $id) { id } }', 'member'],
    ['cancelStandingOrder', 'mutation($id: ID!) { cancelStandingOrder(id: $id) { id } }', 'member'],
    ['account', 'query($id: ID!) { account(id: $id) { id } }', 'member'],
    ['transferById', 'query($id: ID!) { transferById(id: $id) { id } }', 'member'],
    ['disbursement', 'query($id: ID!) { disbursement(transferId: $id) { approvals } }', 'member'],
    ['fund', 'query($id: ID!) { fund(accountId: $id) { version } }', 'member'],
    ['user', 'query($id: ID!) { user(id: $id) { id } }', 'steward'],
    ['standingOrders', 'query($id: ID!) { standingOrders(accountId: $id) { id } }', 'member'],
    ['paymentRequest', 'query($id: ID!) { paymentRequest(id: $id) { id } }', 'member'],
  ];

  it.each(idOperations)('refuses an ID that is not a UUID: %s', async (_name, query, who) => {
    const token = who === 'steward' ? community.steward.token : member.token;
    for (const id of ['x', '1', `${accountId}x`, "'; DROP TABLE accounts; --"]) {
      expectBadInput(await gql(app, query, { id }, token));
    }
  });

  it('refuses an ID that is not a UUID written in the query text, naming the argument', async () => {
    const response = await gql(app, 'mutation { voidTransfer(id: "x") { id } }', {}, member.token);
    expectBadInput(response);
    expect(response.errors?.[0]?.message).toMatch(/\bid\b/);
  });

  it('refuses a non-UUID ID inside an input object and a list', async () => {
    expectBadInput(
      await gql(
        app,
        'query($filter: AccountFilter) { accounts(filter: $filter) { edges { node { id } } } }',
        { filter: { ownerId: 'nope' } },
        community.steward.token,
      ),
    );
    expectBadInput(
      await gql(
        app,
        'mutation($input: OpenAccountInput!) { openAccount(input: $input) { id } }',
        { input: { currencyCode: 'HOUR', kind: 'FUND', stewardIds: [community.steward.id, 'z'] } },
        community.steward.token,
      ),
    );
  });

  it('revokeApiKey refuses a non-UUID id', async () => {
    const shop = await registerUser(app, community, 'SHOP');
    expectBadInput(await gql(app, 'mutation { revokeApiKey(id: "abc") { id } }', {}, shop.token));
  });

  it.each([
    [
      'login',
      'mutation($e: String!) { login(input: {communitySlug: "x", email: $e, password: "whatever-password"}) { token } }',
    ],
    [
      'register',
      'mutation($e: String!) { register(input: {communitySlug: "x", email: $e, password: "whatever-password", displayName: "A"}) { token } }',
    ],
  ])('refuses a lone surrogate in an email: %s', async (_name, query) => {
    for (const email of ['a\uD800@x.org', 'a\uDC00b@x.org', '\uD83D@x.org']) {
      expectBadInput(await gql(app, query, { e: email }));
    }
  });

  it('refuses a lone surrogate in createCommunity', async () => {
    const admin = await loginAdmin(app);
    const response = await gql(
      app,
      'mutation($input: CreateCommunityInput!) { createCommunity(input: $input) { community { id } } }',
      {
        input: {
          slug: 'surrogate',
          name: 'Surrogate',
          stewardEmail: 's\uD800@x.org',
          stewardPassword: 'steward-password-1',
          stewardName: 'S',
        },
      },
      admin,
    );
    expectBadInput(response);
  });

  it('treats stewardIds: null as omitted when opening a fund', async () => {
    const response = await gql<{ openAccount: { id: string } }>(
      app,
      'mutation { openAccount(input: {currencyCode: "HOUR", kind: FUND, name: "Care", stewardIds: null}) { id } }',
      {},
      community.steward.token,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?.openAccount.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each([
    ['a date that is not one', ['not a date', '6f1d3c4e-0000-4000-8000-000000000000']],
    [
      'a date out of range',
      ['+275760-09-13T00:00:00.001Z', '6f1d3c4e-0000-4000-8000-000000000000'],
    ],
    ['a non-UUID id', [new Date().toISOString(), 'x']],
    ['numbers for text', [1e308, 5]],
    ['garbage', '\u0000\u0001garbage'],
  ])('refuses a transfers cursor holding %s', async (_name, key) => {
    const bytes = Buffer.from(typeof key === 'string' ? key : JSON.stringify(key));
    const response = await gql(
      app,
      'query($after: String) { transfers(after: $after) { edges { node { id } } } }',
      { after: bytes.toString('base64url') },
      member.token,
    );
    expectBadInput(response);
  });

  it('refuses an accounts cursor holding a non-UUID', async () => {
    const response = await gql(
      app,
      'query($after: String) { accounts(after: $after) { edges { node { id } } } }',
      { after: Buffer.from(JSON.stringify(['x'])).toString('base64url') },
      member.token,
    );
    expectBadInput(response);
  });

  it('reads after: null and first: null as the first page', async () => {
    const response = await gql<{ accounts: { edges: Array<{ node: { id: string } }> } }>(
      app,
      'query($after: String, $first: Int) { accounts(after: $after, first: $first) { edges { node { id } } } }',
      { after: null, first: null },
      member.token,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?.accounts.edges.map((edge) => edge.node.id)).toEqual([accountId]);
    const literal = await gql(
      app,
      '{ transfers(after: null) { edges { node { id } } } }',
      {},
      member.token,
    );
    expect(literal.errors).toBeUndefined();
  });

  it('refuses a subscription sent over HTTP as BAD_USER_INPUT', async () => {
    const response = await gql(
      app,
      'subscription($id: ID!) { transferPosted(accountId: $id) { id } }',
      { id: accountId },
      member.token,
    );
    expectBadInput(response);
    expect(response.status).toBe(400);
  });

  it('answers an export path with a NUL character with 400 or 404, not 500', async () => {
    for (const path of ['/exports/HOUR%00.csv', '/exports/%00', '/exports/HOUR.csv%00']) {
      const response = await request(app.getHttpServer() as never)
        .get(path)
        .set('Authorization', `Bearer ${community.steward.token}`);
      expect([400, 404]).toContain(response.status);
      expect(JSON.stringify(response.body)).not.toMatch(/stack|\.ts:/);
    }
  });
});
