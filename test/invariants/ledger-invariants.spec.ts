import { INestApplication } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
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
  testOwnerDatabaseUrl,
} from '../support/test-app';

/**
 * DESIGN.md's eight invariants, each with a test that fails when it breaks,
 * on the real PostgreSQL: the concurrency test hammers a few hot accounts
 * with tight limits from many connections, and the tamper tests switch the
 * database's own guards off to prove that verifyLedger still catches what
 * they would have refused.
 */
const CHAOS_APPLICATION = `mutua-invariants-${process.pid}`;
const VERIFY =
  'query($code: String!) { verifyLedger(currencyCode: $code) { ok problems accountsChecked entriesChecked } }';

/** The two load tests post thousands of transfers; on a busy two-core machine that takes minutes. */
const HEAVY_TEST_TIMEOUT_MS = 300_000;

describe('ledger invariants', () => {
  let app: INestApplication;
  let database: DataSource;
  // The tables' owner: the server's own role cannot act behind the triggers.
  let owner: DataSource;

  beforeAll(async () => {
    // Its own application name: the chaos test kills this app's connections, never another test file's.
    app = await createTestApp({
      env: { DATABASE_POOL_SIZE: '20', DATABASE_APPLICATION_NAME: CHAOS_APPLICATION },
    });
    database = everyCommunity(app.get(DataSource));
    owner = await new DataSource({ type: 'postgres', url: testOwnerDatabaseUrl() }).initialize();
  });

  afterAll(async () => {
    await owner.destroy();
    await app.close();
  });

  async function setLimits(
    community: TestCommunity,
    accountId: string,
    floor: string | null,
    ceiling: string | null,
  ) {
    expectData(
      await gql(
        app,
        'mutation($input: SetAccountLimitsInput!) { setAccountLimits(input: $input) { id } }',
        { input: { accountId, floor, ceiling } },
        community.steward.token,
      ),
    );
  }

  async function verify(community: TestCommunity, code = 'HOUR') {
    return expectData(
      await gql<{ verifyLedger: { ok: boolean; problems: string[]; entriesChecked: number } }>(
        app,
        VERIFY,
        { code },
        community.steward.token,
      ),
    ).verifyLedger;
  }

  /** A community with `count` member accounts in HOUR, each with floor -5.00 and ceiling 5.00. */
  async function hotAccounts(count: number) {
    const community = await createCommunity(app);
    await createCurrency(app, community, { defaultFloor: '-5.00', defaultCeiling: '5.00' });
    const accounts: string[] = [];
    for (let index = 0; index < count; index += 1) {
      const member = await registerUser(app, community);
      accounts.push(await openAccount(app, member.token, { currencyCode: 'HOUR' }));
    }
    return { community, accounts };
  }

  it(
    'keeps every limit, zero sums and intact chains under thousands of concurrent transfers (invariants 1-4, 8)',
    async () => {
      const { community, accounts } = await hotAccounts(5);
      const total = 2000;
      const workers = 20;
      let next = 0;
      const outcomes = { posted: 0, insufficient: 0, ceiling: 0, other: [] as unknown[] };
      const random = (max: number) => Math.floor(Math.random() * max);
      await Promise.all(
        Array.from({ length: workers }, async () => {
          while (next < total) {
            next += 1;
            const from = accounts[random(accounts.length)];
            let to = accounts[random(accounts.length)];
            if (to === from) to = accounts[(accounts.indexOf(from) + 1) % accounts.length]!;
            const amount = `${1 + random(3)}.${String(random(100)).padStart(2, '0')}`;
            const response = await gql(
              app,
              'mutation($input: TransferInput!) { transfer(input: $input) { id } }',
              {
                input: {
                  fromAccountId: from,
                  toAccountId: to,
                  amount,
                  kind: 'EXCHANGE',
                  idempotencyKey: unique('hot'),
                },
              },
              community.steward.token,
            );
            const code = errorCode(response);
            if (code === undefined) outcomes.posted += 1;
            else if (code === 'INSUFFICIENT_FUNDS') outcomes.insufficient += 1;
            else if (code === 'LIMIT_EXCEEDED') outcomes.ceiling += 1;
            else outcomes.other.push(response.errors);
          }
        }),
      );
      expect(outcomes.other).toEqual([]);
      // The limits were tight enough to refuse many transfers, and loose enough to post many.
      expect(outcomes.posted).toBeGreaterThan(200);
      expect(outcomes.insufficient + outcomes.ceiling).toBeGreaterThan(100);

      // Invariant 4, for every balance ever posted, not only the final ones.
      const [beyond] = await database.query<Array<{ count: string }>>(
        `SELECT count(*)::text AS count FROM entries e JOIN accounts a ON a.community_id = e.community_id AND a.id = e.account_id
        WHERE a.id = ANY($1::uuid[]) AND (e.balance_after_minor < -500 OR e.balance_after_minor > 500)`,
        [accounts],
      );
      expect(beyond.count).toBe('0');
      // Invariant 1: the currency's balances sum to zero.
      const [sum] = await database.query<Array<{ total: string }>>(
        `SELECT sum(balance_minor)::text AS total FROM accounts WHERE community_id = $1 AND currency_code = 'HOUR'`,
        [community.id],
      );
      expect(sum.total).toBe('0');
      // Invariant 2: every transfer's entries sum to zero, two entries each.
      const [unbalanced] = await database.query<Array<{ count: string }>>(
        `SELECT count(*)::text AS count FROM (SELECT transfer_id FROM entries WHERE community_id = $1
        GROUP BY transfer_id HAVING sum(amount_minor) <> 0 OR count(*) <> 2) bad`,
        [community.id],
      );
      expect(unbalanced.count).toBe('0');
      // Invariant 3: each balance is the sum of its entries and the last running balance.
      const mismatched = await database.query<Array<{ id: string }>>(
        `SELECT a.id FROM accounts a
         LEFT JOIN (SELECT account_id, sum(amount_minor) AS total, max(sequence) AS last FROM entries
                     WHERE community_id = $1 GROUP BY account_id) e ON e.account_id = a.id
        WHERE a.community_id = $1 AND (a.balance_minor <> coalesce(e.total, 0) OR a.entry_count <> coalesce(e.last, 0))`,
        [community.id],
      );
      expect(mismatched).toEqual([]);
      // Invariants 1-3 and 8 as verifyLedger proves them.
      const check = await verify(community);
      expect(check).toMatchObject({ ok: true, problems: [] });
      expect(check.entriesChecked).toBe(outcomes.posted * 2);
    },
    HEAVY_TEST_TIMEOUT_MS,
  );

  it(
    'posts nothing twice and loses nothing acknowledged when connections are killed mid-flight (invariants 5, 6)',
    async () => {
      const { community, accounts } = await hotAccounts(4);
      await Promise.all(accounts.map((account) => setLimits(community, account, '-1000.00', null)));
      const keys = Array.from({ length: 150 }, () => unique('chaos'));
      let killing = true;
      const killer = (async () => {
        while (killing) {
          await database
            .query(
              `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
              WHERE application_name = $1 AND pid <> pg_backend_pid() AND state <> 'idle'`,
              [CHAOS_APPLICATION],
            )
            .catch(() => undefined);
          await new Promise((resolve) => setTimeout(resolve, 15));
        }
      })();
      const acknowledged = new Map<string, string>();
      let failuresSeen = 0;
      let cursor = 0;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (cursor < keys.length) {
            const index = cursor;
            cursor += 1;
            const key = keys[index];
            const input = {
              fromAccountId: accounts[index % 4],
              toAccountId: accounts[(index + 1) % 4],
              amount: '1.00',
              kind: 'EXCHANGE',
              idempotencyKey: key,
            };
            // A client retries the same request with the same key until it is acknowledged.
            for (let attempt = 0; attempt < 50; attempt += 1) {
              const response = await gql<{ transfer: { id: string } }>(
                app,
                'mutation($input: TransferInput!) { transfer(input: $input) { id } }',
                { input },
                community.steward.token,
              );
              if (response.data?.transfer !== undefined && response.data.transfer !== null) {
                const previous = acknowledged.get(key);
                if (previous !== undefined) expect(response.data.transfer.id).toBe(previous);
                acknowledged.set(key, response.data.transfer.id);
                break;
              }
              failuresSeen += 1;
            }
          }
        }),
      );
      killing = false;
      await killer;
      expect(acknowledged.size).toBe(keys.length);
      const [counted] = await database.query<Array<{ count: string }>>(
        `SELECT count(*)::text AS count FROM transfers WHERE community_id = $1`,
        [community.id],
      );
      expect(counted.count).toBe(String(keys.length));
      const check = await verify(community);
      expect(check).toMatchObject({ ok: true, problems: [] });
      expect(check.entriesChecked).toBe(keys.length * 2);
      // The test only proves something if connections were really cut.
      expect(failuresSeen).toBeGreaterThan(0);
    },
    HEAVY_TEST_TIMEOUT_MS,
  );

  describe('the database refuses what the service would never do (invariants 2, 5, 7)', () => {
    let community: TestCommunity;
    let from: string;
    let to: string;
    let transferId: string;

    beforeAll(async () => {
      const made = await hotAccounts(2);
      community = made.community;
      [from, to] = made.accounts as [string, string];
      const paid = await gql<{ transfer: { id: string } }>(
        app,
        'mutation($input: TransferInput!) { transfer(input: $input) { id } }',
        {
          input: {
            fromAccountId: from,
            toAccountId: to,
            amount: '2.00',
            kind: 'EXCHANGE',
            idempotencyKey: unique('k'),
          },
        },
        community.steward.token,
      );
      transferId = expectData(paid).transfer.id;
    });

    it.each([
      [
        'UPDATE an entry',
        `UPDATE entries SET amount_minor = amount_minor * 2 WHERE community_id = $1`,
      ],
      ['DELETE an entry', `DELETE FROM entries WHERE community_id = $1`],
      ['UPDATE a posted transfer', `UPDATE transfers SET amount_minor = 1 WHERE community_id = $1`],
      ['DELETE a posted transfer', `DELETE FROM transfers WHERE community_id = $1`],
      [
        'change a posted status',
        `UPDATE transfers SET status = 'VOIDED', posted_at = NULL WHERE community_id = $1`,
      ],
      [
        'move a balance without an entry',
        `UPDATE accounts SET balance_minor = balance_minor + 100 WHERE community_id = $1 AND kind = 'MEMBER'`,
      ],
      [
        'raise what an account received in trade without an entry',
        `UPDATE accounts SET received_minor = received_minor + 100 WHERE community_id = $1 AND kind = 'MEMBER'`,
      ],
    ])('refuses to %s', async (_label, sql) => {
      // As the tables' owner: the triggers refuse even those who may write every row.
      await expect(owner.query(sql, [community.id])).rejects.toThrow(
        /append-only|can no longer change|never deleted|without an entry/,
      );
      expect((await verify(community)).ok).toBe(true);
    });

    it('refuses entries that do not sum to zero, and keeps nothing of the statement', async () => {
      const insert = `WITH t AS (
          INSERT INTO transfers (community_id, id, currency_code, kind, status, amount_minor, from_account_id,
            to_account_id, initiated_by, idempotency_key, request_fingerprint, legs, created_at, posted_at)
          VALUES ($1, gen_random_uuid(), 'HOUR', 'EXCHANGE', 'POSTED', 100, $2, $3, $4, 'raw', repeat('0', 64),
            '[]', now(), now()) RETURNING id)
        INSERT INTO entries (community_id, account_id, sequence, transfer_id, amount_minor, balance_after_minor, posted_at, hash)
        SELECT $1, $2, 999, t.id, -100, 0, now(), repeat('0', 64) FROM t`;
      await expect(
        database.query(insert, [community.id, from, to, community.steward.id]),
      ).rejects.toThrow(/ledger check failed/);
      const [left] = await database.query<Array<{ count: string }>>(
        `SELECT count(*)::text AS count FROM transfers WHERE community_id = $1 AND idempotency_key = 'raw'`,
        [community.id],
      );
      expect(left.count).toBe('0');
    });

    it('still lets a pending transfer be posted, voided or expired, but change nothing else', async () => {
      const pending = await gql<{ transfer: { id: string } }>(
        app,
        'mutation($input: TransferInput!) { transfer(input: $input) { id } }',
        {
          input: {
            fromAccountId: from,
            toAccountId: to,
            amount: '1.00',
            kind: 'EXCHANGE',
            idempotencyKey: unique('p'),
            pendingUntil: new Date(Date.now() + 3600_000).toISOString(),
          },
        },
        community.steward.token,
      );
      const id = expectData(pending).transfer.id;
      await expect(
        database.query(
          `UPDATE transfers SET amount_minor = 5 WHERE community_id = $1 AND id = $2`,
          [community.id, id],
        ),
      ).rejects.toThrow(/may only be posted, voided or expired/);
      const voided = await gql(
        app,
        'mutation($id: ID!) { voidTransfer(id: $id) { status } }',
        { id },
        community.steward.token,
      );
      expect(expectData(voided)).toEqual({ voidTransfer: { status: 'VOIDED' } });
    });

    it('leaves the first transfer untouched through all of the above', async () => {
      const [row] = await database.query<Array<{ status: string; amount_minor: string }>>(
        `SELECT status, amount_minor FROM transfers WHERE community_id = $1 AND id = $2`,
        [community.id, transferId],
      );
      expect(row).toEqual({ status: 'POSTED', amount_minor: '200' });
    });
  });

  describe('verifyLedger catches what was altered behind the guards (invariants 1, 2, 3, 8)', () => {
    async function tampered(
      alter: (
        manager: EntityManager,
        community: TestCommunity,
        accounts: string[],
      ) => Promise<void>,
    ) {
      const { community, accounts } = await hotAccounts(3);
      for (let index = 0; index < 6; index += 1) {
        expectData(
          await gql(
            app,
            'mutation($input: TransferInput!) { transfer(input: $input) { id } }',
            {
              input: {
                fromAccountId: accounts[index % 3],
                toAccountId: accounts[(index + 1) % 3],
                amount: `${index + 1}.00`,
                kind: 'EXCHANGE',
                idempotencyKey: unique('t'),
              },
            },
            community.steward.token,
          ),
        );
      }
      expect((await verify(community)).ok).toBe(true);
      // Done in one session with the guards off, as an intruder with database access would.
      await owner.transaction(async (manager) => {
        await manager.query('ALTER TABLE entries DISABLE TRIGGER USER');
        await manager.query('ALTER TABLE accounts DISABLE TRIGGER USER');
        await alter(manager, community, accounts);
        await manager.query('ALTER TABLE entries ENABLE TRIGGER USER');
        await manager.query('ALTER TABLE accounts ENABLE TRIGGER USER');
      });
      return { ...(await verify(community)), accounts };
    }

    it('finds a hand-edited entry amount (hash chain, running balance, transfer sum)', async () => {
      const check = await tampered(async (manager, community, accounts) => {
        await manager.query(
          `UPDATE entries SET amount_minor = amount_minor + 1 WHERE community_id = $1 AND account_id = $2 AND sequence = 1`,
          [community.id, accounts[0]],
        );
      });
      expect(check.ok).toBe(false);
      const text = check.problems.join('\n');
      expect(text).toMatch(/hash/i);
      expect(text).toMatch(/sum to 1, not zero/);
    });

    it('finds an entry whose hash was overwritten', async () => {
      const check = await tampered(async (manager, community, accounts) => {
        await manager.query(
          `UPDATE entries SET hash = repeat('a', 64) WHERE community_id = $1 AND account_id = $2 AND sequence = 2`,
          [community.id, accounts[1]],
        );
      });
      expect(check.ok).toBe(false);
      expect(check.problems.join('\n')).toMatch(new RegExp(`${check.accounts[1]}.*hash`, 'i'));
    });

    it('finds a balance that no longer matches its entries, and a currency that no longer sums to zero', async () => {
      const check = await tampered(async (manager, community, accounts) => {
        await manager.query(
          `UPDATE accounts SET balance_minor = balance_minor + 700 WHERE community_id = $1 AND id = $2`,
          [community.id, accounts[2]],
        );
      });
      expect(check.ok).toBe(false);
      const text = check.problems.join('\n');
      expect(text).toMatch(/sum to 700 minor units, not zero/);
    });

    it('finds a total received in trade that no longer matches the entries', async () => {
      const check = await tampered(async (manager, community, accounts) => {
        await manager.query(
          `UPDATE accounts SET received_minor = received_minor + 5000 WHERE community_id = $1 AND id = $2`,
          [community.id, accounts[0]],
        );
      });
      expect(check.ok).toBe(false);
      expect(check.problems).toEqual([
        `account ${check.accounts[0]}: its total received in trade disagrees with its entries`,
      ]);
    });
  });
});
