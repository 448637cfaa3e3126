import { INestApplication } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, GraphQLObjectType } from 'graphql';
import {
  createCommunity,
  createCurrency,
  expectData,
  openAccount,
  registerUser,
  TestCommunity,
  TestUser,
  unique,
} from '../support/factories';
import { createTestApp, errorCode, gql } from '../support/test-app';
import { createApiKey, PAYMENT_FIELDS, paymentsSince } from '../shops/shop-helpers';
import { liveClient, PAYMENT_RECEIVED } from '../shops/live-client';

/**
 * Field reads, beside the operation matrix: whatever route reaches an
 * account, the fields that reveal its state follow the account's own read
 * rule (its owner, the owner's till keys, stewards). A counterparty and a
 * shop's till see the other side's card (name, kind, display name), never
 * its balance, running balance, limits, warnings or e-mail.
 */

/** Account fields anyone who meets the account may see. */
const CARD_FIELDS = ['id', 'kind', 'name', 'status', 'currency', 'owner', 'createdAt'];
/** Account fields that reveal its state: refused (FORBIDDEN) to a caller who may not read it. */
const STATE_FIELDS = [
  'balance',
  'availableBalance',
  'floor',
  'ceiling',
  'warningLevel',
  'earnedCredit',
  'effectiveFloor',
];

interface EntryView {
  amount: string;
  balanceAfter: string | null;
  account: { id: string };
}
interface TransferView {
  id: string;
  warnings: string[];
  entries: EntryView[];
}

const TRANSFER_VIEW = 'id warnings entries { amount balanceAfter account { id } }';

let app: INestApplication;
let port: number;
let community: TestCommunity;
let ana: TestUser;
let ben: TestUser;
let shop: TestUser;
let anaAccount: string;
let benAccount: string;
let shopAccount: string;
let tillKey: string;
/** Ana → Ben 3.25: Ana -3.25, Ben 3.25. */
let anaToBen: TransferView;
/** Ben → the shop 0.50: Ben 2.75, below his warning level of 3.00. */
let benToShop: TransferView;

function balanceAfterByAccount(transfer: TransferView): Record<string, string | null> {
  return Object.fromEntries(
    transfer.entries.map((entry) => [entry.account.id, entry.balanceAfter]),
  );
}

async function transferAs(
  token: string,
  from: string,
  to: string,
  amount: string,
  kind: string,
): Promise<TransferView> {
  const response = await gql<{ transfer: TransferView }>(
    app,
    `mutation($input: TransferInput!) { transfer(input: $input) { ${TRANSFER_VIEW} } }`,
    {
      input: {
        fromAccountId: from,
        toAccountId: to,
        amount,
        kind,
        idempotencyKey: unique('field'),
      },
    },
    token,
  );
  return expectData(response).transfer;
}

async function transferById(token: string, id: string): Promise<TransferView> {
  const response = await gql<{ transferById: TransferView }>(
    app,
    `query($id: ID!) { transferById(id: $id) { ${TRANSFER_VIEW} } }`,
    { id },
    token,
  );
  return expectData(response).transferById;
}

/** The transfers of an account's statement, each with all its entries. */
async function statementTransfers(token: string, accountId: string): Promise<TransferView[]> {
  const response = await gql<{
    accountStatement: { entries: { edges: Array<{ node: { transfer: TransferView } }> } };
  }>(
    app,
    `query($id: ID!) { accountStatement(accountId: $id, first: 100) {
      entries { edges { node { transfer { ${TRANSFER_VIEW} } } } } } }`,
    { id: accountId },
    token,
  );
  return expectData(response).accountStatement.entries.edges.map((edge) => edge.node.transfer);
}

async function listedTransfers(token: string, accountId: string): Promise<TransferView[]> {
  const response = await gql<{ transfers: { edges: Array<{ node: TransferView }> } }>(
    app,
    `query($filter: TransferFilter) { transfers(first: 100, filter: $filter) {
      edges { node { ${TRANSFER_VIEW} } } } }`,
    { filter: { accountId } },
    token,
  );
  return expectData(response).transfers.edges.map((edge) => edge.node);
}

