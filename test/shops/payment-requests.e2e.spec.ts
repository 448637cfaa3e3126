import { INestApplication } from '@nestjs/common';
import {
  balanceOf,
  createCurrency,
  expectData,
  openAccount,
  registerUser,
  TRANSFER,
  unique,
} from '../support/factories';
import { createTestApp, errorCode, gql } from '../support/test-app';
import {
  createRequest,
  newRequest,
  paymentsSince,
  payRequest,
  REQUEST_FIELDS,
  RequestView,
  shopWorld,
  ShopWorld,
} from './shop-helpers';

/**
 * Payment requests from creation to payment, cancellation and expiry, and
 * the refusals a payer or a till can meet: each says why, and posts nothing.
 */
describe('payment requests', () => {
  let app: INestApplication;
  let world: ShopWorld;

  beforeAll(async () => {
    app = await createTestApp();
    world = await shopWorld(app, 3);
  });

  afterAll(async () => {
    await app.close();
  });

  async function view(token: string, id: string) {
    return gql<{ paymentRequest: RequestView & { payments: Array<{ transferId: string }> } }>(
      app,
      `query($id: ID!) { paymentRequest(id: $id) { ${REQUEST_FIELDS} payments { transferId payerName } } }`,
      { id },
      token,
    );
  }

  it('creates a fixed-amount single-use request with a payment URI, a QR code and a 15-minute expiry', async () => {
    const before = Date.now();
    const response = await gql<{ createPaymentRequest: RequestView & { qrSvg: string } }>(
      app,
      `mutation($input: CreatePaymentRequestInput!) { createPaymentRequest(input: $input) { ${REQUEST_FIELDS} qrSvg } }`,
      {
        input: {
          toAccountId: world.shopAccount,
          amount: '2.50',
          memo: 'Bread and milk',
          reference: 'R-1001',
        },
      },
      world.tillKey,
    );
    const request = expectData(response).createPaymentRequest;
    expect(request).toMatchObject({
      status: 'OPEN',
      toAccountId: world.shopAccount,
      currencyCode: 'HOUR',
      amount: '2.50',
      memo: 'Bread and milk',
      reference: 'R-1001',
      reusable: false,
      paidAmount: '0.00',
      paymentUri: `mutua:pay?r=${request.id}`,
    });
    const expiresIn = new Date(request.expiresAt!).getTime() - before;
    expect(expiresIn).toBeGreaterThan(14 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(15 * 60_000 + 5_000);
    expect(request.qrSvg.startsWith('<svg')).toBe(true);
    expect(request.qrSvg).toContain('<path');
    const other = await newRequest(app, world, { amount: '2.50' });
    const otherSvg = await gql<{ paymentRequest: { qrSvg: string } }>(
      app,
      'query($id: ID!) { paymentRequest(id: $id) { qrSvg } }',
      { id: other.id },
      world.shop.token,
    );
    expect(expectData(otherSvg).paymentRequest.qrSvg).not.toEqual(request.qrSvg);
  });

  it('shows a payer the shop, amount, currency, memo and status, but not the shop’s payments', async () => {
    const request = await newRequest(app, world, { amount: '1.00', memo: 'Coffee' });
    const [payer] = world.members;
    const seen = expectData(await view(payer.user.token, request.id)).paymentRequest;
    expect(seen).toMatchObject({
      status: 'OPEN',
      amount: '1.00',
      currencyCode: 'HOUR',
      memo: 'Coffee',
      shopName: expect.stringContaining('CornerShop') as unknown,
      payments: [],
    });
  });

  it('is paid once by a member: PAID, the money moved, a retry returns the same transfer, a second payer gets CONFLICT', async () => {
    const [payer, second] = world.members;
    const request = await newRequest(app, world, { amount: '1.25', reference: 'R-2' });
    const shopBefore = await balanceOf(app, world.shop.token, world.shopAccount);
    const key = unique('pay');
    const paid = await payRequest(app, payer.user.token, {
      paymentRequestId: request.id,
      fromAccountId: payer.account,
      idempotencyKey: key,
    });
    const transfer = expectData(paid).payPaymentRequest;
    expect(transfer).toMatchObject({ amount: '1.25', kind: 'PAYMENT', status: 'POSTED' });
    const again = await payRequest(app, payer.user.token, {
      paymentRequestId: request.id,
      fromAccountId: payer.account,
      idempotencyKey: key,
    });
    expect(expectData(again).payPaymentRequest.id).toBe(transfer.id);
    const otherPayload = await payRequest(app, payer.user.token, {
      paymentRequestId: request.id,
      fromAccountId: payer.account,
      amount: '1.25',
      idempotencyKey: key,
    });
    // The same amount spelled out is the same payment.
    expect(expectData(otherPayload).payPaymentRequest.id).toBe(transfer.id);

    const refused = await payRequest(app, second.user.token, {
      paymentRequestId: request.id,
      fromAccountId: second.account,
    });
    expect(errorCode(refused)).toBe('CONFLICT');
    expect(refused.errors?.[0].extensions?.reason).toBe('PAYMENT_REQUEST_PAID');
    expect(refused.errors?.[0].message).toMatch(/already been paid/);

    const shopView = expectData(await view(world.shop.token, request.id)).paymentRequest;
    expect(shopView.status).toBe('PAID');
    expect(shopView.paidAmount).toBe('1.25');
    expect(shopView.payments).toEqual([{ transferId: transfer.id, payerName: expect.any(String) }]);
    const shopAfter = await balanceOf(app, world.shop.token, world.shopAccount);
    expect(Number(shopAfter) - Number(shopBefore)).toBeCloseTo(1.25, 5);
  });

  it('takes an open amount from the payer, and refuses a payment without one', async () => {
    const [payer] = world.members;
    const request = await newRequest(app, world, { memo: 'Pay what you like' });
    expect(request.amount).toBeNull();
    const missing = await payRequest(app, payer.user.token, {
      paymentRequestId: request.id,
      fromAccountId: payer.account,
    });
    expect(errorCode(missing)).toBe('BAD_USER_INPUT');
    expect(missing.errors?.[0].extensions?.reason).toBe('PAYMENT_AMOUNT_MISMATCH');
    const paid = await payRequest(app, payer.user.token, {
      paymentRequestId: request.id,
      fromAccountId: payer.account,
      amount: '0.75',
    });
    expect(expectData(paid).payPaymentRequest.amount).toBe('0.75');
    const tooPrecise = await payRequest(app, payer.user.token, {
      paymentRequestId: (await newRequest(app, world)).id,
      fromAccountId: payer.account,
      amount: '0.755',
    });
    expect(errorCode(tooPrecise)).toBe('BAD_USER_INPUT');
  });

  it('refuses another amount on a fixed-amount request, posting nothing', async () => {
    const [payer] = world.members;
    const request = await newRequest(app, world, { amount: '1.00' });
    const before = await balanceOf(app, payer.user.token, payer.account);
    const response = await payRequest(app, payer.user.token, {
      paymentRequestId: request.id,
      fromAccountId: payer.account,
      amount: '0.10',
    });
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect(response.errors?.[0].message).toMatch(/exactly 1\.00 HOUR/);
    expect(await balanceOf(app, payer.user.token, payer.account)).toBe(before);
    expect(expectData(await view(world.shop.token, request.id)).paymentRequest.status).toBe('OPEN');
  });

  it('is cancelled by the shop and then refused with CONFLICT saying so; others may not cancel it', async () => {
    const [payer] = world.members;
    const request = await newRequest(app, world, { amount: '1.00' });
    const byMember = await gql(
      app,
      'mutation($id: ID!) { cancelPaymentRequest(id: $id) { id } }',
      { id: request.id },
      payer.user.token,
    );
    expect(errorCode(byMember)).toBe('FORBIDDEN');
    const byReadKey = await gql(
      app,
      'mutation($id: ID!) { cancelPaymentRequest(id: $id) { id } }',
      { id: request.id },
      world.readKey,
    );
    expect(errorCode(byReadKey)).toBe('FORBIDDEN');
    const cancelled = await gql<{ cancelPaymentRequest: { status: string } }>(
      app,
      'mutation($id: ID!) { cancelPaymentRequest(id: $id) { status } }',
      { id: request.id },
      world.createKey,
    );
    expect(expectData(cancelled).cancelPaymentRequest.status).toBe('CANCELLED');
    const before = await balanceOf(app, payer.user.token, payer.account);
    const refused = await payRequest(app, payer.user.token, {
      paymentRequestId: request.id,
      fromAccountId: payer.account,
    });
    expect(errorCode(refused)).toBe('CONFLICT');
    expect(refused.errors?.[0].extensions?.reason).toBe('PAYMENT_REQUEST_CANCELLED');
    expect(refused.errors?.[0].message).toMatch(/cancelled/);
    expect(await balanceOf(app, payer.user.token, payer.account)).toBe(before);
  });

  it('expires: it reads as EXPIRED and a payment is refused with CONFLICT saying so', async () => {
    const [payer] = world.members;
    const request = await newRequest(app, world, {
      amount: '1.00',
      expiresAt: new Date(Date.now() + 1500).toISOString(),
    });
    await new Promise((resolve) => setTimeout(resolve, 1700));
    expect(expectData(await view(payer.user.token, request.id)).paymentRequest.status).toBe(
      'EXPIRED',
    );
    const refused = await payRequest(app, payer.user.token, {
      paymentRequestId: request.id,
      fromAccountId: payer.account,
    });
    expect(errorCode(refused)).toBe('CONFLICT');
    expect(refused.errors?.[0].extensions?.reason).toBe('PAYMENT_REQUEST_EXPIRED');
    expect(refused.errors?.[0].message).toMatch(/expired/);
    const cancel = await gql(
      app,
      'mutation($id: ID!) { cancelPaymentRequest(id: $id) { id } }',
      { id: request.id },
      world.shop.token,
    );
    expect(errorCode(cancel)).toBe('CONFLICT');
  });

  it('pays a single-use request exactly once when 20 payers race for it', async () => {
    const racers = await Promise.all(
      Array.from({ length: 20 }, async (_, index) => {
        const user = await registerUser(app, world.community, 'MEMBER', unique(`racer${index}`));
        return { user, account: await openAccount(app, user.token, { currencyCode: 'HOUR' }) };
      }),
    );
    const request = await newRequest(app, world, { amount: '3.00' });
    const shopBefore = await balanceOf(app, world.shop.token, world.shopAccount);
    const results = await Promise.all(
      racers.map((racer) =>
        payRequest(app, racer.user.token, {
          paymentRequestId: request.id,
          fromAccountId: racer.account,
        }),
      ),
    );
    const winners = results.filter((result) => result.errors === undefined);
    const losers = results.filter((result) => result.errors !== undefined);
    expect(winners).toHaveLength(1);
    expect(losers.map((result) => errorCode(result))).toEqual(Array(19).fill('CONFLICT'));
    expect(new Set(losers.map((result) => result.errors?.[0].extensions?.reason))).toEqual(
      new Set(['PAYMENT_REQUEST_PAID']),
    );
    const shopAfter = await balanceOf(app, world.shop.token, world.shopAccount);
    expect(Number(shopAfter) - Number(shopBefore)).toBeCloseTo(3, 5);
    const balances = await Promise.all(
      racers.map((racer) => balanceOf(app, racer.user.token, racer.account)),
    );
    expect(balances.filter((balance) => balance === '-3.00')).toHaveLength(1);
    expect(balances.filter((balance) => balance === '0.00')).toHaveLength(19);
    const shopView = expectData(await view(world.shop.token, request.id)).paymentRequest;
    expect(shopView.paidAmount).toBe('3.00');
  });

  it('takes any number of payments into a reusable request, which has no expiry by default', async () => {
    const [first, second] = world.members;
    const request = await newRequest(app, world, { reusable: true, memo: 'Counter' });
    expect(request.expiresAt).toBeNull();
    for (const [payer, amount] of [
      [first, '0.50'],
      [second, '0.25'],
      [first, '0.10'],
    ] as const) {
      expectData(
        await payRequest(app, payer.user.token, {
          paymentRequestId: request.id,
          fromAccountId: payer.account,
          amount,
        }),
      );
    }
    const shopView = expectData(await view(world.shop.token, request.id)).paymentRequest;
    expect(shopView.status).toBe('OPEN');
    expect(shopView.paidAmount).toBe('0.85');
    expect(shopView.payments).toHaveLength(3);
    // A payer sees what they paid themselves, and none of the shop's payments.
    const payerView = expectData(await view(first.user.token, request.id)).paymentRequest;
    expect(payerView.paidAmount).toBe('0.60');
    expect(payerView.payments).toEqual([]);
  });

  it('lists a shop account’s requests by status, newest first, in pages', async () => {
    const fresh = await shopWorld(app, 0);
    const made = [];
    for (let index = 0; index < 3; index += 1) made.push(await newRequest(app, fresh));
    expectData(
      await gql(
        app,
        'mutation($id: ID!) { cancelPaymentRequest(id: $id) { id } }',
        { id: made[0].id },
        fresh.shop.token,
      ),
    );
    const page = async (status: string | null, after?: string) =>
      expectData(
        await gql<{
          paymentRequests: {
            edges: Array<{ node: { id: string; status: string } }>;
            pageInfo: { hasNextPage: boolean; endCursor: string };
          };
        }>(
          app,
          `query($id: ID!, $status: PaymentRequestStatus, $after: String) {
            paymentRequests(accountId: $id, status: $status, first: 1, after: $after) {
              edges { node { id status } } pageInfo { hasNextPage endCursor } } }`,
          { id: fresh.shopAccount, status, after },
          fresh.readKey,
        ),
      ).paymentRequests;
    const open1 = await page('OPEN');
    expect(open1.edges.map((edge) => edge.node.id)).toEqual([made[2].id]);
    expect(open1.pageInfo.hasNextPage).toBe(true);
    const open2 = await page('OPEN', open1.pageInfo.endCursor);
    expect(open2.edges.map((edge) => edge.node.id)).toEqual([made[1].id]);
    expect(open2.pageInfo.hasNextPage).toBe(false);
    const cancelled = await page('CANCELLED');
    expect(cancelled.edges.map((edge) => edge.node.status)).toEqual(['CANCELLED']);
  });

  describe('refuses, posting nothing', () => {
    it('an unknown request, and another community’s request', async () => {
      const [payer] = world.members;
      const unknown = await payRequest(app, payer.user.token, {
        paymentRequestId: '00000000-0000-4000-8000-000000000000',
        fromAccountId: payer.account,
      });
      expect(errorCode(unknown)).toBe('NOT_FOUND');
      const elsewhere = await shopWorld(app, 0);
      const foreign = await newRequest(app, elsewhere, { amount: '1.00' });
      const before = await balanceOf(app, payer.user.token, payer.account);
      const paid = await payRequest(app, payer.user.token, {
        paymentRequestId: foreign.id,
        fromAccountId: payer.account,
      });
      expect(errorCode(paid)).toBe('NOT_FOUND');
      expect(errorCode(await view(payer.user.token, foreign.id))).toBe('NOT_FOUND');
      expect(await balanceOf(app, payer.user.token, payer.account)).toBe(before);
      const notAnId = await view(payer.user.token, 'not-an-id');
      expect(errorCode(notAnId)).toBe('BAD_USER_INPUT');
    });

    it('a shop paying its own request', async () => {
      const request = await newRequest(app, world, { amount: '1.00' });
      const own = await openAccount(app, world.shop.token, { currencyCode: 'HOUR' });
      const response = await payRequest(app, world.shop.token, {
        paymentRequestId: request.id,
        fromAccountId: own,
      });
      expect(errorCode(response)).toBe('FORBIDDEN');
      expect(response.errors?.[0].extensions?.reason).toBe('OWN_PAYMENT_REQUEST');
    });

    it('paying from someone else’s account, or in another currency', async () => {
      const [payer, victim] = world.members;
      const request = await newRequest(app, world, { amount: '1.00' });
      const stolen = await payRequest(app, payer.user.token, {
        paymentRequestId: request.id,
        fromAccountId: victim.account,
      });
      expect(errorCode(stolen)).toBe('FORBIDDEN');
      await createCurrency(app, world.community, { code: 'MIN' });
      const minutes = await openAccount(app, payer.user.token, { currencyCode: 'MIN' });
      const mismatch = await payRequest(app, payer.user.token, {
        paymentRequestId: request.id,
        fromAccountId: minutes,
      });
      expect(errorCode(mismatch)).toBe('BAD_USER_INPUT');
      expect(expectData(await view(world.shop.token, request.id)).paymentRequest.status).toBe(
        'OPEN',
      );
    });

    it('requests into accounts that are not the caller’s shop accounts', async () => {
      const [member] = world.members;
      const intoMember = await createRequest(app, member.user.token, {
        toAccountId: member.account,
      });
      expect(errorCode(intoMember)).toBe('POLICY_VIOLATION');
      const intoShop = await createRequest(app, member.user.token, {
        toAccountId: world.shopAccount,
      });
      expect(errorCode(intoShop)).toBe('FORBIDDEN');
      const byReadKey = await createRequest(app, world.readKey, { toAccountId: world.shopAccount });
      expect(errorCode(byReadKey)).toBe('FORBIDDEN');
      const steward = await createRequest(app, world.community.steward.token, {
        toAccountId: world.shopAccount,
      });
      expect(errorCode(steward)).toBe('FORBIDDEN');
      const past = await createRequest(app, world.shop.token, {
        toAccountId: world.shopAccount,
        expiresAt: new Date(Date.now() - 1000).toISOString(),
      });
      expect(errorCode(past)).toBe('BAD_USER_INPUT');
      const negative = await createRequest(app, world.shop.token, {
        toAccountId: world.shopAccount,
        amount: '-1.00',
      });
      expect(errorCode(negative)).toBe('BAD_USER_INPUT');
      const longReference = await createRequest(app, world.shop.token, {
        toAccountId: world.shopAccount,
        reference: 'x'.repeat(101),
      });
      expect(errorCode(longReference)).toBe('BAD_USER_INPUT');
    });
  });

  describe('a till key', () => {
    it('cannot move money out of the shop account, pay, or refund', async () => {
      const [member] = world.members;
      const shopBefore = await balanceOf(app, world.shop.token, world.shopAccount);
      const transfer = await gql(
        app,
        TRANSFER,
        {
          input: {
            fromAccountId: world.shopAccount,
            toAccountId: member.account,
            amount: '0.01',
            kind: 'PAYMENT',
            idempotencyKey: unique('k'),
          },
        },
        world.tillKey,
      );
      expect(errorCode(transfer)).toBe('FORBIDDEN');
      const request = await newRequest(app, world, { amount: '0.50' });
      const pay = await payRequest(app, world.tillKey, {
        paymentRequestId: request.id,
        fromAccountId: world.shopAccount,
      });
      expect(errorCode(pay)).toBe('FORBIDDEN');
      const payment = expectData(
        await payRequest(app, member.user.token, {
          paymentRequestId: request.id,
          fromAccountId: member.account,
        }),
      ).payPaymentRequest;
      const refund = await gql(
        app,
        'mutation($input: RefundPaymentInput!) { refundPayment(input: $input) { id } }',
        { input: { transferId: payment.id, idempotencyKey: unique('r') } },
        world.tillKey,
      );
      expect(errorCode(refund)).toBe('FORBIDDEN');
      const shopAfter = await balanceOf(app, world.shop.token, world.shopAccount);
      expect(Number(shopAfter) - Number(shopBefore)).toBeCloseTo(0.5, 5);
    });

    it('cannot read other accounts, nor see a payer’s balance', async () => {
      const [member] = world.members;
      const account = await gql(
        app,
        'query($id: ID!) { account(id: $id) { id balance } }',
        { id: member.account },
        world.tillKey,
      );
      expect(errorCode(account)).toBe('FORBIDDEN');
      const since = await gql(
        app,
        'query($id: ID!) { paymentsSince(accountId: $id) { edges { node { transferId } } } }',
        { id: member.account },
        world.tillKey,
      );
      expect(errorCode(since)).toBe('FORBIDDEN');
      const sales = await gql(
        app,
        'query($id: ID!) { shopSales(accountId: $id) { count } }',
        { id: member.account },
        world.tillKey,
      );
      expect(errorCode(sales)).toBe('FORBIDDEN');
      const { payments } = await paymentsSince(app, world.tillKey, world.shopAccount);
      expect(payments.length).toBeGreaterThan(0);
      const payment = await gql<{ transferById: { fromAccount: { balance: string } } }>(
        app,
        'query($id: ID!) { transferById(id: $id) { fromAccount { name balance } } }',
        { id: payments[0].transferId },
        world.tillKey,
      );
      expect(errorCode(payment)).toBe('FORBIDDEN');
      expect(payment.errors?.[0].path).toEqual(['transferById', 'fromAccount', 'balance']);
      expect(JSON.stringify(payment)).not.toMatch(/"balance":"-?\d/);
    });

    it('without READ_PAYMENTS cannot read payments; without CREATE_PAYMENT_REQUESTS cannot create', async () => {
      const since = await gql(
        app,
        'query($id: ID!) { paymentsSince(accountId: $id) { edges { cursor } } }',
        { id: world.shopAccount },
        world.createKey,
      );
      expect(errorCode(since)).toBe('FORBIDDEN');
      const created = await createRequest(app, world.readKey, { toAccountId: world.shopAccount });
      expect(errorCode(created)).toBe('FORBIDDEN');
    });
  });
});
