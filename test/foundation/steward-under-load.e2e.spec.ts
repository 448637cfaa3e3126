import { INestApplication } from '@nestjs/common';
import {
  createCommunity,
  createCurrency,
  expectData,
  openAccount,
  registerUser,
  TestCommunity,
  TestUser,
  unique,
} from '../support/factories';
import { Client } from 'pg';
import { createTestApp, gql, GraphQLResponse, testDatabaseUrl } from '../support/test-app';

/**
 * No request holds a database lock (or an open transaction) while it waits
 * for a second pooled connection, and a steward's change of policy takes
 * account rows in the order the posting path takes them. Either mistake
 * shows only under load: a transaction that holds a connection and a row
 * lock and then asks the pool for another, while the other connections wait
 * on its lock, stalls the whole pool (every community) until the pool's
 * timeout; an UPDATE of many accounts in another order than the transfers
 * deadlocks with them.
 *
 * So every steward mutation runs here, three at once, amid a stream of
 * transfers on the very accounts it touches, on a server whose pool holds
 * three connections; meanwhile a member of another community transfers too.
 * Nothing may time out, fail as an internal error or deadlock, and the other
 * community must be answered promptly.
 */

const POOL_SIZE = '3';
/** Transfers in flight at once on the steward's accounts. */
const LOAD_WORKERS = 6;
/**
 * The pool gives up on a connection after 10 s, which is what a stalled pool
 * looks like; a slow but moving machine answers well before.
 */
const PROMPT_MS = 8_000;
const FAILURE_CODES = ['INTERNAL_SERVER_ERROR', 'SERVICE_UNAVAILABLE'];

interface Timed {
  label: string;
  ms: number;
  response: GraphQLResponse<unknown>;
}

let app: INestApplication;
let community: TestCommunity;
let other: TestCommunity;
let ana: TestUser;
let ben: TestUser;
let cleo: TestUser;
let anaAccount: string;
let benAccount: string;
let fundId: string;
let brkAccount: string;
let otherFrom: { token: string; account: string };
let otherTo: string;
let loadAccounts: Array<{ account: string; token: string }>;

async function timed(
  label: string,
  query: string,
  variables: Record<string, unknown>,
  token: string,
): Promise<Timed> {
  const started = Date.now();
  const response = await gql(app, query, variables, token);
  return { label, ms: Date.now() - started, response };
}

const TRANSFER = 'mutation($input: TransferInput!) { transfer(input: $input) { id } }';

function transferInput(from: string, to: string, kind = 'EXCHANGE') {
  return {
    input: {
      fromAccountId: from,
      toAccountId: to,
      amount: '0.01',
      kind,
      idempotencyKey: unique('load'),
    },
  };
}

/**
 * Transfers among Ana's and Ben's accounts (and into the fund) until `stop`
 * is set. Four accounts, each created before the next, so that the order
 * the posting path locks them in (by id) is unlikely to be the order of
 * their rows.
 */
async function transferLoad(stop: { done: boolean }): Promise<Timed[]> {
  const seen: Timed[] = [];
  await Promise.all(
    Array.from({ length: LOAD_WORKERS }, async (_, worker) => {
      for (let round = 0; !stop.done; round += 1) {
        const from = loadAccounts[(worker + round) % loadAccounts.length];
        const to =
          worker === 3
            ? { account: fundId, token: '' }
            : loadAccounts[(worker + round + 1 + (worker % 2)) % loadAccounts.length];
        seen.push(
          await timed(
            'transfer',
            TRANSFER,
            transferInput(from.account, to.account, worker === 3 ? 'CONTRIBUTION' : 'EXCHANGE'),
            from.token,
          ),
        );
      }
    }),
  );
  return seen;
}

const REQUEST_DISBURSEMENT =
  'mutation($input: RequestDisbursementInput!) { requestDisbursement(input: $input) { id } }';

/** Ben asks the fund for 0.01, each time under a new key. */
function benAsks(): Record<string, unknown> {
  return {
    input: {
      fundAccountId: fundId,
      toAccountId: benAccount,
      amount: '0.01',
      idempotencyKey: unique('aid'),
    },
  };
}

