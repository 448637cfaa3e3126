import { INestApplication } from '@nestjs/common';
import { expectData } from '../support/factories';
import { createTestApp, errorCode, gql } from '../support/test-app';
import { addSteward, askForAid, createFund, createWorld, vote, World } from '../funds/fund-helpers';

/**
 * The public page of a fund: opt-in by the fund's own stewards, readable
 * without signing in, and free of personal data. And the directory members
 * use to find whom to pay.
 */
const PUBLIC_FUND = `query($slug: String!, $id: ID!) {
  publicFund(communitySlug: $slug, fundAccountId: $id) {
    accountId name currencyCode currencyName communityName scale balance publishedAt
    approvalsRequired stewardCount pendingCount pendingTotal
    months { month moneyIn moneyOut transfersIn transfersOut }
    disbursements { postedAt amount }
  }
}`;

const SET_PUBLIC =
  'mutation($input: SetFundPublicInput!) { setFundPublic(input: $input) { fundAccountId public publishedAt } }';

interface PublicFundView {
  accountId: string;
  balance: string;
  approvalsRequired: number;
  stewardCount: number;
  pendingCount: number;
  pendingTotal: string;
  months: Array<{
    month: string;
    moneyIn: string;
    moneyOut: string;
    transfersIn: number;
    transfersOut: number;
  }>;
  disbursements: Array<{ postedAt: string; amount: string }>;
}

describe('public fund pages', () => {
  let app: INestApplication;
  let world: World;

  beforeAll(async () => {
    app = await createTestApp();
    world = await createWorld(app, 2);
  });

  afterAll(async () => {
    await app.close();
  });

  it('stay private until a fund steward publishes them, then show totals and never a person', async () => {
    const setup = await createFund(app, world, {
      stewards: 1,
      approvalsRequired: 1,
      contribution: '40.00',
    });
    const paid = await askForAid(app, setup, '12.50');
    expectData(await vote(app, setup.stewards[0].token, 'approveTransfer', paid.id));
    await askForAid(app, setup, '3.00'); // left pending
    const variables = { slug: world.community.slug, id: setup.fundId };

    const hidden = await gql(app, PUBLIC_FUND, variables);
    expect(errorCode(hidden)).toBe('NOT_FOUND');
    const unknown = await gql(app, PUBLIC_FUND, {
      ...variables,
      id: '00000000-0000-4000-8000-000000000000',
    });
    expect(unknown.errors?.[0]?.message).toBe(hidden.errors?.[0]?.message);

    // A member may not publish; a steward who does not run this fund may not either.
    const member = await gql(
      app,
      SET_PUBLIC,
      { input: { fundAccountId: setup.fundId, public: true } },
      setup.donor.user.token,
    );
    expect(errorCode(member)).toBe('FORBIDDEN');
    const outsider = await gql(
      app,
      SET_PUBLIC,
      { input: { fundAccountId: setup.fundId, public: true } },
      world.stewards[1].token,
    );
    expect(errorCode(outsider)).toBe('FORBIDDEN');
    expect(outsider.errors?.[0]?.extensions?.reason).toBe('NOT_A_FUND_STEWARD');
    const notAFund = await gql(
      app,
      SET_PUBLIC,
      { input: { fundAccountId: setup.donor.accountId, public: true } },
      setup.stewards[0].token,
    );
    expect(notAFund.errors?.[0]?.extensions?.reason).toBe('NOT_A_FUND');

    const published = await gql<{ setFundPublic: { public: boolean; publishedAt: string } }>(
      app,
      SET_PUBLIC,
      { input: { fundAccountId: setup.fundId, public: true } },
      setup.stewards[0].token,
    );
    expect(expectData(published).setFundPublic.public).toBe(true);

    const response = await gql<{ publicFund: PublicFundView }>(app, PUBLIC_FUND, variables);
    const page = expectData(response).publicFund;
    expect(page).toMatchObject({
      accountId: setup.fundId,
      balance: '27.50',
      approvalsRequired: 1,
      stewardCount: 1,
      pendingCount: 1,
      pendingTotal: '3.00',
    });
    expect(page.months).toHaveLength(12);
    const thisMonth = new Date().toISOString().slice(0, 7);
    expect(page.months[11]).toEqual({
      month: thisMonth,
      moneyIn: '40.00',
      moneyOut: '12.50',
      transfersIn: 1,
      transfersOut: 1,
    });
    expect(page.months[0].moneyIn).toBe('0.00');
    expect(page.disbursements.map((item) => item.amount)).toEqual(['12.50']);

    // Nothing on the page identifies a person: no name, e-mail, member account or memo.
    const text = JSON.stringify(response.data);
    for (const secret of [
      world.donor.email,
      world.requester.email,
      world.donor.email.split('@')[0],
      world.requester.email.split('@')[0],
      setup.donor.accountId,
      setup.requester.accountId,
      world.community.steward.id,
      'rent this month',
    ]) {
      expect(text).not.toContain(secret);
    }

    const listed = await gql<{ publicFunds: Array<{ accountId: string; balance: string }> }>(
      app,
      'query($slug: String!) { publicFunds(communitySlug: $slug) { accountId balance } }',
      { slug: world.community.slug },
    );
    expect(expectData(listed).publicFunds).toContainEqual({
      accountId: setup.fundId,
      balance: '27.50',
    });

    const withdrawn = await gql<{ setFundPublic: { public: boolean; publishedAt: string | null } }>(
      app,
      SET_PUBLIC,
      { input: { fundAccountId: setup.fundId, public: false } },
      setup.stewards[0].token,
    );
    expect(expectData(withdrawn).setFundPublic).toMatchObject({ public: false, publishedAt: null });
    expect(errorCode(await gql(app, PUBLIC_FUND, variables))).toBe('NOT_FOUND');
  });

  it('answers NOT_FOUND for an unknown community and refuses an id that is not one', async () => {
    const response = await gql(app, PUBLIC_FUND, {
      slug: 'no-such-community',
      id: '00000000-0000-4000-8000-000000000000',
    });
    expect(errorCode(response)).toBe('NOT_FOUND');
    const bad = await gql(app, PUBLIC_FUND, { slug: world.community.slug, id: 'not-an-id' });
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
  });
});

