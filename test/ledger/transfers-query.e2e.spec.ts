import { INestApplication } from '@nestjs/common';
import { expectData, unique } from '../support/factories';
import { createTestApp, errorCode, gql, GraphQLResponse } from '../support/test-app';
import {
  addMember,
  createLedger,
  errorField,
  Ledger,
  Member,
  newCommunity,
  sleep,
  transferOk,
} from './ledger-helpers';

const TRANSFERS = `query($filter: TransferFilter, $first: Int, $after: String) {
  transfers(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id kind status createdAt } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const VERIFY = `query($code: String!) {
  verifyLedger(currencyCode: $code) { ok problems accountsChecked entriesChecked }
}`;

interface TransferPage {
  transfers: {
    edges: Array<{
      cursor: string;
      node: { id: string; kind: string; status: string; createdAt: string };
    }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

/**
 * A small history, oldest first:
 * t1 alice→bob 1.00 EXCHANGE, t2 bob→alice 0.50 PAYMENT, (midpoint),
 * t3 alice→bob 2.00 pending, t4 alice→bob 0.25 voided, t5 alice→carol 3.00 CONTRIBUTION,
 * t6 carol→dave 1.00 EXCHANGE.
 */
interface History {
  ledger: Ledger;
  carol: Member;
  dave: Member;
  ids: { t1: string; t2: string; t3: string; t4: string; t5: string; t6: string };
  midpoint: string;
}

describe('listing transfers and verifying the ledger', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createTestApp();
  });

  afterAll(async () => {
    await app.close();
  });

  function list(
    token: string,
    variables: { filter?: Record<string, unknown>; first?: number; after?: string } = {},
  ): Promise<GraphQLResponse<TransferPage>> {
    return gql<TransferPage>(app, TRANSFERS, variables, token);
  }

  async function ids(
    token: string,
    variables: { filter?: Record<string, unknown>; first?: number } = {},
  ): Promise<string[]> {
    const page = expectData(await list(token, { first: 100, ...variables })).transfers;
    return page.edges.map((edge) => edge.node.id);
  }

  async function history(): Promise<History> {
    const ledger = await createLedger(app);
    const [carol, dave] = await Promise.all([
      addMember(app, ledger.community, ledger.currency),
      addMember(app, ledger.community, ledger.currency),
    ]);
    const { alice, bob } = ledger;
    // Distinct creation instants (milliseconds) keep the expected order exact.
    const step = async <T>(make: () => Promise<T>): Promise<T> => {
      const made = await make();
      await sleep(5);
      return made;
    };
    const pay = (from: Member, to: Member, amount: string, extra: Record<string, string> = {}) =>
      step(() =>
        transferOk(app, from.user.token, {
          fromAccountId: from.accountId,
          toAccountId: to.accountId,
          amount,
          ...extra,
        }),
      );
    const t1 = await pay(alice, bob, '1.00');
    const t2 = await pay(bob, alice, '0.50', { kind: 'PAYMENT' });
    const midpoint = new Date().toISOString();
    await sleep(5);
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const t3 = await pay(alice, bob, '2.00', { pendingUntil: later });
    const t4 = await pay(alice, bob, '0.25', { pendingUntil: later });
    expectData(
      await gql(
        app,
        'mutation($id: ID!) { voidTransfer(id: $id) { id } }',
        { id: t4.id },
        alice.user.token,
      ),
    );
    const t5 = await pay(alice, carol, '3.00', { kind: 'CONTRIBUTION' });
    const t6 = await pay(carol, dave, '1.00');
    return {
      ledger,
      carol,
      dave,
      ids: { t1: t1.id, t2: t2.id, t3: t3.id, t4: t4.id, t5: t5.id, t6: t6.id },
      midpoint,
    };
  }

  describe('transfers', () => {
    it('lists the transfers touching an account, newest first', async () => {
      const { ledger, ids: t } = await history();
      expect(await ids(ledger.steward, { filter: { accountId: ledger.alice.accountId } })).toEqual([
        t.t5,
        t.t4,
        t.t3,
        t.t2,
        t.t1,
      ]);
      expect(await ids(ledger.steward)).toEqual([t.t6, t.t5, t.t4, t.t3, t.t2, t.t1]);
    });

    it('filters by kind', async () => {
      const { ledger, ids: t } = await history();
      expect(await ids(ledger.steward, { filter: { kind: 'PAYMENT' } })).toEqual([t.t2]);
      expect(await ids(ledger.steward, { filter: { kind: 'CONTRIBUTION' } })).toEqual([t.t5]);
      expect(
        await ids(ledger.steward, {
          filter: { kind: 'EXCHANGE', accountId: ledger.alice.accountId },
        }),
      ).toEqual([t.t4, t.t3, t.t1]);
      expect(await ids(ledger.steward, { filter: { kind: 'ADJUSTMENT' } })).toEqual([]);
    });

    it('filters by status', async () => {
      const { ledger, ids: t } = await history();
      expect(await ids(ledger.steward, { filter: { status: 'PENDING' } })).toEqual([t.t3]);
      expect(await ids(ledger.steward, { filter: { status: 'VOIDED' } })).toEqual([t.t4]);
      expect(
        await ids(ledger.steward, {
          filter: { status: 'POSTED', accountId: ledger.alice.accountId },
        }),
      ).toEqual([t.t5, t.t2, t.t1]);
    });

    it('filters by period: from is inclusive, to is exclusive', async () => {
      const { ledger, ids: t, midpoint } = await history();
      expect(await ids(ledger.steward, { filter: { from: midpoint } })).toEqual([
        t.t6,
        t.t5,
        t.t4,
        t.t3,
      ]);
      expect(await ids(ledger.steward, { filter: { to: midpoint } })).toEqual([t.t2, t.t1]);
      const all = expectData(await list(ledger.steward, { first: 100 })).transfers.edges;
      const t3CreatedAt = all.find((edge) => edge.node.id === t.t3)!.node.createdAt;
      const t5CreatedAt = all.find((edge) => edge.node.id === t.t5)!.node.createdAt;
      expect(await ids(ledger.steward, { filter: { from: t3CreatedAt, to: t5CreatedAt } })).toEqual(
        [t.t4, t.t3],
      );
      expect(
        await ids(ledger.steward, {
          filter: { from: midpoint, to: midpoint, accountId: ledger.alice.accountId },
        }),
      ).toEqual([]);
    });

    it('pages with first and after, newest first, without duplicates or gaps, across transfers made at one instant', async () => {
      const { ledger } = await history();
      const { alice, bob } = ledger;
      // A batch gives its transfers one creation instant: the cursor must break the tie.
      const batch = await gql<{ transferBatch: { postedCount: number } }>(
        app,
        'mutation($input: TransferBatchInput!) { transferBatch(input: $input) { postedCount } }',
        {
          input: {
            atomic: true,
            transfers: Array.from({ length: 5 }, () => ({
              fromAccountId: bob.accountId,
              toAccountId: alice.accountId,
              amount: '0.10',
              kind: 'EXCHANGE',
              idempotencyKey: unique('page'),
            })),
          },
        },
        bob.user.token,
      );
      expect(expectData(batch).transferBatch.postedCount).toBe(5);
      const everything = await ids(ledger.steward);
      expect(everything).toHaveLength(11);

      const seen: string[] = [];
      const createdAts: string[] = [];
      let after: string | undefined;
      let pages = 0;
      for (;;) {
        const page = expectData(await list(ledger.steward, { first: 2, after })).transfers;
        pages += 1;
        expect(page.edges.length).toBeLessThanOrEqual(2);
        seen.push(...page.edges.map((edge) => edge.node.id));
        createdAts.push(...page.edges.map((edge) => edge.node.createdAt));
        expect(page.pageInfo.endCursor).toBe(page.edges[page.edges.length - 1].cursor);
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor!;
      }
      expect(pages).toBe(6);
      expect(seen).toEqual(everything);
      expect(new Set(seen).size).toBe(11);
      const times = createdAts.map((createdAt) => Date.parse(createdAt));
      expect(times).toEqual([...times].sort((a, b) => b - a));
    });

    it('answers an empty page with no cursor and no next page', async () => {
      const community = await newCommunity(app);
      const page = expectData(await list(community.steward.token, { first: 2 })).transfers;
      expect(page).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
    });

    it.each([
      ['first: 101', { first: 101 }],
      ['first: 0', { first: 0 }],
      ['a cursor that is not one', { after: 'not-a-cursor' }],
      ['a cursor of another shape', { after: Buffer.from('["x"]').toString('base64url') }],
    ])('refuses %s with BAD_USER_INPUT', async (_label, variables) => {
      const community = await newCommunity(app);
      const response = await list(community.steward.token, variables);
      expect(errorCode(response)).toBe('BAD_USER_INPUT');
      expect(response.data ?? null).toBeNull();
    });

    it('names the cursor when refusing a bad one', async () => {
      const community = await newCommunity(app);
      const response = await list(community.steward.token, { after: 'bm90IGpzb24' });
      expect(errorCode(response)).toBe('BAD_USER_INPUT');
      expect(errorField(response)).toBe('after');
    });

    it('shows a member without a filter only the transfers touching their own accounts', async () => {
      const { ledger, carol, dave, ids: t } = await history();
      expect(await ids(ledger.alice.user.token)).toEqual([t.t5, t.t4, t.t3, t.t2, t.t1]);
      expect(await ids(ledger.bob.user.token)).toEqual([t.t4, t.t3, t.t2, t.t1]);
      expect(await ids(carol.user.token)).toEqual([t.t6, t.t5]);
      expect(await ids(dave.user.token)).toEqual([t.t6]);
    });

    it("refuses a member the transfers of another member's account with FORBIDDEN", async () => {
      const { ledger, dave } = await history();
      const response = await list(ledger.alice.user.token, {
        filter: { accountId: dave.accountId },
      });
      expect(errorCode(response)).toBe('FORBIDDEN');
    });
  });

  describe('verifyLedger', () => {
    it('proves the books after activity', async () => {
      const { ledger } = await history();
      const response = await gql<{ verifyLedger: Record<string, unknown> }>(
        app,
        VERIFY,
        { code: ledger.currency },
        ledger.steward,
      );
      // ISSUANCE and four members; t1, t2, t5 and t6 posted two entries each.
      expect(expectData(response).verifyLedger).toEqual({
        ok: true,
        problems: [],
        accountsChecked: 5,
        entriesChecked: 8,
      });
    });

    it('refuses a member with FORBIDDEN', async () => {
      const ledger = await createLedger(app);
      const response = await gql(app, VERIFY, { code: ledger.currency }, ledger.alice.user.token);
      expect(errorCode(response)).toBe('FORBIDDEN');
      expect(response.data ?? null).toBeNull();
    });

    it('answers an unknown currency with NOT_FOUND', async () => {
      const ledger = await createLedger(app);
      const response = await gql(app, VERIFY, { code: 'NOPE' }, ledger.steward);
      expect(errorCode(response)).toBe('NOT_FOUND');
    });
  });
});
