import { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { withinCommunity } from '../../src/common/database/tenancy';
import { createCommunity, expectData } from '../support/factories';
import { createTestApp, gql } from '../support/test-app';
import { GENESIS_HASH } from '../../src/ledger';
import {
  addHolder,
  between,
  Books,
  codeOf,
  createMembers,
  issuanceAccountId,
  Members,
  openBooks,
  post,
  reverse,
  shift,
} from './report-helpers';

const BALANCE_AS_OF = `query($accountId: ID!, $at: DateTime!) { balanceAsOf(accountId: $accountId, at: $at) }`;

const TRIAL_BALANCE = `query($currencyCode: String!, $at: DateTime, $first: Int, $after: String) {
  trialBalance(currencyCode: $currencyCode, at: $at, first: $first, after: $after) {
    currencyCode at total balanced problems accountCount
    accounts {
      edges { cursor node { balance account { id kind name } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

interface TrialBalanceLineView {
  balance: string;
  account: { id: string; kind: string; name: string };
}

interface TrialBalancePage {
  currencyCode: string;
  at: string | null;
  total: string;
  balanced: boolean;
  problems: string[];
  accountCount: number;
  accounts: {
    edges: Array<{ cursor: string; node: TrialBalanceLineView }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

/** A whole trial balance, its pages put together. */
interface TrialBalanceView {
  currencyCode: string;
  at: string | null;
  total: string;
  balanced: boolean;
  problems: string[];
  accounts: TrialBalanceLineView[];
}

describe('balanceAsOf and trialBalance', () => {
  let app: INestApplication;
  let members: Members;

  beforeAll(async () => {
    app = await createTestApp();
    members = await createMembers(app);
  });

  afterAll(async () => {
    await app.close();
  });

  async function balanceAsOf(token: string, accountId: string, at: string) {
    return gql<{ balanceAsOf: string }>(app, BALANCE_AS_OF, { accountId, at }, token);
  }

  async function balanceOk(token: string, accountId: string, at: string): Promise<string> {
    return expectData(await balanceAsOf(token, accountId, at)).balanceAsOf;
  }

  async function trialBalance(
    token: string,
    currencyCode: string,
    at?: string,
    page: { first?: number; after?: string } = {},
  ) {
    return gql<{ trialBalance: TrialBalancePage }>(
      app,
      TRIAL_BALANCE,
      { currencyCode, at, ...page },
      token,
    );
  }

  /**
   * Every page of a trial balance, `first` lines at a time, put together; the
   * totals must be the same on every page and count the lines of all of them.
   */
  async function trialOk(books: Books, at?: string, first = 100): Promise<TrialBalanceView> {
    const lines: TrialBalanceLineView[] = [];
    let totals: Omit<TrialBalancePage, 'accounts'> | undefined;
    let after: string | undefined;
    for (;;) {
      const page = expectData(
        await trialBalance(books.steward, books.currency, at, { first, after }),
      ).trialBalance;
      const { accounts, ...pageTotals } = page;
      if (totals === undefined) totals = pageTotals;
      expect(pageTotals).toEqual(totals);
      expect(accounts.edges.length).toBeLessThanOrEqual(first);
      lines.push(...accounts.edges.map((edge) => edge.node));
      if (!accounts.pageInfo.hasNextPage) break;
      after = accounts.pageInfo.endCursor ?? undefined;
      expect(after).toBe(accounts.edges[accounts.edges.length - 1].cursor);
    }
    const { accountCount, ...view } = totals;
    expect(lines).toHaveLength(accountCount);
    return { ...view, accounts: lines };
  }

  /** alice → bob 3.00, bob → carol 1.00, carol → alice 0.25, a moment apart. */
  async function threeTransfers(books: Books) {
    const { alice, bob, carol } = books;
    const first = await post(app, alice.user.token, alice.accountId, bob.accountId, '3.00');
    const second = await post(app, bob.user.token, bob.accountId, carol.accountId, '1.00');
    const third = await post(app, carol.user.token, carol.accountId, alice.accountId, '0.25');
    return { first, second, third };
  }

  it('gives an account’s balance at any instant: before, between, exactly at and after its transfers', async () => {
    const books = await openBooks(app, members);
    const { first, second, third } = await threeTransfers(books);
    const token = books.alice.user.token;
    const alice = books.alice.accountId;
    const expectations: Array<[string, string]> = [
      [shift(first.postedAt, -1), '0.00'],
      [first.postedAt, '-3.00'],
      [between(first.postedAt, second.postedAt), '-3.00'],
      [second.postedAt, '-3.00'],
      [between(second.postedAt, third.postedAt), '-3.00'],
      [third.postedAt, '-2.75'],
      [shift(third.postedAt, 86400_000), '-2.75'],
      ['2000-01-01T00:00:00Z', '0.00'],
    ];
    for (const [at, balance] of expectations) {
      expect({ at, balance: await balanceOk(token, alice, at) }).toEqual({ at, balance });
    }
    expect(
      await balanceOk(
        books.bob.user.token,
        books.bob.accountId,
        between(second.postedAt, third.postedAt),
      ),
    ).toBe('2.00');
    expect(await balanceOk(books.steward, books.carol.accountId, third.postedAt)).toBe('0.75');
  });

  it('lists every account with its balance now and at instants between transfers, totalling zero', async () => {
    const books = await openBooks(app, members);
    const issuance = await issuanceAccountId(app, books);
    const { first, second, third } = await threeTransfers(books);
    const now = await trialOk(books);
    expect(now).toEqual({
      currencyCode: books.currency,
      at: null,
      total: '0.00',
      balanced: true,
      problems: [],
      accounts: [
        { balance: '0.00', account: { id: issuance, kind: 'ISSUANCE', name: 'Issuance' } },
        { balance: '-2.75', account: { id: books.alice.accountId, kind: 'MEMBER', name: 'alice' } },
        { balance: '2.00', account: { id: books.bob.accountId, kind: 'MEMBER', name: 'bob' } },
        { balance: '0.75', account: { id: books.carol.accountId, kind: 'MEMBER', name: 'carol' } },
      ],
    });
    expect(await trialOk(books, undefined, 1)).toEqual(now);
    expect(await trialOk(books, third.postedAt, 3)).toEqual(await trialOk(books, third.postedAt));
    const balancesAt = async (at: string) =>
      Object.fromEntries(
        (await trialOk(books, at)).accounts.map((line) => [line.account.name, line.balance]),
      );
    const firstGap = between(first.postedAt, second.postedAt);
    expect(await trialOk(books, firstGap)).toMatchObject({
      at: firstGap,
      total: '0.00',
      balanced: true,
    });
    expect(await balancesAt(firstGap)).toEqual({
      Issuance: '0.00',
      alice: '-3.00',
      bob: '3.00',
      carol: '0.00',
    });
    expect(await balancesAt(between(second.postedAt, third.postedAt))).toEqual({
      Issuance: '0.00',
      alice: '-3.00',
      bob: '2.00',
      carol: '1.00',
    });
    expect(await balancesAt(third.postedAt)).toEqual({
      Issuance: '0.00',
      alice: '-2.75',
      bob: '2.00',
      carol: '0.75',
    });
  });

  it('leaves out accounts opened after the instant, and lists none before the currency existed', async () => {
    const books = await openBooks(app, members);
    const { first } = await threeTransfers(books);
    const late = await gql<{ openAccount: { id: string } }>(
      app,
      'mutation($input: OpenAccountInput!) { openAccount(input: $input) { id } }',
      { input: { currencyCode: books.currency, kind: 'FUND', name: 'Late fund' } },
      books.steward,
    );
    const lateId = expectData(late).openAccount.id;
    const before = await trialOk(books, first.postedAt);
    expect(before.accounts.map((line) => line.account.id)).not.toContain(lateId);
    expect(before.accounts).toHaveLength(4);
    const later = await trialOk(books, shift(new Date().toISOString(), 60_000));
    expect(later.accounts.find((line) => line.account.id === lateId)?.balance).toBe('0.00');
    expect(await trialOk(books, '2001-01-01T00:00:00Z')).toMatchObject({
      total: '0.00',
      balanced: true,
      accounts: [],
    });
  });

  it('follows a reversal: balances before it keep their values, after it the original is undone', async () => {
    const books = await openBooks(app, members);
    const { first, third } = await threeTransfers(books);
    const reversal = await reverse(app, books.steward, first.id);
    const token = books.alice.user.token;
    expect(
      await balanceOk(token, books.alice.accountId, between(third.postedAt, reversal.postedAt)),
    ).toBe('-2.75');
    expect(await balanceOk(token, books.alice.accountId, reversal.postedAt)).toBe('0.25');
    const after = await trialOk(books, reversal.postedAt);
    expect(
      Object.fromEntries(after.accounts.map((line) => [line.account.name, line.balance])),
    ).toEqual({
      Issuance: '0.00',
      alice: '0.25',
      bob: '-1.00',
      carol: '0.75',
    });
    expect(after.total).toBe('0.00');
  });

  it('pages through the lines by kind and name, with the totals of every account on each page', async () => {
    const books = await openBooks(app, members);
    await threeTransfers(books);
    for (const name of ['dave', 'erin', 'frank']) {
      await addHolder(app, books.community, books.currency, name);
    }
    const whole = await trialOk(books, undefined, 2);
    expect(whole.accounts.map((line) => line.account.name)).toEqual([
      'Issuance',
      'alice',
      'bob',
      'carol',
      'dave',
      'erin',
      'frank',
    ]);
    expect(whole).toMatchObject({ total: '0.00', balanced: true });
    const first = expectData(
      await trialBalance(books.steward, books.currency, undefined, { first: 3 }),
    ).trialBalance;
    expect(first.accountCount).toBe(7);
    expect(first.accounts.edges.map((edge) => edge.node.account.name)).toEqual([
      'Issuance',
      'alice',
      'bob',
    ]);
    expect(first.accounts.pageInfo.hasNextPage).toBe(true);
    const cursor = first.accounts.pageInfo.endCursor ?? '';
    const asOfPage = expectData(
      await trialBalance(books.steward, books.currency, shift(new Date().toISOString(), 1000), {
        first: 3,
        after: cursor,
      }),
    ).trialBalance;
    expect(asOfPage.accounts.edges.map((edge) => edge.node.account.name)).toEqual([
      'carol',
      'dave',
      'erin',
    ]);
    for (const after of ['nonsense', Buffer.from('[1,2,3]').toString('base64url')]) {
      expect(codeOf(await trialBalance(books.steward, books.currency, undefined, { after }))).toBe(
        'BAD_USER_INPUT',
      );
    }
    expect(
      codeOf(await trialBalance(books.steward, books.currency, undefined, { first: 101 })),
    ).toBe('BAD_USER_INPUT');
  });

  it('reports a trial balance that does not sum to zero as a problem instead of hiding it', async () => {
    // Only a corrupted database can get here: an account row written behind the ledger's back.
    const books = await openBooks(app, members);
    await threeTransfers(books);
    await withinCommunity(books.community.id, () =>
      app.get(DataSource).query(
        `INSERT INTO accounts (community_id, id, currency_code, kind, name, balance_minor, last_hash)
         VALUES ($1, $2, $3, 'FEES', 'Forged', 500, $4)`,
        [books.community.id, randomUUID(), books.currency, GENESIS_HASH],
      ),
    );
    const view = await trialOk(books);
    expect(view).toMatchObject({ total: '5.00', balanced: false });
    expect(view.problems).toEqual([`balances of ${books.currency} sum to 5.00, not zero`]);
  });

  it('shows balances to those who may read the account, and trial balances to stewards only', async () => {
    const books = await openBooks(app, members);
    const { third } = await threeTransfers(books);
    expect(
      codeOf(await balanceAsOf(books.bob.user.token, books.alice.accountId, third.postedAt)),
    ).toBe('FORBIDDEN');
    expect(codeOf(await trialBalance(books.alice.user.token, books.currency))).toBe('FORBIDDEN');
    const other = await createCommunity(app);
    expect(
      codeOf(await balanceAsOf(other.steward.token, books.alice.accountId, third.postedAt)),
    ).toBe('NOT_FOUND');
    expect(codeOf(await trialBalance(other.steward.token, books.currency))).toBe('NOT_FOUND');
    expect(codeOf(await gql(app, TRIAL_BALANCE, { currencyCode: books.currency }))).toBe(
      'UNAUTHENTICATED',
    );
    expect(codeOf(await trialBalance(books.steward, 'NOPE'))).toBe('NOT_FOUND');
    expect(codeOf(await trialBalance(books.steward, 'not a code'))).toBe('BAD_USER_INPUT');
    expect(codeOf(await balanceAsOf(books.steward, 'not-a-uuid', third.postedAt))).toBe(
      'BAD_USER_INPUT',
    );
    expect(
      codeOf(
        await gql(
          app,
          'query($id: ID!) { balanceAsOf(accountId: $id) }',
          { id: books.alice.accountId },
          books.steward,
        ),
      ),
      // A required argument left out makes the document invalid.
    ).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});