async function pendingDisbursement(): Promise<string> {
  const response = await gql<{ requestDisbursement: { id: string } }>(
    app,
    REQUEST_DISBURSEMENT,
    benAsks(),
    ben.token,
  );
  return expectData(response).requestDisbursement.id;
}

interface Step {
  name: string;
  /** Builds the calls made at once (usually three), each [query, variables]. */
  calls: () => Promise<Array<[string, Record<string, unknown>]>>;
  /** Whose token makes the calls: the steward's unless said. */
  by?: () => string;
}

const POLICY = (floor: string) => ({
  mode: 'MUTUAL_CREDIT',
  defaultFloor: floor,
  demurragePercent: '0.01',
  demurrageFundAccountId: fundId,
});

const STEPS: Step[] = [
  {
    name: 'setAccountLimits',
    calls: async () =>
      ['-90.00', '-91.00', '-92.00'].map((level) => [
        'mutation($input: SetAccountLimitsInput!) { setAccountLimits(input: $input) { id } }',
        { input: { accountId: anaAccount, warningLevel: level } },
      ]),
  },
  {
    name: 'setAccountStatus',
    calls: async () =>
      [anaAccount, anaAccount, benAccount].map((accountId) => [
        'mutation($input: SetAccountStatusInput!) { setAccountStatus(input: $input) { id } }',
        { input: { accountId, status: 'OPEN' } },
      ]),
  },
  {
    name: 'setIssuancePolicy',
    calls: async () =>
      ['-100.00', '-101.00', '-102.00'].map((floor) => [
        'mutation($input: SetIssuancePolicyInput!) { setIssuancePolicy(input: $input) { accountsUpdated } }',
        {
          input: { currencyCode: 'HOUR', applyToExistingAccounts: true, policy: POLICY(floor) },
        },
      ]),
  },
  {
    name: 'reverseTransfer',
    calls: async () => {
      const made = await Promise.all(
        [0, 1, 2].map(() =>
          gql<{ transfer: { id: string } }>(
            app,
            TRANSFER,
            transferInput(anaAccount, benAccount),
            ana.token,
          ),
        ),
      );
      return made.map((response) => [
        'mutation($input: ReverseTransferInput!) { reverseTransfer(input: $input) { id } }',
        {
          input: {
            transferId: expectData(response).transfer.id,
            reason: 'entered twice',
            idempotencyKey: unique('undo'),
          },
        },
      ]);
    },
  },
  {
    name: 'approveTransfer and rejectTransfer',
    calls: async () => {
      const ids = await Promise.all([0, 1, 2].map(() => pendingDisbursement()));
      return ids.map((id, index) => [
        `mutation($id: ID!) { ${index === 1 ? 'rejectTransfer' : 'approveTransfer'}(id: $id) { id } }`,
        { id },
      ]);
    },
  },
  {
    name: 'setFundStewards',
    calls: async () =>
      [0, 1, 2].map(() => [
        'mutation($input: SetFundStewardsInput!) { setFundStewards(input: $input) { approvalsRequired } }',
        {
          input: {
            fundAccountId: fundId,
            stewardIds: [community.steward.id],
            approvalsRequired: 1,
          },
        },
      ]),
  },
  {
    name: 'setFundRequestLimits',
    calls: async () =>
      [100, 50, 100].map((memberSharePercent) => [
        'mutation($input: SetFundRequestLimitsInput!) { setFundRequestLimits(input: $input) { applied } }',
        { input: { fundAccountId: fundId, memberSharePercent, maxOpenRequestsPerMember: 100 } },
      ]),
  },
  {
    // A member's request takes the fund's row lock and holds the amount on
    // the fund's account, which the load keeps paying into.
    name: 'requestDisbursement (by a member)',
    by: () => ben.token,
    calls: async () => [0, 1, 2].map(() => [REQUEST_DISBURSEMENT, benAsks()]),
  },
  {
    name: 'setFundPublic',
    calls: async () =>
      [true, false, true].map((shown) => [
        'mutation($input: SetFundPublicInput!) { setFundPublic(input: $input) { public } }',
        { input: { fundAccountId: fundId, public: shown } },
      ]),
  },
  {
    name: 'mint and recordReserveDeposit',
    calls: async () => [
      [
        'mutation($input: MintInput!) { mint(input: $input) { transfer { id } } }',
        { input: { accountId: brkAccount, amount: '0.01', idempotencyKey: unique('mint') } },
      ],
      [
        'mutation($input: RecordReserveDepositInput!) { recordReserveDeposit(input: $input) { transfer { id } } }',
        {
          input: {
            currencyCode: 'BRK',
            accountId: brkAccount,
            amount: '1.00',
            idempotencyKey: unique('deposit'),
          },
        },
      ],
      [
        'mutation($input: MintInput!) { mint(input: $input) { transfer { id } } }',
        { input: { accountId: brkAccount, amount: '0.01', idempotencyKey: unique('mint') } },
      ],
    ],
  },
  {
    name: 'runDemurrage',
    calls: async () =>
      [0, 1, 2].map(() => ['mutation { runDemurrage(currencyCode: "HOUR") { __typename } }', {}]),
  },
  {
    name: 'openAccount and createCurrency',
    calls: async () => [
      [
        'mutation($input: OpenAccountInput!) { openAccount(input: $input) { id } }',
        { input: { currencyCode: 'HOUR', kind: 'MEMBER', ownerId: cleo.id } },
      ],
      [
        'mutation($input: CreateCurrencyInput!) { createCurrency(input: $input) { code } }',
        {
          input: {
            code: Array.from({ length: 6 }, () =>
              String.fromCharCode(65 + Math.floor(Math.random() * 26)),
            ).join(''),
            name: 'Another',
            kind: 'TIME',
            scale: 2,
          },
        },
      ],
      [
        'mutation($input: OpenAccountInput!) { openAccount(input: $input) { id } }',
        { input: { currencyCode: 'HOUR', kind: 'FEES', name: 'Fees' } },
      ],
    ],
  },
  {
    name: 'users and the community',
    calls: async () => [
      [
        'mutation($input: CreateInviteInput!) { createInvite(input: $input) { code } }',
        { input: { role: 'MEMBER' } },
      ],
      [
        'mutation($input: SetUserStatusInput!) { setUserStatus(input: $input) { status } }',
        { input: { userId: cleo.id, status: 'ACTIVE' } },
      ],
      [
        'mutation($input: UpdateCommunityInput!) { updateCommunity(input: $input) { name } }',
        { input: { name: 'Under load' } },
      ],
    ],
  },
  {
    name: 'setUserRole',
    calls: async () =>
      [0, 1, 2].map(() => [
        'mutation($input: SetUserRoleInput!) { setUserRole(input: $input) { role } }',
        { input: { userId: cleo.id, role: 'MEMBER' } },
      ]),
  },
];

