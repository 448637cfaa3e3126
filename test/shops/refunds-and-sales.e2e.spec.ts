import { INestApplication } from '@nestjs/common';
import { balanceOf, expectData, openAccount, pay, unique } from '../support/factories';
import { createTestApp, errorCode, gql } from '../support/test-app';
import {
  newRequest,
  paymentsSince,
  payRequest,
  refund,
  shopWorld,
  ShopWorld,
} from './shop-helpers';

/**
 * Refunds of payments (linked, capped at what was paid, also when many run
 * at once), a till's catch-up list of payments, and a shop's sales for a
 * day or a period, with fees borne by the shop.
 */
describe('refunds, payments since a cursor, and shop sales', () => {
  let app: INestApplication;
  let world: ShopWorld;

  beforeAll(async () => {
    app = await createTestApp();
    world = await shopWorld(app, 2);
  });

  afterAll(async () => {
    await app.close();
  });

  async function paid(amount: string, payerIndex = 0): Promise<string> {
    const payer = world.members[payerIndex];
    const request = await newRequest(app, world, { amount });
    return expectData(
      await payRequest(app, payer.user.token, {
        paymentRequestId: request.id,
        fromAccountId: payer.account,
      }),
    ).payPaymentRequest.id;
  }

  it('refunds part, then the rest, then refuses more: never above what was paid', async () => {
    const [payer] = world.members;
    const paymentId = await paid('2.00');
    const payerBefore = await balanceOf(app, payer.user.token, payer.account);
    const part = await refund(app, world.shop.token, {
      transferId: paymentId,
      amount: '0.50',
      reason: 'One item was missing',
    });
    expect(expectData(part).refundPayment).toMatchObject({ amount: '0.50', kind: 'PAYMENT' });
    const tooMuch = await refund(app, world.shop.token, { transferId: paymentId, amount: '1.60' });
    expect(errorCode(tooMuch)).toBe('CONFLICT');
    expect(tooMuch.errors?.[0].extensions?.reason).toBe('REFUND_EXCEEDS_PAYMENT');
    expect(tooMuch.errors?.[0].message).toMatch(/At most 1\.50 HOUR of this payment of 2\.00/);
    const rest = await refund(app, world.shop.token, { transferId: paymentId });
    expect(expectData(rest).refundPayment.amount).toBe('1.50');
    const nothingLeft = await refund(app, world.shop.token, { transferId: paymentId });
    expect(errorCode(nothingLeft)).toBe('CONFLICT');
    expect(Number(await balanceOf(app, payer.user.token, payer.account))).toBeCloseTo(
      Number(payerBefore) + 2,
      5,
    );
    const { payments } = await paymentsSince(app, world.readKey, world.shopAccount);
    const payment = payments.find((candidate) => candidate.transferId === paymentId);
    expect(payment?.refundedAmount).toBe('2.00');
    // Refunds are not payments into the shop.
    expect(payments.every((candidate) => candidate.amount !== '1.50')).toBe(true);
  });

  it('a retried refund returns the same transfer; a refund of a refund or of a non-payment is refused', async () => {
    const paymentId = await paid('1.00');
    const key = unique('refund');
    const first = expectData(
      await refund(app, world.shop.token, { transferId: paymentId, idempotencyKey: key }),
    ).refundPayment;
    const retry = expectData(
      await refund(app, world.shop.token, { transferId: paymentId, idempotencyKey: key }),
    ).refundPayment;
    expect(retry.id).toBe(first.id);
    const [member, other] = world.members;
    // The refund went to the member: the shop cannot refund it, nor can the member.
    const ofRefund = await refund(app, world.shop.token, { transferId: first.id });
    expect(errorCode(ofRefund)).toBe('FORBIDDEN');
    const ofRefundByMember = await refund(app, member.user.token, { transferId: first.id });
    expect(errorCode(ofRefundByMember)).toBe('POLICY_VIOLATION');
    const exchange = expectData(
      await pay(app, member.user.token, member.account, other.account, '0.10'),
    ).transfer;
    const notAPayment = await refund(app, other.user.token, { transferId: exchange.id });
    expect(errorCode(notAPayment)).toBe('POLICY_VIOLATION');
    const byPayer = await refund(app, member.user.token, { transferId: paymentId });
    expect(errorCode(byPayer)).toBe('FORBIDDEN');
    const unknown = await refund(app, world.shop.token, {
      transferId: '00000000-0000-4000-8000-000000000000',
    });
    expect(errorCode(unknown)).toBe('NOT_FOUND');
  });

  it('caps concurrent refunds of one payment at what was paid', async () => {
    const paymentId = await paid('3.00', 1);
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        refund(app, world.shop.token, { transferId: paymentId, amount: '0.70' }),
      ),
    );
    const refunded = results.filter((result) => result.errors === undefined);
    expect(refunded).toHaveLength(4);
    expect(
      results.filter((result) => result.errors !== undefined).map((result) => errorCode(result)),
    ).toEqual(Array(6).fill('CONFLICT'));
    const { payments } = await paymentsSince(app, world.shop.token, world.shopAccount);
    expect(payments.find((payment) => payment.transferId === paymentId)?.refundedAmount).toBe(
      '2.80',
    );
  });

  it('lists payments oldest first after a cursor, with plain PAYMENT transfers too, and misses none', async () => {
    const fresh = await shopWorld(app, 1);
    const [member] = fresh.members;
    const ids: string[] = [];
    for (let index = 1; index <= 5; index += 1) {
      const request = await newRequest(app, fresh, {
        amount: `0.0${index}`,
        reference: `R-${index}`,
      });
      ids.push(
        expectData(
          await payRequest(app, member.user.token, {
            paymentRequestId: request.id,
            fromAccountId: member.account,
          }),
        ).payPaymentRequest.id,
      );
    }
    const plain = expectData(
      await pay(app, member.user.token, member.account, fresh.shopAccount, '0.09', {
        kind: 'PAYMENT',
        memo: 'At the market stall',
      }),
    ).transfer;
    ids.push(plain.id);
    const first = await paymentsSince(app, fresh.readKey, fresh.shopAccount, undefined, 2);
    expect(first.payments.map((payment) => payment.transferId)).toEqual(ids.slice(0, 2));
    expect(first.payments[0]).toMatchObject({
      amount: '0.01',
      fee: '0.00',
      reference: 'R-1',
      accountId: fresh.shopAccount,
      refundedAmount: '0.00',
      payerName: expect.stringContaining('Member0') as unknown,
    });
    expect(first.hasNextPage).toBe(true);
    const rest = await paymentsSince(app, fresh.readKey, fresh.shopAccount, first.endCursor!);
    expect(rest.payments.map((payment) => payment.transferId)).toEqual(ids.slice(2));
    expect(rest.payments.at(-1)).toMatchObject({
      paymentRequestId: null,
      memo: 'At the market stall',
      amount: '0.09',
    });
    const none = await paymentsSince(app, fresh.readKey, fresh.shopAccount, rest.endCursor!);
    expect(none.payments).toEqual([]);
    expect(none.endCursor).toBe(rest.endCursor);
    const bad = await gql(
      app,
      'query($id: ID!) { paymentsSince(accountId: $id, after: "bm9wZQ") { edges { cursor } } }',
      { id: fresh.shopAccount },
      fresh.readKey,
    );
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
  });

  it('sums a day’s sales: count, received, fees borne by the shop, refunds, net', async () => {
    const fresh = await shopWorld(app, 1);
    const fees = await openAccount(app, fresh.community.steward.token, {
      currencyCode: 'HOUR',
      kind: 'FEES',
      name: 'Fees',
    });
    expectData(
      await gql(
        app,
        'mutation($input: SetIssuancePolicyInput!) { setIssuancePolicy(input: $input) { policy { version } } }',
        {
          input: {
            currencyCode: 'HOUR',
            policy: {
              mode: 'MUTUAL_CREDIT',
              defaultFloor: '-10.00',
              transactionFeePercent: '10',
              transactionFeePaidBy: 'RECEIVER',
              transactionFeeAccountId: fees,
            },
          },
        },
        fresh.community.steward.token,
      ),
    );
    const [member] = fresh.members;
    const payments = [];
    for (const amount of ['2.00', '3.00']) {
      const request = await newRequest(app, fresh, { amount });
      payments.push(
        expectData(
          await payRequest(app, member.user.token, {
            paymentRequestId: request.id,
            fromAccountId: member.account,
          }),
        ).payPaymentRequest.id,
      );
    }
    // The payer refunded 1.00 receives 0.90: the fee is the receiver's.
    expectData(await refund(app, fresh.shop.token, { transferId: payments[1], amount: '1.00' }));
    const since = await paymentsSince(app, fresh.readKey, fresh.shopAccount);
    expect(since.payments.map((payment) => payment.fee)).toEqual(['0.20', '0.30']);
    const sales = async (args: Record<string, unknown>) =>
      expectData(
        await gql<{
          shopSales: Record<string, unknown>;
        }>(
          app,
          `query($id: ID!, $from: DateTime, $to: DateTime) { shopSales(accountId: $id, from: $from, to: $to) {
            accountId currencyCode from to count totalReceived fees refunds net } }`,
          { id: fresh.shopAccount, ...args },
          fresh.readKey,
        ),
      ).shopSales;
    const today = await sales({});
    expect(today).toMatchObject({
      accountId: fresh.shopAccount,
      currencyCode: 'HOUR',
      count: 2,
      totalReceived: '5.00',
      fees: '0.50',
      refunds: '1.00',
      net: '3.50',
    });
    const midnight = new Date();
    midnight.setUTCHours(0, 0, 0, 0);
    expect(today.from).toBe(midnight.toISOString());
    expect(Number(await balanceOf(app, fresh.shop.token, fresh.shopAccount))).toBeCloseTo(3.5, 5);
    const yesterday = await sales({
      from: new Date(midnight.getTime() - 86_400_000).toISOString(),
      to: midnight.toISOString(),
    });
    expect(yesterday).toMatchObject({ count: 0, totalReceived: '0.00', net: '0.00' });
    const tooLong = await gql(
      app,
      'query($id: ID!, $from: DateTime) { shopSales(accountId: $id, from: $from, to: "2099-01-01T00:00:00Z") { count } }',
      { id: fresh.shopAccount, from: '2000-01-01T00:00:00Z' },
      fresh.readKey,
    );
    expect(errorCode(tooLong)).toBe('BAD_USER_INPUT');
  });
});
