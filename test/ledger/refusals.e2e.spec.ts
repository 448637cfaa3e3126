import { INestApplication } from '@nestjs/common';
import {
  createCommunity,
  createCurrency,
  expectData,
  openAccount,
  pay,
  registerUser,
  unique,
} from '../support/factories';
import { createTestApp, gql } from '../support/test-app';

/**
 * Refusals a person can act on: in the currency's units, naming the account
 * the way its owner knows it, saying what is still possible, with the same
 * figures as decimal strings in `extensions`; never the receiver's balance.
 */
describe('refusals in the currency’s units', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createTestApp();
  });

  afterAll(async () => {
    await app.close();
  });

  async function people() {
    const community = await createCommunity(app);
    await createCurrency(app, community, { defaultFloor: '-20.00' });
    const ana = await registerUser(app, community, 'MEMBER', `Ana${unique('')}`);
    const ben = await registerUser(app, community, 'MEMBER', `Ben${unique('')}`);
    const anaAccount = await openAccount(app, ana.token, { currencyCode: 'HOUR' });
    const benAccount = await openAccount(app, ben.token, { currencyCode: 'HOUR' });
    return { community, ana, ben, anaAccount, benAccount };
  }

  it('says how much the payer can still send, with the balance and the floor', async () => {
    const { ana, anaAccount, benAccount } = await people();
    expectData(await pay(app, ana.token, anaAccount, benAccount, '3.50'));
    const refused = await pay(app, ana.token, anaAccount, benAccount, '17.00');
    const [error] = refused.errors ?? [];
    expect(error.extensions).toMatchObject({
      code: 'INSUFFICIENT_FUNDS',
      reason: 'INSUFFICIENT_FUNDS',
      accountId: anaAccount,
      currencyCode: 'HOUR',
      available: '16.50',
      balance: '-3.50',
      floor: '-20.00',
      held: '0.00',
      amount: '17.00',
    });
    expect(error.message).toBe(
      `${ana.email.split('@')[0]}'s HOUR account can send at most 16.50 HOUR (balance -3.50, floor -20.00)`,
    );
    expect(error.extensions).not.toHaveProperty('availableMinor');
    // 16.50 is indeed possible.
    expectData(await pay(app, ana.token, anaAccount, benAccount, '16.50'));
  });

  it('counts what pending transfers hold, and says so', async () => {
    const { ana, anaAccount, benAccount } = await people();
    expectData(
      await pay(app, ana.token, anaAccount, benAccount, '5.00', {
        pendingUntil: new Date(Date.now() + 3600_000).toISOString(),
      }),
    );
    const [error] = (await pay(app, ana.token, anaAccount, benAccount, '15.01')).errors ?? [];
    expect(error.extensions).toMatchObject({ available: '15.00', held: '5.00' });
    expect(error.message).toMatch(/can send at most 15\.00 HOUR .*5\.00 held/);
  });

  it("refuses past the receiver's ceiling without telling the receiver's balance", async () => {
    const { community, ana, ben, anaAccount, benAccount } = await people();
    expectData(
      await gql(
        app,
        'mutation($input: SetAccountLimitsInput!) { setAccountLimits(input: $input) { id } }',
        { input: { accountId: benAccount, floor: '-20.00', ceiling: '4.00' } },
        community.steward.token,
      ),
    );
    expectData(await pay(app, ana.token, anaAccount, benAccount, '3.00'));
    const [error] = (await pay(app, ana.token, anaAccount, benAccount, '2.00')).errors ?? [];
    expect(error.extensions).toMatchObject({
      code: 'LIMIT_EXCEEDED',
      reason: 'CEILING_EXCEEDED',
      amount: '2.00',
    });
    expect(error.message).toBe(
      `${ben.email.split('@')[0]}'s HOUR account cannot receive 2.00 HOUR: it would pass the account's ceiling`,
    );
    expect(error.extensions).not.toHaveProperty('balance');
    expect(error.message).not.toMatch(/3\.00/);
  });
});