beforeAll(async () => {
  app = await createTestApp({ env: { DATABASE_POOL_SIZE: POOL_SIZE } });
  [community, other] = await Promise.all([createCommunity(app), createCommunity(app)]);
  await createCurrency(app, community, { defaultFloor: '-100.00' });
  await createCurrency(app, other, { defaultFloor: '-100.00' });
  [ana, ben, cleo] = await Promise.all([
    registerUser(app, community),
    registerUser(app, community),
    registerUser(app, community),
  ]);
  anaAccount = await openAccount(app, ana.token, { currencyCode: 'HOUR' });
  benAccount = await openAccount(app, ben.token, { currencyCode: 'HOUR' });
  loadAccounts = [
    { account: anaAccount, token: ana.token },
    { account: benAccount, token: ben.token },
    { account: await openAccount(app, ana.token, { currencyCode: 'HOUR' }), token: ana.token },
    { account: await openAccount(app, ben.token, { currencyCode: 'HOUR' }), token: ben.token },
  ];
  fundId = await openAccount(app, community.steward.token, {
    currencyCode: 'HOUR',
    kind: 'FUND',
    name: 'Aid',
  });
  expectData(
    await gql(app, TRANSFER, transferInput(anaAccount, fundId, 'CONTRIBUTION'), ana.token),
  );
  expectData(
    await gql(
      app,
      TRANSFER,
      { input: { ...transferInput(anaAccount, fundId, 'CONTRIBUTION').input, amount: '20.00' } },
      ana.token,
    ),
  );
  // Demurrage into the fund, for runDemurrage.
  expectData(
    await gql(
      app,
      'mutation($input: SetIssuancePolicyInput!) { setIssuancePolicy(input: $input) { accountsUpdated } }',
      { input: { currencyCode: 'HOUR', policy: POLICY('-100.00') } },
      community.steward.token,
    ),
  );
  // A backed currency, for mint and reserve deposits.
  await createCurrency(app, community, { code: 'EUR', kind: 'NATIONAL' });
  expectData(
    await gql(
      app,
      'mutation($input: CreateCurrencyInput!) { createCurrency(input: $input) { code } }',
      {
        input: {
          code: 'BRK',
          name: 'Brook',
          kind: 'LOCAL',
          scale: 2,
          policy: { mode: 'BACKED', reserveCurrencyCode: 'EUR', mintRate: '1', backingRatio: '2' },
        },
      },
      community.steward.token,
    ),
  );
  brkAccount = await openAccount(app, ana.token, { currencyCode: 'BRK' });
  const [otherPayer, otherPayee] = await Promise.all([
    registerUser(app, other),
    registerUser(app, other),
  ]);
  otherFrom = {
    token: otherPayer.token,
    account: await openAccount(app, otherPayer.token, { currencyCode: 'HOUR' }),
  };
  otherTo = await openAccount(app, otherPayee.token, { currencyCode: 'HOUR' });
}, 120_000);

