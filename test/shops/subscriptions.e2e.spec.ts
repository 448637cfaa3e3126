import { INestApplication } from '@nestjs/common';
import { Client as PgClient } from 'pg';
import { LedgerListener } from '../../src/notifications/ledger-listener';
import { expectData, pay, registerUser, unique, openAccount } from '../support/factories';
import { connectAsEveryCommunity, createTestApp, testDatabaseUrl } from '../support/test-app';
import { eventually, liveClient, LiveClient, PAYMENT_RECEIVED } from './live-client';
import {
  newRequest,
  paymentsSince,
  PaymentView,
  payRequest,
  shopWorld,
  ShopWorld,
} from './shop-helpers';

/**
 * Live notifications over a real WebSocket with the graphql-ws client, on
 * a server listening on a real port: a till hears a payment made by
 * another connection, only once it has committed; access is checked in
 * connection_init and per subscription; a till that drops out catches up
 * without missing or repeating a payment.
 */
describe('live notifications', () => {
  let app: INestApplication;
  let port: number;
  let world: ShopWorld;
  const clients: LiveClient[] = [];

  function connect(credential: string | undefined, retry = false): LiveClient {
    const client = liveClient(port, credential, { retry });
    clients.push(client);
    return client;
  }

  beforeAll(async () => {
    app = await createTestApp();
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer() as { address(): { port: number } }).address().port;
    world = await shopWorld(app, 2);
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.dispose()));
  });

  afterAll(async () => {
    await app.close();
  });

  async function payOnce(amount: string, payerIndex = 0): Promise<string> {
    const payer = world.members[payerIndex];
    const request = await newRequest(app, world, { amount, reference: unique('R') });
    return expectData(
      await payRequest(app, payer.user.token, {
        paymentRequestId: request.id,
        fromAccountId: payer.account,
      }),
    ).payPaymentRequest.id;
  }

  it('tells a till of a payment made from another connection: the payer’s name, never a balance', async () => {
    const till = connect(world.tillKey);
    const received = till.subscribe<PaymentView>(
      PAYMENT_RECEIVED,
      { id: world.shopAccount },
      'paymentReceived',
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const transferId = await payOnce('1.10');
    const [event] = await received.waitFor(1);
    expect(event).toMatchObject({
      transferId,
      accountId: world.shopAccount,
      amount: '1.10',
      fee: '0.00',
      payerName: expect.stringContaining('Member0') as unknown,
      refundedAmount: '0.00',
    });
    expect(JSON.stringify(event)).not.toMatch(/balance/i);
    const { payments } = await paymentsSince(app, world.readKey, world.shopAccount);
    expect(payments.at(-1)?.cursor).toBe(event.cursor);
  });

  it('tells an account holder of transfers posted to their account, with the same field rules as queries', async () => {
    const [member, other] = world.members;
    const live = connect(member.user.token);
    const received = live.subscribe<{
      id: string;
      amount: string;
      fromAccount: { id: string; balance: string | null };
    }>(
      `subscription($id: ID!) { transferPosted(accountId: $id) { id amount fromAccount { id balance } } }`,
      { id: member.account },
      'transferPosted',
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const mine = expectData(
      await pay(app, member.user.token, member.account, other.account, '0.20'),
    ).transfer;
    const [event] = await received.waitFor(1);
    expect(event).toMatchObject({ id: mine.id, amount: '0.20' });
    expect(event.fromAccount.id).toBe(member.account);
    const balance = event.fromAccount.balance;
    expect(balance).not.toBeNull();
    // A transfer from the other member: their balance is not the subscriber's to see.
    const theirs = expectData(
      await pay(app, other.user.token, other.account, member.account, '0.05'),
    ).transfer;
    await eventually(() => received.errors.length > 0);
    expect(JSON.stringify(received.errors)).toMatch(/FORBIDDEN/);
    expect(received.events.map((transfer) => transfer.id)).not.toContain(theirs.id);
  });

  it('sends an event only after the payment commits, and none for a payment that rolls back', async () => {
    const till = connect(world.readKey);
    const received = till.subscribe<PaymentView>(
      PAYMENT_RECEIVED,
      { id: world.shopAccount },
      'paymentReceived',
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const [payer] = world.members;
    const database = await connectAsEveryCommunity();
    try {
      // Hold the request's row: the payment's transaction writes its transfer and
      // entries, then waits for this lock before it can commit.
      const request = await newRequest(app, world, { amount: '0.30' });
      await database.query('BEGIN');
      await database.query('SELECT 1 FROM payment_requests WHERE id = $1 FOR UPDATE', [request.id]);
      const paying = payRequest(app, payer.user.token, {
        paymentRequestId: request.id,
        fromAccountId: payer.account,
      });
      await new Promise((resolve) => setTimeout(resolve, 800));
      expect(received.events).toHaveLength(0);
      await database.query('COMMIT');
      const transferId = expectData(await paying).payPaymentRequest.id;
      const [event] = await received.waitFor(1);
      expect(event.transferId).toBe(transferId);

      // The same, but the request is cancelled meanwhile: the payment rolls back.
      const doomed = await newRequest(app, world, { amount: '0.40' });
      await database.query('BEGIN');
      await database.query('SELECT 1 FROM payment_requests WHERE id = $1 FOR UPDATE', [doomed.id]);
      const refused = payRequest(app, payer.user.token, {
        paymentRequestId: doomed.id,
        fromAccountId: payer.account,
      });
      await new Promise((resolve) => setTimeout(resolve, 800));
      await database.query(
        "UPDATE payment_requests SET status = 'CANCELLED', cancelled_at = now() WHERE id = $1",
        [doomed.id],
      );
      await database.query('COMMIT');
      const outcome = await refused;
      expect(outcome.errors?.[0].extensions?.reason).toBe('PAYMENT_REQUEST_CANCELLED');
      const after = await payOnce('0.50');
      await received.waitFor(2);
      expect(received.events.map((payment) => payment.transferId)).toEqual([transferId, after]);
    } finally {
      await database.end();
    }
  });

  it('a till that drops out during payments and reconnects gets every payment exactly once', async () => {
    const fresh = await shopWorld(app, 1);
    const [payer] = fresh.members;
    const paid: string[] = [];
    const paying = (async () => {
      for (let index = 0; index < 24; index += 1) {
        const request = await newRequest(app, fresh, { amount: '0.01' });
        paid.push(
          expectData(
            await payRequest(app, payer.user.token, {
              paymentRequestId: request.id,
              fromAccountId: payer.account,
            }),
          ).payPaymentRequest.id,
        );
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();
    const first = connect(fresh.readKey);
    const before = first.subscribe<PaymentView>(
      PAYMENT_RECEIVED,
      { id: fresh.shopAccount },
      'paymentReceived',
    );
    await before.waitFor(4);
    await first.dispose();
    const seen = [...before.events];
    const lastCursor = seen.at(-1)!.cursor;
    await new Promise((resolve) => setTimeout(resolve, 300));

    // Catching up by query: what came after the last cursor seen, nothing twice.
    const missed = await paymentsSince(app, fresh.readKey, fresh.shopAccount, lastCursor);
    expect(missed.payments.map((payment) => payment.transferId)).toEqual(
      paid.slice(seen.length, seen.length + missed.payments.length),
    );

    // Or by resubscribing after the last cursor: the backlog, then live events.
    const second = connect(fresh.readKey);
    const after = second.subscribe<PaymentView>(
      PAYMENT_RECEIVED,
      { id: fresh.shopAccount, after: lastCursor },
      'paymentReceived',
    );
    await paying;
    await after.waitFor(24 - seen.length);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const all = [...seen, ...after.events].map((payment) => payment.transferId);
    expect(all).toEqual(paid);
    expect(new Set(all).size).toBe(24);
  });

  it('closes its subscribers’ connections with 1012 when its database listener is lost; they resubscribe once it listens again', async () => {
    const fresh = await shopWorld(app, 1);
    const till = connect(fresh.readKey, true);
    const received = till.subscribe<PaymentView>(
      PAYMENT_RECEIVED,
      { id: fresh.shopAccount },
      'paymentReceived',
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const listener = app.get(LedgerListener);
    const pid = listener.backendPid;
    expect(pid).toBeDefined();
    const database = new PgClient({ connectionString: testDatabaseUrl() });
    await database.connect();
    await database.query('SELECT pg_terminate_backend($1)', [pid]);
    await database.end();
    await eventually(() => till.closes.length > 0);
    expect(till.closes[0].code).toBe(1012);
    await eventually(() => listener.listening && listener.backendPid !== pid);
    // The client reconnected and subscribed again by itself: the next payment arrives.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const [payer] = fresh.members;
    const request = await newRequest(app, fresh, { amount: '0.02' });
    const paid = expectData(
      await payRequest(app, payer.user.token, {
        paymentRequestId: request.id,
        fromAccountId: payer.account,
      }),
    ).payPaymentRequest.id;
    const [event] = await received.waitFor(1);
    expect(event.transferId).toBe(paid);
  });

  describe('refuses', () => {
    it('a connection without a valid credential, closing it with 4401 and the reason', async () => {
      for (const credential of [undefined, 'not-a-token']) {
        const anonymous = connect(credential);
        const received = anonymous.subscribe(
          PAYMENT_RECEIVED,
          { id: world.shopAccount },
          'paymentReceived',
        );
        await eventually(() => anonymous.closes.length > 0);
        expect(anonymous.closes[0].code).toBe(4401);
        expect(received.events).toEqual([]);
      }
    });

    it('subscriptions to accounts the caller may not read, naming the reason', async () => {
      const [member, other] = world.members;
      const cases: Array<[string, string, string]> = [
        [member.user.token, world.shopAccount, 'FORBIDDEN'],
        [world.tillKey, member.account, 'FORBIDDEN'],
        [world.createKey, world.shopAccount, 'FORBIDDEN'],
        [member.user.token, '00000000-0000-4000-8000-000000000000', 'NOT_FOUND'],
        [member.user.token, 'not-an-id', 'NOT_FOUND'],
      ];
      for (const [credential, accountId, code] of cases) {
        const live = connect(credential);
        const received = live.subscribe(PAYMENT_RECEIVED, { id: accountId }, 'paymentReceived');
        await eventually(() => received.errors.length > 0 || received.completed);
        expect(JSON.stringify(received.errors)).toContain(code);
      }
      const transfers = connect(member.user.token);
      const refused = transfers.subscribe(
        'subscription($id: ID!) { transferPosted(accountId: $id) { id } }',
        { id: other.account },
        'transferPosted',
      );
      await eventually(() => refused.errors.length > 0);
      expect(JSON.stringify(refused.errors)).toContain('FORBIDDEN');
    });

    it('queries and mutations over WebSocket, and queries deeper than the limit', async () => {
      const live = connect(world.members[0].user.token);
      const query = live.subscribe('{ me { id } }', {}, 'me');
      await eventually(() => query.errors.length > 0);
      expect(JSON.stringify(query.errors)).toMatch(/Only subscriptions go over WebSocket/);
      const deep = live.subscribe(
        `subscription($id: ID!) { transferPosted(accountId: $id) { reversalOf { reversalOf { reversalOf {
           reversalOf { reversalOf { reversalOf { reversalOf { reversalOf { reversalOf { reversalOf {
           reversalOf { reversalOf { id } } } } } } } } } } } } } }`,
        { id: world.members[0].account },
        'transferPosted',
      );
      await eventually(() => deep.errors.length > 0);
      expect(JSON.stringify(deep.errors)).toMatch(/depth/i);
    });
  });

  it('keeps working for a user who registered after the server started', async () => {
    const late = await registerUser(app, world.community);
    const account = await openAccount(app, late.token, { currencyCode: 'HOUR' });
    const live = connect(late.token);
    const received = live.subscribe(
      'subscription($id: ID!) { transferPosted(accountId: $id) { id amount } }',
      { id: account },
      'transferPosted',
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const [member] = world.members;
    expectData(await pay(app, member.user.token, member.account, account, '0.01'));
    const [event] = await received.waitFor(1);
    expect(event).toMatchObject({ amount: '0.01' });
  });
});
