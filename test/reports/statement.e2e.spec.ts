import { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { createCommunity, expectData } from '../support/factories';
import { createTestApp, gql } from '../support/test-app';
import {
  addHolder,
  between,
  Books,
  codeOf,
  createMembers,
  Members,
  openBooks,
  post,
  reverse,
  shift,
} from './report-helpers';

const STATEMENT = `query($accountId: ID!, $from: DateTime, $to: DateTime, $first: Int, $after: String) {
  accountStatement(accountId: $accountId, from: $from, to: $to, first: $first, after: $after) {
    account { id }
    from to openingBalance closingBalance totalIn totalOut entryCount
    entries {
      edges { cursor node { amount balanceAfter sequence kind memo postedAt
        counterparty { id name } transfer { id } account { id } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

interface StatementView {
  account: { id: string };
  from: string | null;
  to: string | null;
  openingBalance: string;
  closingBalance: string;
  totalIn: string;
  totalOut: string;
  entryCount: number;
  entries: {
    edges: Array<{
      cursor: string;
      node: {
        amount: string;
        balanceAfter: string;
        sequence: number;
        kind: string;
        memo: string | null;
        postedAt: string;
        counterparty: { id: string; name: string };
        transfer: { id: string };
        account: { id: string };
      };
    }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

describe('accountStatement', () => {
  let app: INestApplication;
  let members: Members;

  beforeAll(async () => {
    app = await createTestApp();
    members = await createMembers(app);
  });

  afterAll(async () => {
    await app.close();
  });

  function statement(token: string, variables: Record<string, unknown>) {
    return gql<{ accountStatement: StatementView }>(app, STATEMENT, variables, token);
  }

  async function statementOk(token: string, variables: Record<string, unknown>) {
    return expectData(await statement(token, variables)).accountStatement;
  }

  /** alice → bob 2.00, bob → alice 0.50, alice → carol 1.25, a moment apart. */
  async function threeTransfers(books: Books) {
    const { alice, bob, carol } = books;
    const first = await post(app, alice.user.token, alice.accountId, bob.accountId, '2.00', {
      memo: 'Two hours of gardening',
    });
    const second = await post(app, bob.user.token, bob.accountId, alice.accountId, '0.50', {
      memo: 'Half an hour of tutoring',
    });
    const third = await post(app, alice.user.token, alice.accountId, carol.accountId, '1.25', {
      kind: 'PAYMENT',
    });
    return { first, second, third };
  }

  it('lists every entry with running balance, counterparty, kind and memo, between opening and closing balances', async () => {
    const books = await openBooks(app, members);
    const { first, second, third } = await threeTransfers(books);
    const view = await statementOk(books.alice.user.token, { accountId: books.alice.accountId });
    expect(view).toMatchObject({
      account: { id: books.alice.accountId },
      from: null,
      to: null,
      openingBalance: '0.00',
      closingBalance: '-2.75',
      totalIn: '0.50',
      totalOut: '3.25',
      entryCount: 3,
      entries: { pageInfo: { hasNextPage: false } },
    });
    expect(view.entries.edges.map((edge) => edge.node)).toEqual([
      {
        amount: '-2.00',
        balanceAfter: '-2.00',
        sequence: 1,
        kind: 'EXCHANGE',
        memo: 'Two hours of gardening',
        postedAt: first.postedAt,
        counterparty: { id: books.bob.accountId, name: 'bob' },
        transfer: { id: first.id },
        account: { id: books.alice.accountId },
      },
      {
        amount: '0.50',
        balanceAfter: '-1.50',
        sequence: 2,
        kind: 'EXCHANGE',
        memo: 'Half an hour of tutoring',
        postedAt: second.postedAt,
        counterparty: { id: books.bob.accountId, name: 'bob' },
        transfer: { id: second.id },
        account: { id: books.alice.accountId },
      },
      {
        amount: '-1.25',
        balanceAfter: '-2.75',
        sequence: 3,
        kind: 'PAYMENT',
        memo: null,
        postedAt: third.postedAt,
        counterparty: { id: books.carol.accountId, name: 'carol' },
        transfer: { id: third.id },
        account: { id: books.alice.accountId },
      },
    ]);
  });

  it('opens and closes a period between transfers with the balances at those instants', async () => {
    const books = await openBooks(app, members);
    const { first, second, third } = await threeTransfers(books);
    const from = between(first.postedAt, second.postedAt);
    const to = between(second.postedAt, third.postedAt);
    const view = await statementOk(books.alice.user.token, {
      accountId: books.alice.accountId,
      from,
      to,
    });
    expect(view).toMatchObject({
      from,
      to,
      openingBalance: '-2.00',
      closingBalance: '-1.50',
      totalIn: '0.50',
      totalOut: '0.00',
      entryCount: 1,
    });
    expect(view.entries.edges.map((edge) => edge.node.sequence)).toEqual([2]);
  });

  it('counts an entry posted exactly at `from` in the period and one exactly at `to` in the next', async () => {
    const books = await openBooks(app, members);
    const { first, second, third } = await threeTransfers(books);
    const view = await statementOk(books.alice.user.token, {
      accountId: books.alice.accountId,
      from: second.postedAt,
      to: third.postedAt,
    });
    expect(view).toMatchObject({ openingBalance: '-2.00', closingBalance: '-1.50', entryCount: 1 });
    const next = await statementOk(books.alice.user.token, {
      accountId: books.alice.accountId,
      from: third.postedAt,
    });
    expect(next).toMatchObject({ openingBalance: '-1.50', closingBalance: '-2.75', entryCount: 1 });
    const before = await statementOk(books.alice.user.token, {
      accountId: books.alice.accountId,
      to: first.postedAt,
    });
    expect(before).toMatchObject({ openingBalance: '0.00', closingBalance: '0.00', entryCount: 0 });
  });

  it('shows an empty period as equal opening and closing balances and no entries', async () => {
    const books = await openBooks(app, members);
    const { first, second } = await threeTransfers(books);
    const from = between(first.postedAt, second.postedAt);
    const view = await statementOk(books.alice.user.token, {
      accountId: books.alice.accountId,
      from,
      to: shift(from, 1),
    });
    expect(view).toMatchObject({
      openingBalance: '-2.00',
      closingBalance: '-2.00',
      totalIn: '0.00',
      totalOut: '0.00',
      entryCount: 0,
      entries: { edges: [], pageInfo: { hasNextPage: false, endCursor: null } },
    });
    const untouched = await statementOk(books.carol.user.token, {
      accountId: books.carol.accountId,
      to: first.postedAt,
    });
    expect(untouched).toMatchObject({ openingBalance: '0.00', closingBalance: '0.00' });
    const future = await statementOk(books.alice.user.token, {
      accountId: books.alice.accountId,
      from: shift(new Date().toISOString(), 3600_000),
    });
    expect(future).toMatchObject({
      openingBalance: '-2.75',
      closingBalance: '-2.75',
      entryCount: 0,
    });
  });

  it('pages through a period with cursors, the last page full or not', async () => {
    const books = await openBooks(app, members);
    const { alice, bob } = books;
    const posted = [];
    for (let index = 1; index <= 5; index += 1) {
      posted.push(await post(app, alice.user.token, alice.accountId, bob.accountId, `0.${index}0`));
    }
    const pages: number[][] = [];
    const more: boolean[] = [];
    let after: string | undefined;
    do {
      const view = await statementOk(alice.user.token, {
        accountId: alice.accountId,
        first: 2,
        after,
      });
      pages.push(view.entries.edges.map((edge) => edge.node.sequence));
      more.push(view.entries.pageInfo.hasNextPage);
      expect(view).toMatchObject({ openingBalance: '0.00', closingBalance: '-1.50' });
      after = view.entries.pageInfo.endCursor ?? undefined;
      if (view.entries.edges.length > 0) {
        expect(after).toBe(view.entries.edges[view.entries.edges.length - 1].cursor);
      }
      if (!view.entries.pageInfo.hasNextPage) break;
    } while (pages.length < 10);
    expect(pages).toEqual([[1, 2], [3, 4], [5]]);
    expect(more).toEqual([true, true, false]);

    // A period of exactly four entries: the second page of two is the last.
    const period = {
      accountId: alice.accountId,
      from: posted[1].postedAt,
      first: 2,
    };
    const firstPage = await statementOk(alice.user.token, period);
    expect(firstPage.entries.edges.map((edge) => edge.node.sequence)).toEqual([2, 3]);
    expect(firstPage.entries.pageInfo.hasNextPage).toBe(true);
    const secondPage = await statementOk(alice.user.token, {
      ...period,
      after: firstPage.entries.pageInfo.endCursor,
    });
    expect(secondPage.entries.edges.map((edge) => edge.node.balanceAfter)).toEqual([
      '-1.00',
      '-1.50',
    ]);
    expect(secondPage.entries.pageInfo.hasNextPage).toBe(false);
    expect(secondPage).toMatchObject({ openingBalance: '-0.10', totalOut: '1.40', entryCount: 4 });

    // The period bounds the pages: a cursor from before the period starts at its beginning,
    // and a page never runs past its end.
    const bounded = await statementOk(alice.user.token, {
      accountId: alice.accountId,
      from: posted[2].postedAt,
      to: posted[4].postedAt,
      after: firstPage.entries.edges[0].cursor,
      first: 100,
    });
    expect(bounded.entries.edges.map((edge) => edge.node.sequence)).toEqual([3, 4]);
    expect(bounded.entries.pageInfo.hasNextPage).toBe(false);

    // The default page is 25 entries.
    const all = await statementOk(alice.user.token, { accountId: alice.accountId });
    expect(all.entries.edges).toHaveLength(5);
  });

  it('shows a reversal as an entry of kind REVERSAL that undoes the original', async () => {
    const books = await openBooks(app, members);
    const { first, second } = await threeTransfers(books);
    const reversal = await reverse(app, books.steward, first.id, 'Gardening never happened');
    const view = await statementOk(books.alice.user.token, {
      accountId: books.alice.accountId,
      from: between(first.postedAt, second.postedAt),
    });
    expect(view).toMatchObject({
      openingBalance: '-2.00',
      closingBalance: '-0.75',
      totalIn: '2.50',
      totalOut: '1.25',
      entryCount: 3,
    });
    expect(view.entries.edges[2].node).toMatchObject({
      amount: '2.00',
      balanceAfter: '-0.75',
      sequence: 4,
      kind: 'REVERSAL',
      memo: 'Gardening never happened',
      counterparty: { id: books.bob.accountId },
      transfer: { id: reversal.id },
    });
    const bob = await statementOk(books.bob.user.token, { accountId: books.bob.accountId });
    expect(bob).toMatchObject({ closingBalance: '-0.50', totalIn: '2.00', totalOut: '2.50' });
  });

  it('shows members their own statements only; stewards any of their community', async () => {
    const books = await openBooks(app, members);
    await threeTransfers(books);
    const own = await statement(books.bob.user.token, { accountId: books.alice.accountId });
    expect(codeOf(own)).toBe('FORBIDDEN');
    const steward = await statementOk(books.steward, { accountId: books.alice.accountId });
    expect(steward.closingBalance).toBe('-2.75');
    const other = await createCommunity(app);
    expect(codeOf(await statement(other.steward.token, { accountId: books.alice.accountId }))).toBe(
      'NOT_FOUND',
    );
    expect(codeOf(await gql(app, STATEMENT, { accountId: books.alice.accountId }))).toBe(
      'UNAUTHENTICATED',
    );
    expect(codeOf(await statement(books.steward, { accountId: randomUUID() }))).toBe('NOT_FOUND');
  });

  it('lets a shop and its till key read the shop’s statement', async () => {
    const books = await openBooks(app, members);
    const shop = await addHolder(app, books.community, books.currency, 'bakery', 'SHOP');
    await post(app, books.alice.user.token, books.alice.accountId, shop.accountId, '3.00', {
      kind: 'PAYMENT',
      memo: 'Bread',
    });
    const key = await gql<{ createApiKey: { key: string } }>(
      app,
      'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }',
      { input: { name: 'till', scopes: ['READ_PAYMENTS'] } },
      shop.user.token,
    );
    const tillKey = expectData(key).createApiKey.key;
    for (const token of [shop.user.token, tillKey]) {
      const view = await statementOk(token, { accountId: shop.accountId });
      expect(view).toMatchObject({ closingBalance: '3.00', totalIn: '3.00', entryCount: 1 });
      expect(view.entries.edges[0].node).toMatchObject({ memo: 'Bread', kind: 'PAYMENT' });
    }
    expect(codeOf(await statement(tillKey, { accountId: books.alice.accountId }))).toBe(
      'FORBIDDEN',
    );
  });

  it('refuses bad input with BAD_USER_INPUT', async () => {
    const books = await openBooks(app, members);
    const token = books.alice.user.token;
    const accountId = books.alice.accountId;
    const now = new Date().toISOString();
    for (const variables of [
      { accountId, from: now, to: now },
      { accountId, from: now, to: shift(now, -1) },
      { accountId, first: 0 },
      { accountId, first: 101 },
      { accountId, after: 'not-a-cursor' },
      { accountId, after: Buffer.from('["x"]').toString('base64url') },
      { accountId, after: Buffer.from('[-3]').toString('base64url') },
      { accountId: 'not-a-uuid' },
      { accountId, from: '2026-02-30T00:00:00Z' },
    ]) {
      expect({ variables, code: codeOf(await statement(token, variables)) }).toEqual({
        variables,
        code: 'BAD_USER_INPUT',
      });
    }
  });
});