afterAll(async () => {
  await app.close();
});

describe('steward mutations amid transfers on the same accounts, with a pool of three', () => {
  it.each(STEPS.map((step) => [step.name, step] as const))(
    '%s: nothing times out or deadlocks, and another community is answered promptly',
    async (_name, step) => {
      const calls = await step.calls();
      const stop = { done: false };
      const load = transferLoad(stop);
      // Let the transfers queue up on the accounts' locks first.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const stewardCalls = Promise.all(
        calls.map(([query, variables]) =>
          timed(step.name, query, variables, step.by?.() ?? community.steward.token),
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      const probe = await timed(
        'another community',
        TRANSFER,
        transferInput(otherFrom.account, otherTo),
        otherFrom.token,
      );
      const stewards = await stewardCalls;
      stop.done = true;
      const transfers = await load;

      expect(probe.response.errors).toBeUndefined();
      expect(probe.ms).toBeLessThan(PROMPT_MS);
      const everyCall = [...stewards, ...transfers];
      const failed = everyCall.flatMap((call) =>
        (call.response.errors ?? [])
          .filter(
            (error) =>
              FAILURE_CODES.includes(String(error.extensions?.code)) ||
              /deadlock|timeout/i.test(error.message),
          )
          .map((error) => `${call.label}: ${String(error.extensions?.code)} ${error.message}`),
      );
      expect(failed).toEqual([]);
      const slow = everyCall
        .filter((call) => call.ms >= PROMPT_MS)
        .map((call) => `${call.label}: ${call.ms} ms`);
      expect(slow).toEqual([]);
      // Each step did its work: at least one of its calls was not refused.
      expect(stewards.filter((call) => call.response.errors === undefined).length).toBeGreaterThan(
        0,
      );
    },
    60_000,
  );
});

/**
 * A community whose HOUR accounts are two members' and a shop's, one of the
 * shop's (opened after the members') having the lowest id of all; undefined
 * when none of twelve did.
 */
async function shopAccountFirstInOrder() {
  const place = await createCommunity(app);
  await createCurrency(app, place, { defaultFloor: '-10.00' });
  const members = await Promise.all([registerUser(app, place), registerUser(app, place)]);
  const memberAccounts: string[] = [];
  for (const member of members) {
    memberAccounts.push(await openAccount(app, member.token, { currencyCode: 'HOUR' }));
  }
  const shop = await registerUser(app, place, 'SHOP');
  const shopAccounts: string[] = [];
  for (let attempt = 0; attempt < 12; attempt += 1) {
    const opened = await openAccount(app, shop.token, { currencyCode: 'HOUR' });
    shopAccounts.push(opened);
    if (memberAccounts.every((id) => opened < id)) {
      return { place, memberAccounts, shopAccounts, lowest: opened };
    }
  }
  return undefined;
}

describe('a change of policy applied to existing accounts', () => {
  /**
   * Deterministic form of the deadlock: the UPDATE of every member and shop
   * account must take their rows in id order, as a transfer does. A
   * transaction of the test's own plays the transfer: it holds the lowest id
   * of the currency's accounts (a SHOP account, opened last, so that neither
   * a scan of the table nor of its kind-and-name index reaches it first).
   * The policy change must then wait for it holding no other account: every
   * other account can still be locked at once.
   */
  it('takes the accounts in id order, so that it waits holding none of them', async () => {
    // Account ids are random: when the members' happen to be low, a new
    // community is tried (each round fails with odds of about 1 in 7).
    let found: Awaited<ReturnType<typeof shopAccountFirstInOrder>>;
    for (let round = 0; round < 6 && found === undefined; round += 1) {
      found = await shopAccountFirstInOrder();
    }
    if (found === undefined) throw new Error('no SHOP account with the lowest id was opened');
    const { place, memberAccounts, shopAccounts, lowest } = found;
    const others = [...memberAccounts, ...shopAccounts].filter((id) => id !== lowest);

    const transfer = new Client({ connectionString: testDatabaseUrl() });
    await transfer.connect();
    try {
      await transfer.query('BEGIN');
      await transfer.query("SELECT set_config('mutua.community_id', $1, true)", [place.id]);
      await transfer.query(
        'SELECT id FROM accounts WHERE community_id = $1 AND id = $2 FOR UPDATE',
        [place.id, lowest],
      );
      const change = gql<{ setIssuancePolicy: { accountsUpdated: number } }>(
        app,
        'mutation($input: SetIssuancePolicyInput!) { setIssuancePolicy(input: $input) { accountsUpdated } }',
        {
          input: {
            currencyCode: 'HOUR',
            applyToExistingAccounts: true,
            policy: { mode: 'MUTUAL_CREDIT', defaultFloor: '-20.00' },
          },
        },
        place.steward.token,
      );
      // Wait until the change is queued on the lowest account's lock.
      const waiting = async () => {
        // Activity is read from a snapshot kept for the whole transaction unless cleared.
        await transfer.query('SELECT pg_stat_clear_snapshot()');
        return (
          (
            await transfer.query<{ count: number }>(
              `SELECT count(*)::int AS count FROM pg_stat_activity
              WHERE wait_event_type = 'Lock' AND query ILIKE '%accounts%' AND pid <> pg_backend_pid()`,
            )
          ).rows[0].count > 0
        );
      };
      for (let tries = 0; tries < 100 && !(await waiting()); tries += 1) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(await waiting()).toBe(true);
      // A transfer on any other account would get its lock now.
      await transfer.query('SAVEPOINT others');
      const taken = await transfer
        .query(
          'SELECT id FROM accounts WHERE community_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE NOWAIT',
          [place.id, others],
        )
        .then(
          () => 'all free',
          (error: { code?: string }) => `held by the policy change (${error.code})`,
        );
      expect(taken).toBe('all free');
      await transfer.query('ROLLBACK');
      const updated = expectData(await change).setIssuancePolicy.accountsUpdated;
      expect(updated).toBe(memberAccounts.length + shopAccounts.length);
    } finally {
      await transfer.query('ROLLBACK').catch(() => undefined);
      await transfer.end();
    }
  }, 60_000);
});
