import { INestApplication } from '@nestjs/common';
import {
  createCommunity,
  createCurrency,
  expectData,
  openAccount,
  pay,
  registerUser,
} from '../support/factories';
import { createTestApp, gql } from '../support/test-app';

/**
 * A client sends variables it leaves empty as explicit nulls (urql, Apollo
 * Client and the web app all do): the queries the web app relies on treat a
 * null period end as an open end, exactly as if it were left out.
 */
describe('queries with explicit null variables', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createTestApp();
  });

  afterAll(async () => {
    await app.close();
  });

  it('reads a statement for an open period when from and to are both null', async () => {
    const community = await createCommunity(app);
    await createCurrency(app, community);
    const ana = await registerUser(app, community);
    const ben = await registerUser(app, community);
    const anaAccount = await openAccount(app, ana.token, { currencyCode: 'HOUR' });
    const benAccount = await openAccount(app, ben.token, { currencyCode: 'HOUR' });
    expectData(await pay(app, ana.token, anaAccount, benAccount, '1.50'));
    const statement = await gql<{
      accountStatement: { closingBalance: string; entryCount: number };
    }>(
      app,
      `query($id: ID!, $from: DateTime, $to: DateTime, $after: String) {
        accountStatement(accountId: $id, from: $from, to: $to, first: 50, after: $after) { closingBalance entryCount }
      }`,
      { id: anaAccount, from: null, to: null, after: null },
      ana.token,
    );
    expect(expectData(statement).accountStatement).toEqual({
      closingBalance: '-1.50',
      entryCount: 1,
    });
  });
});
