import { INestApplication } from '@nestjs/common';
import { createCommunity, expectData } from '../support/factories';
import { Decision, requestDisbursement, vote } from '../funds/fund-helpers';
import { createTestApp, gql } from '../support/test-app';
import {
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

const FUND_REPORT = `query($accountId: ID!, $from: DateTime, $to: DateTime) {
  fundReport(accountId: $accountId, from: $from, to: $to) {
    account { id kind } from to openingBalance closingBalance
    inflows { ...flows } outflows { ...flows }
    pending { id status amount kind toAccount { id } } pendingCount pendingTotal
  }
}
fragment flows on FundFlows {
  total transferCount counterpartyCount
  byKind { kind amount transferCount }
  byCounterparty { amount transferCount counterparty { id name } }
}`;

interface FlowsView {
  total: string;
  transferCount: number;
  counterpartyCount: number;
  byKind: Array<{ kind: string; amount: string; transferCount: number }>;
  byCounterparty: Array<{
    amount: string;
    transferCount: number;
    counterparty: { id: string; name: string };
  }>;
}

interface FundReportView {
  account: { id: string; kind: string };
  from: string | null;
  to: string | null;
  openingBalance: string;
  closingBalance: string;
  inflows: FlowsView;
  outflows: FlowsView;
  pending: Array<{
    id: string;
    status: string;
    amount: string;
    kind: string;
    toAccount: { id: string };
  }>;
  pendingCount: number;
  pendingTotal: string;
}

const NO_FLOWS: FlowsView = {
  total: '0.00',
  transferCount: 0,
  counterpartyCount: 0,
  byKind: [],
  byCounterparty: [],
};

describe('fundReport', () => {
  let app: INestApplication;
  let members: Members;

  beforeAll(async () => {
    app = await createTestApp();
    members = await createMembers(app);
  });

  afterAll(async () => {
    await app.close();
  });

  async function openFund(books: Books): Promise<string> {
    const response = await gql<{ openAccount: { id: string } }>(
      app,
      'mutation($input: OpenAccountInput!) { openAccount(input: $input) { id } }',
      // One member (carol) asks for most of it here: the report is the subject, not the limits.
      {
        input: {
          currencyCode: books.currency,
          kind: 'FUND',
          name: 'Mutual aid',
          memberSharePercent: 100,
        },
      },
      books.steward,
    );
    return expectData(response).openAccount.id;
  }

  function fundReport(token: string, variables: Record<string, unknown>) {
    return gql<{ fundReport: FundReportView }>(app, FUND_REPORT, variables, token);
  }

  async function reportOk(books: Books, variables: Record<string, unknown>) {
    return expectData(await fundReport(books.steward, variables)).fundReport;
  }

  /** carol asks the fund for money: a PENDING disbursement until the steward votes. */
  async function askFund(books: Books, fund: string, amount: string, memo: string) {
    const response = await requestDisbursement(app, books.carol.user.token, {
      fundAccountId: fund,
      toAccountId: books.carol.accountId,
      amount,
      memo,
    });
    return expectData(response).requestDisbursement.id;
  }

  async function decide(books: Books, decision: Decision, id: string) {
    return expectData(await vote(app, books.steward, decision, id))[decision];
  }

  /**
   * alice gives 2.00 and later 0.50, bob gives 1.00 (reversed later), the
   * fund disburses 1.50 to carol, and a disbursement of 0.75 to carol waits
   * for the steward's vote.
   */
  async function fundHistory(books: Books, fund: string) {
    const { alice, bob } = books;
    const contribution = { kind: 'CONTRIBUTION' };
    const aliceGives = await post(
      app,
      alice.user.token,
      alice.accountId,
      fund,
      '2.00',
      contribution,
    );
    const bobGives = await post(app, bob.user.token, bob.accountId, fund, '1.00', contribution);
    const aliceAgain = await post(
      app,
      alice.user.token,
      alice.accountId,
      fund,
      '0.50',
      contribution,
    );
    const approved = await decide(
      books,
      'approveTransfer',
      await askFund(books, fund, '1.50', 'Rent help'),
    );
    expect(approved.status).toBe('POSTED');
    const payout = { id: approved.id, postedAt: approved.postedAt ?? '' };
    const reversal = await reverse(app, books.steward, bobGives.id, 'Bob asked for it back');
    const waiting = { id: await askFund(books, fund, '0.75', 'Bus fare') };
    return { aliceGives, bobGives, aliceAgain, payout, reversal, waiting };
  }

  it('sums inflows and outflows by kind and by counterparty, with what waits to leave the fund', async () => {
    const books = await openBooks(app, members);
    const fund = await openFund(books);
    const { waiting } = await fundHistory(books, fund);
    const view = await reportOk(books, { accountId: fund });
    expect(view).toEqual({
      account: { id: fund, kind: 'FUND' },
      from: null,
      to: null,
      openingBalance: '0.00',
      closingBalance: '1.00',
      inflows: {
        total: '3.50',
        transferCount: 3,
        counterpartyCount: 2,
        byKind: [{ kind: 'CONTRIBUTION', amount: '3.50', transferCount: 3 }],
        byCounterparty: [
          {
            amount: '2.50',
            transferCount: 2,
            counterparty: { id: books.alice.accountId, name: 'alice' },
          },
          {
            amount: '1.00',
            transferCount: 1,
            counterparty: { id: books.bob.accountId, name: 'bob' },
          },
        ],
      },
      outflows: {
        total: '2.50',
        transferCount: 2,
        counterpartyCount: 2,
        byKind: [
          { kind: 'DISBURSEMENT', amount: '1.50', transferCount: 1 },
          { kind: 'REVERSAL', amount: '1.00', transferCount: 1 },
        ],
        byCounterparty: [
          {
            amount: '1.50',
            transferCount: 1,
            counterparty: { id: books.carol.accountId, name: 'carol' },
          },
          {
            amount: '1.00',
            transferCount: 1,
            counterparty: { id: books.bob.accountId, name: 'bob' },
          },
        ],
      },
      pending: [
        {
          id: waiting.id,
          status: 'PENDING',
          amount: '0.75',
          kind: 'DISBURSEMENT',
          toAccount: { id: books.carol.accountId },
        },
      ],
      pendingCount: 1,
      pendingTotal: '0.75',
    });
  });

  it('reports a period between transfers with its opening and closing balances', async () => {
    const books = await openBooks(app, members);
    const fund = await openFund(books);
    const { bobGives, aliceAgain, payout, reversal } = await fundHistory(books, fund);
    const from = between(bobGives.postedAt, aliceAgain.postedAt);
    const to = between(payout.postedAt, reversal.postedAt);
    const view = await reportOk(books, { accountId: fund, from, to });
    expect(view).toMatchObject({
      from,
      to,
      openingBalance: '3.00',
      closingBalance: '2.00',
      inflows: {
        total: '0.50',
        transferCount: 1,
        byKind: [{ kind: 'CONTRIBUTION', amount: '0.50', transferCount: 1 }],
        byCounterparty: [{ amount: '0.50', counterparty: { id: books.alice.accountId } }],
      },
      outflows: {
        total: '1.50',
        byKind: [{ kind: 'DISBURSEMENT', amount: '1.50', transferCount: 1 }],
        byCounterparty: [{ amount: '1.50', counterparty: { id: books.carol.accountId } }],
      },
      pendingCount: 1,
      pendingTotal: '0.75',
    });
    // The reversal belongs to the period in which it posted.
    const after = await reportOk(books, { accountId: fund, from: reversal.postedAt });
    expect(after).toMatchObject({
      openingBalance: '2.00',
      closingBalance: '1.00',
      inflows: NO_FLOWS,
      outflows: { total: '1.00', byKind: [{ kind: 'REVERSAL', amount: '1.00', transferCount: 1 }] },
    });
  });

  it('reports an empty period, and a fund with no history, as unchanged balances and no flows', async () => {
    const books = await openBooks(app, members);
    const fund = await openFund(books);
    const { aliceGives, bobGives } = await fundHistory(books, fund);
    const from = between(aliceGives.postedAt, bobGives.postedAt);
    const view = await reportOk(books, { accountId: fund, from, to: shift(from, 1) });
    expect(view).toMatchObject({
      openingBalance: '2.00',
      closingBalance: '2.00',
      inflows: NO_FLOWS,
      outflows: NO_FLOWS,
    });
    const idle = await openFund(books);
    expect(await reportOk(books, { accountId: idle })).toMatchObject({
      openingBalance: '0.00',
      closingBalance: '0.00',
      inflows: NO_FLOWS,
      outflows: NO_FLOWS,
      pending: [],
      pendingCount: 0,
      pendingTotal: '0.00',
    });
  });

  it('no longer lists a pending disbursement once it is rejected', async () => {
    const books = await openBooks(app, members);
    const fund = await openFund(books);
    const { waiting } = await fundHistory(books, fund);
    expect((await decide(books, 'rejectTransfer', waiting.id)).status).toBe('VOIDED');
    expect(await reportOk(books, { accountId: fund })).toMatchObject({
      closingBalance: '1.00',
      pending: [],
      pendingCount: 0,
      pendingTotal: '0.00',
    });
  });

  it('is for stewards, about FUND accounts of their community', async () => {
    const books = await openBooks(app, members);
    const fund = await openFund(books);
    expect(codeOf(await fundReport(books.alice.user.token, { accountId: fund }))).toBe('FORBIDDEN');
    const other = await createCommunity(app);
    expect(codeOf(await fundReport(other.steward.token, { accountId: fund }))).toBe('NOT_FOUND');
    expect(codeOf(await gql(app, FUND_REPORT, { accountId: fund }))).toBe('UNAUTHENTICATED');
    const member = await fundReport(books.steward, { accountId: books.alice.accountId });
    expect(codeOf(member)).toBe('BAD_USER_INPUT');
    const now = new Date().toISOString();
    expect(codeOf(await fundReport(books.steward, { accountId: fund, from: now, to: now }))).toBe(
      'BAD_USER_INPUT',
    );
  });
});
