import { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { CallerCache, CallerState } from '../../src/users/caller-cache';
import { Role, UserStatus } from '../../src/access/role';
import { createCommunity, expectData, registerUser, TestCommunity } from '../support/factories';
import { connectAsEveryCommunity, createTestApp, errorCode, gql } from '../support/test-app';

const ME = '{ me { id role } }';
const USERS = '{ users(first: 1) { edges { node { id } } } }';

/** Polls `check` until it holds or `ms` pass; returns whether it held. */
async function eventually(check: () => Promise<boolean>, ms = 5_000): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function ready(app: INestApplication): Promise<CallerCache> {
  const cache = app.get(CallerCache);
  expect(await eventually(() => Promise.resolve(cache.active))).toBe(true);
  return cache;
}

/**
 * Callers are kept in memory between requests, and forgotten when they
 * change: at once in the process that changed them, on PostgreSQL's
 * notification in every other process, and entirely while that
 * notification cannot be heard.
 */
describe('the callers a server keeps in memory', () => {
  let first: INestApplication;
  let second: INestApplication;
  let sql: Client;
  let community: TestCommunity;

  beforeAll(async () => {
    first = await createTestApp();
    second = await createTestApp();
    sql = await connectAsEveryCommunity();
    community = await createCommunity(first);
    await ready(first);
    await ready(second);
  });

  afterAll(async () => {
    await sql.end();
    await second.close();
    await first.close();
  });

  it('refuses a token at once in the process that revoked it, and soon in every other', async () => {
    const member = await registerUser(first, community);
    expectData(await gql(first, ME, {}, member.token));
    expectData(await gql(second, ME, {}, member.token));

    expect(expectData(await gql(first, 'mutation { logout }', {}, member.token))).toBeTruthy();
    expect(errorCode(await gql(first, ME, {}, member.token))).toBe('UNAUTHENTICATED');
    const refusedElsewhere = await eventually(
      async () => errorCode(await gql(second, ME, {}, member.token)) === 'UNAUTHENTICATED',
    );
    expect(refusedElsewhere).toBe(true);
  });

  it('forgets a caller changed by hand-written SQL, through the database notification', async () => {
    const member = await registerUser(first, community);
    const steward = await registerUser(first, community);
    for (const app of [first, second]) {
      expect(errorCode(await gql(app, USERS, {}, steward.token))).toBe('FORBIDDEN');
      expectData(await gql(app, ME, {}, member.token));
    }
    await sql.query('UPDATE users SET role = $1 WHERE community_id = $2 AND id = $3', [
      Role.STEWARD,
      community.id,
      steward.id,
    ]);
    // The role a token acts with is the row's, not the claim's.
    for (const app of [first, second]) {
      expect(
        await eventually(
          async () => errorCode(await gql(app, USERS, {}, steward.token)) === undefined,
        ),
      ).toBe(true);
    }

    await sql.query('UPDATE users SET status = $1 WHERE community_id = $2 AND id = $3', [
      UserStatus.SUSPENDED,
      community.id,
      member.id,
    ]);
    for (const app of [first, second]) {
      expect(
        await eventually(
          async () => errorCode(await gql(app, ME, {}, member.token)) === 'UNAUTHENTICATED',
        ),
      ).toBe(true);
    }
  });

  it('keeps nothing read before a forget, so a revocation cannot be outlived', async () => {
    const cache = first.get(CallerCache);
    const state: CallerState = { role: Role.MEMBER, status: UserStatus.ACTIVE, tokenVersion: 0 };
    let finish: (value: CallerState) => void = () => undefined;
    const slow = cache.get(
      community.id,
      'racing-user',
      () => new Promise((resolve) => (finish = resolve)),
    );
    cache.forget(community.id, 'racing-user');
    finish(state);
    await slow;
    const read = jest.fn(() => Promise.resolve<CallerState | undefined>(state));
    await cache.get(community.id, 'racing-user', read);
    expect(read).toHaveBeenCalledTimes(1);
  });

  it('serves nothing from memory while it cannot hear notifications, and forgets all when back', async () => {
    const member = await registerUser(first, community);
    expectData(await gql(first, ME, {}, member.token));
    expectData(await gql(second, ME, {}, member.token));
    const cache = first.get(CallerCache);

    const pids = [first, second].map((app) => app.get(CallerCache).backendPid);
    expect(pids.every((pid) => typeof pid === 'number')).toBe(true);
    // Both servers' listeners go.
    await sql.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [pids]);
    expect(await eventually(() => Promise.resolve(!cache.active))).toBe(true);
    const read = jest.fn(() =>
      Promise.resolve<CallerState | undefined>({
        role: Role.MEMBER,
        status: UserStatus.ACTIVE,
        tokenVersion: 0,
      }),
    );
    await cache.get(community.id, member.id, read);
    expect(read).toHaveBeenCalledTimes(1);

    // Revoked while no one listens: the notification is lost.
    await sql.query(
      'UPDATE users SET token_version = token_version + 1 WHERE community_id = $1 AND id = $2',
      [community.id, member.id],
    );
    expect(await eventually(() => Promise.resolve(cache.active), 15_000)).toBe(true);
    await ready(second);
    for (const app of [first, second]) {
      expect(errorCode(await gql(app, ME, {}, member.token))).toBe('UNAUTHENTICATED');
    }
  });
});
