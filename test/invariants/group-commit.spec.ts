import { INestApplication } from '@nestjs/common';
import { request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { withoutCommunity } from '../../src/common/database/tenancy';
import { PostingService } from '../../src/transfers/posting.service';
import {
  createCommunity,
  createCurrency,
  expectData,
  openAccount,
  registerUser,
  TestCommunity,
  unique,
} from '../support/factories';
import {
  createTestApp,
  everyCommunity,
  errorCode,
  gql,
  GraphQLResponse,
} from '../support/test-app';

/**
 * Group commit on the real PostgreSQL: many concurrent transfers over a few
 * hot accounts with tight limits, retries of idempotency keys (the same
 * request and a changed one) and bad commands mixed in. Every answer must
 * match what was written, no limit may be crossed, nothing posted twice, a
 * bad command refused alone, and verifyLedger must find the books intact.
 */
const HEAVY_TEST_TIMEOUT_MS = 300_000;
const TRANSFER = `mutation($input: TransferInput!) {
  transfer(input: $input) { id amount fromAccount { id } toAccount { id } }
}`;

interface Sent {
  key: string;
  from: string;
  to: string;
  amount: string;
}

describe('group commit', () => {
  let app: INestApplication;
  let database: DataSource;

  beforeAll(async () => {
    app = await createTestApp({ env: { DATABASE_POOL_SIZE: '8' } });
    database = everyCommunity(app.get(DataSource));
  });

  afterAll(async () => {
    await app.close();
  });

  async function hotCommunity(count: number) {
    const community = await createCommunity(app);
    await createCurrency(app, community, { defaultFloor: '-5.00', defaultCeiling: '5.00' });
    const accounts: string[] = [];
    for (let index = 0; index < count; index += 1) {
      const member = await registerUser(app, community);
      accounts.push(await openAccount(app, member.token, { currencyCode: 'HOUR' }));
    }
    return { community, accounts };
  }

  async function freeze(community: TestCommunity, accountId: string) {
    expectData(
      await gql(
        app,
        'mutation($input: SetAccountStatusInput!) { setAccountStatus(input: $input) { id } }',
        { input: { accountId, status: 'FROZEN' } },
        community.steward.token,
      ),
    );
  }

  it(
    'answers 1,000 concurrent transfers, retries and bad commands exactly as it writes them',
    async () => {
      const { community, accounts } = await hotCommunity(5);
      const frozen = (await hotCommunity(1)).accounts[0];
      const closedOff = accounts[0];
      const frozenHere = await openAccount(app, (await registerUser(app, community)).token, {
        currencyCode: 'HOUR',
      });
      await freeze(community, frozenHere);
      const posting = app.get(PostingService);
      const groupsBefore = { ...posting.stats };

      const total = 1000;
      const acknowledged = new Map<string, { id: string; sent: Sent }>();
      const sentByKey = new Map<string, Sent>();
      const refusals = new Map<string, number>();
      const badAnswers: unknown[] = [];
      const random = (max: number) => Math.floor(Math.random() * max);
      let next = 0;

      const send = (sent: Sent): Promise<GraphQLResponse> =>
        gql(
          app,
          TRANSFER,
          {
            input: {
              fromAccountId: sent.from,
              toAccountId: sent.to,
              amount: sent.amount,
              kind: 'EXCHANGE',
              idempotencyKey: sent.key,
            },
          },
          community.steward.token,
        );

      await Promise.all(
        Array.from({ length: 32 }, async () => {
          while (next < total) {
            next += 1;
            const roll = random(100);
            const earlier = [...sentByKey.values()];
            let sent: Sent;
            let expectation = 'ANY';
            if (roll < 12 && earlier.length > 0) {
              // A retry of an earlier request, as a client that lost the answer sends it.
              sent = earlier[random(earlier.length)];
              expectation = 'SAME';
            } else if (roll < 16 && earlier.length > 0) {
              // The same key with a different amount.
              const original = earlier[random(earlier.length)];
              sent = { ...original, amount: original.amount === '0.01' ? '0.02' : '0.01' };
              expectation = 'CONFLICT';
            } else if (roll < 19) {
              // An account of another community: it does not exist here.
              sent = { key: unique('bad'), from: closedOff, to: frozen, amount: '0.50' };
              expectation = 'NOT_FOUND';
            } else if (roll < 22) {
              sent = { key: unique('bad'), from: closedOff, to: frozenHere, amount: '0.50' };
              expectation = 'POLICY_VIOLATION';
            } else if (roll < 24) {
              sent = { key: unique('bad'), from: closedOff, to: accounts[1], amount: '0.505' };
              expectation = 'BAD_USER_INPUT';
            } else {
              const from = accounts[random(accounts.length)];
              let to = accounts[random(accounts.length)];
              if (to === from) to = accounts[(accounts.indexOf(from) + 1) % accounts.length];
              const amount = `${random(3)}.${String(1 + random(99)).padStart(2, '0')}`;
              sent = { key: unique('hot'), from, to, amount };
              sentByKey.set(sent.key, sent);
            }
            const response = await send(sent);
            const code = errorCode(response);
            const transfer = (response.data as { transfer?: { id: string } } | null)?.transfer;
            if (code === undefined && transfer !== undefined) {
              // An answer for a key already answered must be that same transfer, for the same request.
              const earlierAnswer = acknowledged.get(sent.key);
              if (
                earlierAnswer !== undefined &&
                (earlierAnswer.id !== transfer.id || earlierAnswer.sent.amount !== sent.amount)
              ) {
                badAnswers.push({
                  key: sent.key,
                  first: earlierAnswer,
                  second: { transfer, sent },
                });
              }
              if (expectation !== 'ANY' && expectation !== 'SAME' && expectation !== 'CONFLICT') {
                badAnswers.push({ expected: expectation, transfer });
              }
              acknowledged.set(sent.key, { id: transfer.id, sent });
            } else if (code === 'INSUFFICIENT_FUNDS' || code === 'LIMIT_EXCEEDED') {
              if (expectation !== 'ANY' && expectation !== 'SAME' && expectation !== 'CONFLICT') {
                badAnswers.push({ expected: expectation, got: response.errors });
              }
              refusals.set(String(code), (refusals.get(String(code)) ?? 0) + 1);
            } else if (code === 'IDEMPOTENCY_CONFLICT') {
              // A key another request took first (a changed retry may be first) is refused so.
              if (
                expectation === 'NOT_FOUND' ||
                expectation === 'POLICY_VIOLATION' ||
                expectation === 'BAD_USER_INPUT'
              ) {
                badAnswers.push({ expected: expectation, got: response.errors });
              }
            } else if (code !== expectation) {
              badAnswers.push({ expected: expectation, got: response.errors });
            } else {
              refusals.set(expectation, (refusals.get(expectation) ?? 0) + 1);
            }
          }
        }),
      );
      expect(badAnswers).toEqual([]);
      expect(acknowledged.size).toBeGreaterThan(200);
      expect(
        (refusals.get('INSUFFICIENT_FUNDS') ?? 0) + (refusals.get('LIMIT_EXCEEDED') ?? 0),
      ).toBeGreaterThan(50);

      // What was acknowledged is exactly what was written, once per key.
      const rows = await database.query<
        Array<{
          id: string;
          key: string;
          from_account_id: string;
          to_account_id: string;
          amount: string;
        }>
      >(
        `SELECT id, idempotency_key AS key, from_account_id, to_account_id, amount_minor::text AS amount
           FROM transfers WHERE community_id = $1 AND kind = 'EXCHANGE'`,
        [community.id],
      );
      const written = new Map(rows.map((row) => [row.key, row]));
      expect(rows.length).toBe(written.size);
      expect(written.size).toBe(acknowledged.size);
      for (const [key, { id, sent }] of acknowledged) {
        const row = written.get(key);
        expect(row).toMatchObject({
          id,
          from_account_id: sent.from,
          to_account_id: sent.to,
          amount: String(Math.round(Number(sent.amount) * 100)),
        });
      }
      // No floor or ceiling crossed at any entry; the books sum to zero and verify.
      const [beyond] = await database.query<Array<{ count: string }>>(
        `SELECT count(*)::text AS count FROM entries
          WHERE community_id = $1 AND (balance_after_minor < -500 OR balance_after_minor > 500)`,
        [community.id],
      );
      expect(beyond.count).toBe('0');
      const check = expectData(
        await gql<{ verifyLedger: { ok: boolean; problems: string[] } }>(
          app,
          'query { verifyLedger(currencyCode: "HOUR") { ok problems } }',
          {},
          community.steward.token,
        ),
      ).verifyLedger;
      expect(check).toEqual({ ok: true, problems: [] });
      // And the commands really were posted in groups.
      expect(posting.stats.commands - groupsBefore.commands).toBeGreaterThan(
        posting.stats.groups - groupsBefore.groups,
      );
    },
    HEAVY_TEST_TIMEOUT_MS,
  );

  it('posts the rest of a group when one command fails at the write, refusing that one alone', async () => {
    const { community, accounts } = await hotCommunity(3);
    const posting = app.get(PostingService);
    const fallbacksBefore = posting.stats.fallbacks;
    const steward = { userId: community.steward.id, steward: true };
    const command = (key: string, memo: string) => ({
      type: 'TRANSFER' as const,
      origin: 'USER' as const,
      initiator: steward,
      idempotencyKey: key,
      fingerprint: key.padEnd(64, '0').slice(0, 64),
      memo,
      kind: 'EXCHANGE' as const,
      fromAccountId: accounts[0],
      toAccountId: accounts[1],
      amountMinor: 10n,
      holdUntil: null,
    });
    // A memo longer than the column holds passes the planner and fails in the database.
    const commands = Array.from({ length: 10 }, (_, index) =>
      command(unique('group'), index === 4 ? 'x'.repeat(501) : 'fine'),
    );
    const settled = await Promise.allSettled(
      commands.map((item) => posting.post(community.id, item)),
    );
    expect(settled.map((result) => result.status)).toEqual(
      commands.map((_, index) => (index === 4 ? 'rejected' : 'fulfilled')),
    );
    for (const result of settled) {
      if (result.status === 'fulfilled') expect(result.value.outcome).toBe('APPLIED');
    }
    const [count] = await database.query<Array<{ count: string }>>(
      `SELECT count(*)::text AS count FROM transfers WHERE community_id = $1`,
      [community.id],
    );
    expect(count.count).toBe('9');
    expect(posting.stats.fallbacks).toBeGreaterThan(fallbacksBefore);
  });

  it('posts a command whose caller went away before the commit exactly once', async () => {
    const { community, accounts } = await hotCommunity(2);
    const key = unique('gone');
    const body = JSON.stringify({
      query: TRANSFER,
      variables: {
        input: {
          fromAccountId: accounts[0],
          toAccountId: accounts[1],
          amount: '1.00',
          kind: 'EXCHANGE',
          idempotencyKey: key,
        },
      },
    });
    // Hold the payer's row so that the command waits in its transaction, then hang up.
    const blocker = database.createQueryRunner();
    await withoutCommunity(() => blocker.connect());
    await blocker.startTransaction();
    await blocker.query('SELECT id FROM accounts WHERE community_id = $1 AND id = $2 FOR UPDATE', [
      community.id,
      accounts[0],
    ]);
    const server = app.getHttpServer() as {
      address(): AddressInfo | string | null;
      listen(port: number): unknown;
    };
    if (server.address() === null) server.listen(0);
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => {
      const call = httpRequest({
        host: '127.0.0.1',
        port,
        path: '/graphql',
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${community.steward.token}`,
        },
      });
      call.on('error', () => resolve());
      call.end(body, () =>
        setTimeout(() => {
          call.destroy();
          resolve();
        }, 200),
      );
    });
    const [waiting] = await database.query<Array<{ count: string }>>(
      `SELECT count(*)::text AS count FROM transfers WHERE community_id = $1`,
      [community.id],
    );
    expect(waiting.count).toBe('0');
    await blocker.commitTransaction();
    await blocker.release();

    // The client retries with the same key and gets the one transfer.
    const retry = expectData(
      await gql<{ transfer: { id: string } }>(
        app,
        TRANSFER,
        JSON.parse(body).variables as Record<string, unknown>,
        community.steward.token,
      ),
    ).transfer;
    const rows = await database.query<Array<{ id: string }>>(
      `SELECT id FROM transfers WHERE community_id = $1 AND idempotency_key = $2`,
      [community.id, key],
    );
    expect(rows).toEqual([{ id: retry.id }]);
    const [entries] = await database.query<Array<{ count: string }>>(
      `SELECT count(*)::text AS count FROM entries WHERE community_id = $1`,
      [community.id],
    );
    expect(entries.count).toBe('2');
  });
});