beforeAll(async () => {
  app = await createTestApp();
  await app.listen(0, '127.0.0.1');
  port = (app.getHttpServer() as { address(): { port: number } }).address().port;
  community = await createCommunity(app);
  await createCurrency(app, community, { defaultFloor: '-10' });
  ana = await registerUser(app, community, 'MEMBER', unique('ana'));
  ben = await registerUser(app, community, 'MEMBER', unique('ben'));
  shop = await registerUser(app, community, 'SHOP', unique('shop'));
  anaAccount = await openAccount(app, ana.token, { currencyCode: 'HOUR' });
  benAccount = await openAccount(app, ben.token, { currencyCode: 'HOUR' });
  shopAccount = await openAccount(app, shop.token, { currencyCode: 'HOUR' });
  tillKey = await createApiKey(app, shop.token, ['CREATE_PAYMENT_REQUESTS', 'READ_PAYMENTS']);
  expectData(
    await gql(
      app,
      'mutation($input: SetAccountLimitsInput!) { setAccountLimits(input: $input) { id } }',
      { input: { accountId: benAccount, warningLevel: '3.00' } },
      community.steward.token,
    ),
  );
  anaToBen = await transferAs(ana.token, anaAccount, benAccount, '3.25', 'EXCHANGE');
  benToShop = await transferAs(ben.token, benAccount, shopAccount, '0.50', 'PAYMENT');
});

afterAll(async () => {
  await app.close();
});