describe('the account directory', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createTestApp();
  });

  afterAll(async () => {
    await app.close();
  });

  it('finds open member, shop and fund accounts of the currency by part of a name, and nothing else', async () => {
    const world = await createWorld(app, 1);
    const setup = await createFund(app, world, { stewards: 1, approvalsRequired: 1 });
    const zoe = expectData(
      await gql<{ register: { token: string } }>(
        app,
        'mutation($input: RegisterInput!) { register(input: $input) { token } }',
        {
          input: {
            communitySlug: world.community.slug,
            email: `zoe@${world.community.slug}.test`,
            password: 'zoe-password-1',
            displayName: 'Zoe Percent%Name',
          },
        },
      ),
    ).register;
    const zoeAccount = expectData(
      await gql<{ openAccount: { id: string } }>(
        app,
        'mutation { openAccount(input: {currencyCode: "HOUR"}) { id } }',
        {},
        zoe.token,
      ),
    ).openAccount.id;
    await addSteward(app, world.community);
    const search = async (variables: Record<string, unknown>) =>
      expectData(
        await gql<{ accountDirectory: Array<{ accountId: string; name: string; kind: string }> }>(
          app,
          'query($code: String!, $search: String, $kind: AccountKind) { accountDirectory(currencyCode: $code, search: $search, kind: $kind) { accountId name kind accountName currencyCode } }',
          { code: 'HOUR', ...variables },
          setup.donor.user.token,
        ),
      ).accountDirectory;

    const everyone = await search({});
    expect(everyone.map((row) => row.kind).sort()).toEqual(['FUND', 'MEMBER', 'MEMBER', 'MEMBER']);
    expect(everyone.map((row) => row.accountId)).toEqual(
      expect.arrayContaining([setup.fundId, zoeAccount, setup.requester.accountId]),
    );
    // A search is a substring of the name in any case; % and _ are plain characters.
    expect((await search({ search: 'percent%' })).map((row) => row.accountId)).toEqual([
      zoeAccount,
    ]);
    expect(await search({ search: '%%' })).toEqual([]);
    expect((await search({ kind: 'FUND' })).map((row) => row.accountId)).toEqual([setup.fundId]);
    // Explicit nulls, as clients send for variables left empty, mean the same as leaving them out.
    expect(await search({ kind: null, search: null })).toEqual(everyone);
    expect(await search({ code: 'NOPE' })).toEqual([]);

    const tooLong = await gql(
      app,
      'query { accountDirectory(currencyCode: "HOUR", search: "' +
        'x'.repeat(101) +
        '") { accountId } }',
      {},
      setup.donor.user.token,
    );
    expect(errorCode(tooLong)).toBe('BAD_USER_INPUT');
  });
});
