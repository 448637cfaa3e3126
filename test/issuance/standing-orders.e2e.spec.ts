import { INestApplication } from '@nestjs/common';
import { StandingOrdersService } from '../../src/standing-orders/standing-orders.service';
import {
  balanceOf,
  createCommunity,
  createCurrency,
  expectData,
  openAccount,
  registerUser,
} from '../support/factories';
import { createTestApp, errorCode, gql } from '../support/test-app';

/**
 * Recurring payments: each due occurrence is paid once, however often or
 * concurrently the scheduler runs, and a failed one is recorded, shown and
 * never retried.
 */
const CREATE = `mutation($input: CreateStandingOrderInput!) {
  createStandingOrder(input: $input) { id amount interval nextRunAt status }
}`;
const LIST = `query($id: ID!) {
  standingOrders(accountId: $id) { id status nextRunAt runs { dueAt transferId errorCode } }
}`;

describe('standing orders', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createTestApp();
  });

  afterAll(async () => {
    await app.close();
  });

  async function setUp(floor: string) {
    const community = await createCommunity(app);
    await createCurrency(app, community, { defaultFloor: floor });
    const payer = await registerUser(app, community);
    const club = await registerUser(app, community);
    return {
      community,
      payer,
      payerAccount: await openAccount(app, payer.token, { currencyCode: 'HOUR' }),
      clubAccount: await openAccount(app, club.token, { currencyCode: 'HOUR' }),
    };
  }

  it('pays a monthly membership fee once per occurrence, even when runs overlap', async () => {
    const { payer, payerAccount, clubAccount } = await setUp('-10.00');
    const startsAt = new Date(Date.now() - 1000);
    const created = await gql<{ createStandingOrder: { id: string } }>(
      app,
      CREATE,
      {
        input: {
          fromAccountId: payerAccount,
          toAccountId: clubAccount,
          amount: '2.00',
          interval: 'MONTH',
          memo: 'Membership',
          startsAt: startsAt.toISOString(),
        },
      },
      payer.token,
    );
    expectData(created);
    const scheduler = app.get(StandingOrdersService);
    await Promise.all([1, 2, 3].map(() => scheduler.runDue(new Date())));
    await scheduler.runDue(new Date());
    expect(await balanceOf(app, payer.token, payerAccount)).toBe('-2.00');
    const listed = expectData(
      await gql<{
        standingOrders: Array<{ nextRunAt: string; runs: Array<{ transferId: string | null }> }>;
      }>(app, LIST, { id: payerAccount }, payer.token),
    );
    const order = listed.standingOrders[0];
    expect(order.runs).toHaveLength(1);
    expect(order.runs[0].transferId).not.toBeNull();
    const next = new Date(startsAt);
    next.setUTCMonth(next.getUTCMonth() + 1);
    expect(order.nextRunAt).toBe(next.toISOString());

    // A month later the next one falls due, and only that one.
    await scheduler.runDue(new Date(next.getTime() + 1000));
    expect(await balanceOf(app, payer.token, payerAccount)).toBe('-4.00');
  });

  it('records a failed occurrence for the payer to see and does not retry it', async () => {
    const { community, payer, payerAccount, clubAccount } = await setUp('0.00');
    expectData(
      await gql(
        app,
        CREATE,
        {
          input: {
            fromAccountId: payerAccount,
            toAccountId: clubAccount,
            amount: '2.00',
            interval: 'WEEK',
            startsAt: new Date(Date.now() - 1000).toISOString(),
          },
        },
        payer.token,
      ),
    );
    const scheduler = app.get(StandingOrdersService);
    await scheduler.runDue(new Date());
    await scheduler.runDue(new Date());
    const listed = expectData(
      await gql<{
        standingOrders: Array<{
          runs: Array<{ errorCode: string | null; transferId: string | null }>;
        }>;
      }>(app, LIST, { id: payerAccount }, community.steward.token),
    );
    expect(listed.standingOrders[0].runs).toEqual([
      expect.objectContaining({ errorCode: 'INSUFFICIENT_FUNDS', transferId: null }),
    ]);
    expect(await balanceOf(app, payer.token, payerAccount)).toBe('0.00');
  });

  it("refuses an order from someone else's account, and lets the owner cancel theirs", async () => {
    const { community, payer, payerAccount, clubAccount } = await setUp('-10.00');
    const stranger = await registerUser(app, community);
    const input = {
      fromAccountId: payerAccount,
      toAccountId: clubAccount,
      amount: '1.00',
      interval: 'DAY',
      // Due tomorrow: no scheduler, this app's or another's, can pay it before it is cancelled.
      startsAt: new Date(Date.now() + 86_400_000).toISOString(),
    };
    expect(errorCode(await gql(app, CREATE, { input }, stranger.token))).toBe('FORBIDDEN');
    const created = expectData(
      await gql<{ createStandingOrder: { id: string } }>(app, CREATE, { input }, payer.token),
    );
    const cancelled = await gql(
      app,
      'mutation($id: ID!) { cancelStandingOrder(id: $id) { status } }',
      { id: created.createStandingOrder.id },
      payer.token,
    );
    expect(expectData(cancelled)).toEqual({ cancelStandingOrder: { status: 'CANCELLED' } });
    await app.get(StandingOrdersService).runDue(new Date(Date.now() + 2 * 86_400_000));
    expect(await balanceOf(app, payer.token, payerAccount)).toBe('0.00');
  });
  it('refuses a first payment long past or more than a year ahead', async () => {
    const { payer, payerAccount, clubAccount } = await setUp('-10.00');
    const create = (startsAt: string) =>
      gql(
        app,
        CREATE,
        {
          input: {
            fromAccountId: payerAccount,
            toAccountId: clubAccount,
            amount: '1.00',
            interval: 'MONTH',
            startsAt,
          },
        },
        payer.token,
      );
    for (const startsAt of [
      '0000-01-01T00:00:00Z',
      new Date(Date.now() - 2 * 3600_000).toISOString(),
      new Date(Date.now() + 367 * 86_400_000).toISOString(),
    ]) {
      const refused = await create(startsAt);
      expect({ startsAt, code: errorCode(refused) }).toEqual({ startsAt, code: 'BAD_USER_INPUT' });
      expect(refused.errors?.[0]?.extensions?.field).toBe('startsAt');
    }
    expectData(await create(new Date(Date.now() + 300 * 86_400_000).toISOString()));
    expectData(await create(new Date(Date.now() - 30 * 60_000).toISOString()));
  });

  it('pays at most the latest three occurrences missed during a long outage, and records the skip', async () => {
    const { payer, payerAccount, clubAccount } = await setUp('-100.00');
    const startsAt = new Date(Date.now() - 1000);
    expectData(
      await gql(
        app,
        CREATE,
        {
          input: {
            fromAccountId: payerAccount,
            toAccountId: clubAccount,
            amount: '1.00',
            interval: 'DAY',
            startsAt: startsAt.toISOString(),
          },
        },
        payer.token,
      ),
    );
    // No scheduler ran for thirty days: 31 occurrences are due.
    const later = new Date(startsAt.getTime() + 30 * 86_400_000 + 1000);
    const scheduler = app.get(StandingOrdersService);
    for (let sweep = 0; sweep < 40 && (await scheduler.runDue(later)) > 0; sweep += 1);
    expect(await balanceOf(app, payer.token, payerAccount)).toBe('-3.00');
    const listed = expectData(
      await gql<{
        standingOrders: Array<{
          nextRunAt: string;
          runs: Array<{ errorCode: string | null; transferId: string | null }>;
        }>;
      }>(app, LIST, { id: payerAccount }, payer.token),
    );
    const [order] = listed.standingOrders;
    expect(new Date(order.nextRunAt).getTime()).toBeGreaterThan(later.getTime());
    expect(order.runs.filter((run) => run.transferId !== null)).toHaveLength(3);
    expect(order.runs.filter((run) => run.transferId === null)).toEqual([
      expect.objectContaining({ errorCode: 'MISSED_OCCURRENCES_SKIPPED' }),
    ]);
  });
});