describe("an account's state, read through someone else's transfer", () => {
  it('classifies every Account field as card or state, so a new field is decided on purpose', () => {
    const schema = buildSchema(readFileSync(join(__dirname, '..', '..', 'schema.gql'), 'utf8'));
    const account = schema.getType('Account') as GraphQLObjectType;
    expect(Object.keys(account.getFields()).sort()).toEqual(
      [...CARD_FIELDS, ...STATE_FIELDS].sort(),
    );
  });

  it("gives a payer each entry's running balance on their own account and null on the other side's", async () => {
    const routes: Array<[string, TransferView]> = [
      ['the transfer mutation', anaToBen],
      ['transferById', await transferById(ana.token, anaToBen.id)],
      [
        'accountStatement → entries → transfer',
        (await statementTransfers(ana.token, anaAccount)).find((t) => t.id === anaToBen.id)!,
      ],
      [
        'transfers',
        (await listedTransfers(ana.token, anaAccount)).find((t) => t.id === anaToBen.id)!,
      ],
    ];
    for (const [route, seen] of routes) {
      expect({ route, balances: balanceAfterByAccount(seen) }).toEqual({
        route,
        balances: { [anaAccount]: '-3.25', [benAccount]: null },
      });
    }
    // The receiver likewise sees their own running balance, not the payer's.
    expect(balanceAfterByAccount(await transferById(ben.token, anaToBen.id))).toEqual({
      [anaAccount]: null,
      [benAccount]: '3.25',
    });
    // A steward reads every account, so every running balance.
    expect(balanceAfterByAccount(await transferById(community.steward.token, anaToBen.id))).toEqual(
      { [anaAccount]: '-3.25', [benAccount]: '3.25' },
    );
  });

  it.each(STATE_FIELDS)(
    'refuses %s of the other side of a transfer, by every route, and gives it to a steward',
    async (field) => {
      const routes = [
        `transferById(id: $id) { toAccount { ${field} } }`,
        `transferById(id: $id) { entries { account { ${field} } } }`,
        `accountStatement(accountId: $account, first: 10) { entries { edges { node { counterparty { ${field} } } } } }`,
        `accountStatement(accountId: $account, first: 10) { entries { edges { node { transfer { entries { account { ${field} } } } } } } }`,
      ];
      for (const route of routes) {
        const byTransfer = route.includes('$id');
        const query = `query(${byTransfer ? '$id' : '$account'}: ID!) { ${route} }`;
        const variables = byTransfer ? { id: anaToBen.id } : { account: anaAccount };
        const asAna = await gql(app, query, variables, ana.token);
        expect({ route, code: errorCode(asAna) }).toEqual({ route, code: 'FORBIDDEN' });
        expect(JSON.stringify(asAna.data ?? null)).not.toContain('3.25');
      }
      const asSteward = await gql(
        app,
        `query($id: ID!) { transferById(id: $id) { toAccount { ${field} } } }`,
        { id: anaToBen.id },
        community.steward.token,
      );
      expect(asSteward.errors).toBeUndefined();
    },
  );

  it("numbers an entry in its account's history only for those who may read the account, and ids carry no number", async () => {
    // Carol's account is given a few entries first, so that her entry on Dave's transfer is
    // her fourth: that count is hers, not Dave's to learn.
    const carol = await registerUser(app, community, 'MEMBER', unique('carol'));
    const dave = await registerUser(app, community, 'MEMBER', unique('dave'));
    const carolAccount = await openAccount(app, carol.token, { currencyCode: 'HOUR' });
    const daveAccount = await openAccount(app, dave.token, { currencyCode: 'HOUR' });
    for (let index = 0; index < 3; index += 1) {
      await transferAs(ana.token, anaAccount, carolAccount, '0.01', 'EXCHANGE');
    }
    const daveToCarol = await transferAs(dave.token, daveAccount, carolAccount, '0.25', 'EXCHANGE');
    const ENTRY_VIEW = 'id sequence account { id }';
    type Numbered = { id: string; sequence: number | null; account: { id: string } };
    const entriesSeenBy = async (token: string, ownAccount: string): Promise<Numbered[][]> => {
      const byId = await gql<{ transferById: { entries: Numbered[] } }>(
        app,
        `query($id: ID!) { transferById(id: $id) { entries { ${ENTRY_VIEW} } } }`,
        { id: daveToCarol.id },
        token,
      );
      const listed = await gql<{
        transfers: { edges: Array<{ node: { id: string; entries: Numbered[] } }> };
      }>(
        app,
        `query($filter: TransferFilter) { transfers(first: 100, filter: $filter) {
          edges { node { id entries { ${ENTRY_VIEW} } } } } }`,
        { filter: { accountId: ownAccount } },
        token,
      );
      return [
        expectData(byId).transferById.entries,
        expectData(listed).transfers.edges.find((edge) => edge.node.id === daveToCarol.id)!.node
          .entries,
      ];
    };
    const sequences = (entries: Numbered[]) =>
      Object.fromEntries(entries.map((entry) => [entry.account.id, entry.sequence]));
    const ids = (entries: Numbered[]) =>
      Object.fromEntries(entries.map((entry) => [entry.account.id, entry.id]));

    const byDave = await entriesSeenBy(dave.token, daveAccount);
    for (const entries of byDave) {
      expect(sequences(entries)).toEqual({ [daveAccount]: 1, [carolAccount]: null });
    }
    const statement = await gql<{
      accountStatement: {
        entries: { edges: Array<{ node: { transfer: { entries: Numbered[] } } }> };
      };
    }>(
      app,
      `query($id: ID!) { accountStatement(accountId: $id, first: 10) {
        entries { edges { node { transfer { entries { ${ENTRY_VIEW} } } } } } } }`,
      { id: daveAccount },
      dave.token,
    );
    const [throughStatement] = expectData(statement).accountStatement.entries.edges;
    expect(sequences(throughStatement.node.transfer.entries)).toEqual({
      [daveAccount]: 1,
      [carolAccount]: null,
    });
    for (const entries of await entriesSeenBy(carol.token, carolAccount)) {
      expect(sequences(entries)).toEqual({ [daveAccount]: null, [carolAccount]: 4 });
    }
    const [bySteward] = await entriesSeenBy(community.steward.token, daveAccount);
    expect(sequences(bySteward)).toEqual({ [daveAccount]: 1, [carolAccount]: 4 });

    // One id per entry, the same whoever asks and by whatever route, and not the account's
    // id and number: Carol's entry does not name her fourth.
    const [byCarol] = await entriesSeenBy(carol.token, carolAccount);
    for (const entries of [...byDave, throughStatement.node.transfer.entries, byCarol]) {
      expect(ids(entries)).toEqual(ids(bySteward));
    }
    expect(new Set(bySteward.map((entry) => entry.id)).size).toBe(2);
    const carolsEntry = ids(bySteward)[carolAccount];
    expect(carolsEntry).not.toContain(carolAccount);
    expect(carolsEntry).not.toMatch(/:4$/);
  });

  it("shows the other side's owner by display name, never by e-mail", async () => {
    const named = await gql<{ transferById: { toAccount: { owner: { displayName: string } } } }>(
      app,
      'query($id: ID!) { transferById(id: $id) { toAccount { name owner { id displayName role } } } }',
      { id: anaToBen.id },
      ana.token,
    );
    expect(expectData(named).transferById.toAccount.owner.displayName).toMatch(/^ben-/);
    const email = await gql(
      app,
      'query($id: ID!) { transferById(id: $id) { entries { account { owner { email } } } } }',
      { id: anaToBen.id },
      ana.token,
    );
    expect(errorCode(email)).toBe('FORBIDDEN');
    expect(JSON.stringify(email.data ?? null)).not.toContain(ben.email);
  });

  it('names a soft limit crossed only to those who may read the account that crossed it', async () => {
    const warning = `BELOW_WARNING_LEVEL:${benAccount}`;
    expect(benToShop.warnings).toEqual([warning]);
    expect((await transferById(community.steward.token, benToShop.id)).warnings).toEqual([warning]);
    expect((await transferById(shop.token, benToShop.id)).warnings).toEqual([]);
    expect((await transferById(tillKey, benToShop.id)).warnings).toEqual([]);
  });
});

