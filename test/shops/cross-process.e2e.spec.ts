import { INestApplication } from '@nestjs/common';
import { expectData } from '../support/factories';
import { freePort, startServerProcess, waitUntilHealthy } from '../support/server-process';
import { createTestApp, testDatabaseUrl } from '../support/test-app';
import { liveClient, PAYMENT_RECEIVED } from './live-client';
import { newRequest, PaymentView, payRequest, shopWorld } from './shop-helpers';

/**
 * Two server processes on one database: a till connected to the second
 * hears of a payment posted through the first. Nothing but PostgreSQL's
 * LISTEN/NOTIFY carries it across.
 */
describe('live notifications across server processes', () => {
  jest.setTimeout(180_000);

  it('delivers a payment posted by one process to a till connected to another', async () => {
    const app: INestApplication = await createTestApp();
    const second = startServerProcess(
      { DATABASE_URL: testDatabaseUrl(), LOG_LEVEL: 'warn' },
      await freePort(),
    );
    try {
      const world = await shopWorld(app, 1);
      await waitUntilHealthy(second);
      const connected = liveClient(second.port, world.readKey);
      const received = connected.subscribe<PaymentView>(
        PAYMENT_RECEIVED,
        { id: world.shopAccount },
        'paymentReceived',
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      const [payer] = world.members;
      const paid: string[] = [];
      for (const amount of ['0.10', '0.20', '0.30']) {
        const request = await newRequest(app, world, { amount });
        paid.push(
          expectData(
            await payRequest(app, payer.user.token, {
              paymentRequestId: request.id,
              fromAccountId: payer.account,
            }),
          ).payPaymentRequest.id,
        );
      }
      const events = await received.waitFor(3);
      expect(events.map((event) => event.transferId)).toEqual(paid);
      expect(events.map((event) => event.amount)).toEqual(['0.10', '0.20', '0.30']);
      await connected.dispose();
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
      await app.close();
    }
  });
});