describe("a shop's till and a paying member", () => {
  it("sees the shop's running balance and never the payer's, by every route", async () => {
    const routes: Array<[string, TransferView]> = [
      ['transferById', await transferById(tillKey, benToShop.id)],
      [
        'transfers',
        (await listedTransfers(tillKey, shopAccount)).find((t) => t.id === benToShop.id)!,
      ],
      [
        'accountStatement → entries → transfer',
        (await statementTransfers(tillKey, shopAccount)).find((t) => t.id === benToShop.id)!,
      ],
    ];
    for (const [route, seen] of routes) {
      expect({ route, balances: balanceAfterByAccount(seen) }).toEqual({
        route,
        balances: { [benAccount]: null, [shopAccount]: '0.50' },
      });
    }
    for (const field of STATE_FIELDS) {
      const refused = await gql(
        app,
        `query($id: ID!) { transferById(id: $id) { fromAccount { name ${field} } } }`,
        { id: benToShop.id },
        tillKey,
      );
      expect({ field, code: errorCode(refused) }).toEqual({ field, code: 'FORBIDDEN' });
    }
    const payments = await paymentsSince(app, tillKey, shopAccount);
    expect(payments.payments.map((payment) => payment.payerName)).toEqual([
      expect.stringMatching(/^ben-/),
    ]);
    expect(JSON.stringify(payments)).not.toContain('2.75');
  });

  it("pushes a till each payment and posted transfer live without the payer's balance", async () => {
    const live = liveClient(port, tillKey);
    try {
      const posted = live.subscribe<TransferView>(
        `subscription($id: ID!) { transferPosted(accountId: $id) {
          ${TRANSFER_VIEW} fromAccount { name owner { displayName } } } }`,
        { id: shopAccount },
        'transferPosted',
      );
      const received = live.subscribe<Record<string, unknown>>(
        PAYMENT_RECEIVED,
        { id: shopAccount },
        'paymentReceived',
      );
      // Give both subscriptions time to be registered before the payment commits.
      await new Promise((resolve) => setTimeout(resolve, 500));
      await transferAs(ben.token, benAccount, shopAccount, '0.25', 'PAYMENT');
      const [transfer] = await posted.waitFor(1);
      const [payment] = await received.waitFor(1);
      expect(posted.errors).toEqual([]);
      expect(balanceAfterByAccount(transfer)).toEqual({
        [benAccount]: null,
        [shopAccount]: '0.75',
      });
      // Ben now holds 2.50: neither event carries it.
      expect(JSON.stringify(posted.results)).not.toContain('2.50');
      expect(JSON.stringify(payment)).not.toContain('2.50');
      expect(Object.keys(payment).sort()).toEqual(
        PAYMENT_FIELDS.split(/\s+/)
          .filter((name) => name !== '')
          .sort(),
      );
    } finally {
      await live.dispose();
    }
  });
});
