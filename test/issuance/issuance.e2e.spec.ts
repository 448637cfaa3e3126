import { INestApplication } from '@nestjs/common';
import {
  balanceOf,
  createCommunity,
  expectData,
  openAccount,
  pay,
  registerUser,
  TestCommunity,
  unique,
} from '../support/factories';
import { createTestApp, errorCode, gql } from '../support/test-app';
import { AccountEntity } from '../../src/accounts/account.entity';
import { IssuanceService } from '../../src/issuance/issuance.service';
import { DataSource } from 'typeorm';
import { withinCommunity } from '../../src/common/database/tenancy';

/**
 * Issuance policy with exact amounts: versions and their history, mutual
 * credit (default limits, onboarding grant), fees and transfer limits, and a
 * backed local currency (reserve deposits, the supply cap under concurrent
 * mints, redemption with its fee).
 */
const CREATE_CURRENCY =
  'mutation($input: CreateCurrencyInput!) { createCurrency(input: $input) { code policy { version } } }';
const SET_POLICY = `mutation($input: SetIssuancePolicyInput!) {
  setIssuancePolicy(input: $input) { policy { version defaultFloor transactionFeePercent } accountsUpdated accountsSkipped }
}`;

describe('issuance policy', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createTestApp();
  });

  afterAll(async () => {
    await app.close();
  });

  async function currency(community: TestCommunity, input: Record<string, unknown>) {
    return expectData(await gql(app, CREATE_CURRENCY, { input }, community.steward.token));
  }

  async function systemAccount(
    community: TestCommunity,
    code: string,
    kind: string,
  ): Promise<string> {
    const response = await gql<{ accounts: { edges: Array<{ node: { id: string } }> } }>(
      app,
      'query($filter: AccountFilter) { accounts(first: 5, filter: $filter) { edges { node { id } } } }',
      { filter: { currencyCode: code, kind } },
      community.steward.token,
    );
    return expectData(response).accounts.edges[0].node.id;
  }

  async function member(
    community: TestCommunity,
    code: string,
    role: 'MEMBER' | 'SHOP' = 'MEMBER',
  ) {
    const user = await registerUser(app, community, role);
    return { user, account: await openAccount(app, user.token, { currencyCode: code }) };
  }

  describe('versions', () => {
    it('keeps every version with who set it, and can apply new default limits to existing accounts', async () => {
      const community = await createCommunity(app);
      await currency(community, {
        code: 'HOUR',
        name: 'Hours',
        kind: 'TIME',
        scale: 2,
        policy: { mode: 'MUTUAL_CREDIT', defaultFloor: '-10.00' },
      });
      const ana = await member(community, 'HOUR');
      const ben = await member(community, 'HOUR');
      const carla = await member(community, 'HOUR');
      expectData(await pay(app, ana.user.token, ana.account, ben.account, '8.00'));

      const changed = await gql<{
        setIssuancePolicy: {
          policy: { version: number; defaultFloor: string };
          accountsUpdated: number;
          accountsSkipped: number;
        };
      }>(
        app,
        SET_POLICY,
        {
          input: {
            currencyCode: 'HOUR',
            policy: { mode: 'MUTUAL_CREDIT', defaultFloor: '-5.00' },
            applyToExistingAccounts: true,
          },
        },
        community.steward.token,
      );
      // Ana is at -8.00: a floor of -5.00 would put her out of bounds, so she keeps -10.00.
      expect(expectData(changed).setIssuancePolicy).toEqual({
        policy: { version: 2, defaultFloor: '-5.00', transactionFeePercent: null },
        accountsUpdated: 2,
        accountsSkipped: 1,
      });
      const floors = await Promise.all(
        [ana, ben, carla].map(
          async (holder) =>
            expectData(
              await gql<{ account: { floor: string } }>(
                app,
                'query($id: ID!) { account(id: $id) { floor } }',
                { id: holder.account },
                community.steward.token,
              ),
            ).account.floor,
        ),
      );
      expect(floors).toEqual(['-10.00', '-5.00', '-5.00']);

      const history = await gql<{
        policyHistory: Array<{
          policy: { version: number };
          previous: { version: number } | null;
          createdBy: string;
        }>;
      }>(
        app,
        '{ policyHistory(currencyCode: "HOUR") { policy { version defaultFloor } previous { version defaultFloor } createdBy createdAt } }',
        {},
        ana.user.token,
      );
      const versions = expectData(history).policyHistory;
      expect(
        versions.map((entry) => [entry.policy.version, entry.previous?.version ?? null]),
      ).toEqual([
        [2, 1],
        [1, null],
      ]);
      expect(versions[0].createdBy).toBe(community.steward.id);
    });

    it('refuses a policy change from a member, and a bad amount with the field named', async () => {
      const community = await createCommunity(app);
      await currency(community, { code: 'HOUR', name: 'Hours', kind: 'TIME', scale: 2 });
      const ana = await member(community, 'HOUR');
      const input = {
        currencyCode: 'HOUR',
        policy: { mode: 'MUTUAL_CREDIT', defaultFloor: '-5.001' },
      };
      expect(errorCode(await gql(app, SET_POLICY, { input }, ana.user.token))).toBe('FORBIDDEN');
      const bad = await gql(app, SET_POLICY, { input }, community.steward.token);
      expect(errorCode(bad)).toBe('BAD_USER_INPUT');
      expect(bad.errors?.[0]?.extensions?.field).toBe('defaultFloor');
    });
  });

  describe('mutual credit', () => {
    it('pays the onboarding grant once per new member account, from ISSUANCE', async () => {
      const community = await createCommunity(app);
      await currency(community, {
        code: 'HOUR',
        name: 'Hours',
        kind: 'TIME',
        scale: 2,
        policy: { mode: 'MUTUAL_CREDIT', defaultFloor: '-10.00', onboardingGrant: '2.50' },
      });
      const ana = await member(community, 'HOUR');
      expect(await balanceOf(app, ana.user.token, ana.account)).toBe('2.50');
      // Asking again, as a retry after a crash would, pays nothing more.
      await withinCommunity(community.id, async () => {
        const row = await app
          .get(DataSource)
          .getRepository(AccountEntity)
          .findOneByOrFail({ communityId: community.id, id: ana.account });
        await app.get(IssuanceService).grantOnboarding(row);
      });
      expect(await balanceOf(app, ana.user.token, ana.account)).toBe('2.50');
      const issuance = await systemAccount(community, 'HOUR', 'ISSUANCE');
      expect(await balanceOf(app, community.steward.token, issuance)).toBe('-2.50');
    });

    it('pays the onboarding grant once per member and currency, however many accounts they open', async () => {
      const community = await createCommunity(app);
      await currency(community, {
        code: 'HOUR',
        name: 'Hours',
        kind: 'TIME',
        scale: 2,
        policy: { mode: 'MUTUAL_CREDIT', defaultFloor: '-10.00', onboardingGrant: '2.50' },
      });
      const ana = await member(community, 'HOUR');
      const accounts = [ana.account];
      for (let index = 0; index < 3; index += 1) {
        accounts.push(await openAccount(app, ana.user.token, { currencyCode: 'HOUR' }));
      }
      // At once, as a script opening many accounts would.
      accounts.push(
        ...(await Promise.all(
          [0, 1, 2].map(() => openAccount(app, ana.user.token, { currencyCode: 'HOUR' })),
        )),
      );
      // A steward opening one for her does not pay it again either.
      accounts.push(
        await openAccount(app, community.steward.token, {
          currencyCode: 'HOUR',
          kind: 'MEMBER',
          ownerId: ana.user.id,
        }),
      );
      const balances = await Promise.all(accounts.map((id) => balanceOf(app, ana.user.token, id)));
      expect(balances.filter((balance) => balance !== '0.00')).toEqual(['2.50']);
      const issuance = await systemAccount(community, 'HOUR', 'ISSUANCE');
      expect(await balanceOf(app, community.steward.token, issuance)).toBe('-2.50');
      // Another member still gets theirs.
      const ben = await member(community, 'HOUR');
      expect(await balanceOf(app, ben.user.token, ben.account)).toBe('2.50');
    });

    it('answers openAccount with the onboarding grant already in the balance', async () => {
      const community = await createCommunity(app);
      await currency(community, {
        code: 'HOUR',
        name: 'Hours',
        kind: 'TIME',
        scale: 2,
        policy: { mode: 'MUTUAL_CREDIT', defaultFloor: '-10.00', onboardingGrant: '2.50' },
      });
      const ana = await registerUser(app, community);
      const opened = await gql<{
        openAccount: { id: string; balance: string; availableBalance: string };
      }>(
        app,
        'mutation { openAccount(input: {currencyCode: "HOUR"}) { id balance availableBalance } }',
        {},
        ana.token,
      );
      const account = expectData(opened).openAccount;
      expect(account).toMatchObject({ balance: '2.50', availableBalance: '2.50' });
      expect(await balanceOf(app, ana.token, account.id)).toBe('2.50');
    });
  });

  describe('earn your limit', () => {
    const LIMITS = `query($id: ID!) { account(id: $id) { balance floor earnedCredit effectiveFloor } }`;
    const REVERSE =
      'mutation($input: ReverseTransferInput!) { reverseTransfer(input: $input) { id status } }';
    const VERIFY = 'query($code: String!) { verifyLedger(currencyCode: $code) { ok problems } }';

    async function limits(token: string, id: string) {
      const response = await gql<{
        account: { balance: string; floor: string; earnedCredit: string; effectiveFloor: string };
      }>(app, LIMITS, { id }, token);
      return expectData(response).account;
    }

    it('lowers the floor by 10% of what was received in trade, up to the cap, and undoes it on reversal', async () => {
      const community = await createCommunity(app);
      await currency(community, {
        code: 'HOUR',
        name: 'Hours',
        kind: 'TIME',
        scale: 2,
        policy: {
          mode: 'MUTUAL_CREDIT',
          defaultFloor: '-10.00',
          onboardingGrant: '50.00',
          earnedCreditPercent: '10',
          earnedCreditCap: '5.00',
        },
      });
      const ana = await member(community, 'HOUR');
      const ben = await member(community, 'HOUR');
      const carla = await member(community, 'HOUR');
      // The onboarding grant is issuance, not trade: it earns nothing.
      expect(await limits(ana.user.token, ana.account)).toEqual({
        balance: '50.00',
        floor: '-10.00',
        earnedCredit: '0.00',
        effectiveFloor: '-10.00',
      });

      // 10% of 23.35 is 2.335, rounded half away from zero to 2.34.
      const payment = expectData(await pay(app, ben.user.token, ben.account, ana.account, '23.35'));
      expect(await limits(ana.user.token, ana.account)).toEqual({
        balance: '73.35',
        floor: '-10.00',
        earnedCredit: '2.34',
        effectiveFloor: '-12.34',
      });
      // The payer earned nothing by paying.
      expect((await limits(ben.user.token, ben.account)).earnedCredit).toBe('0.00');

      // Ana may now go down to -12.34: one cent more is refused and changes nothing.
      const beyond = await pay(app, ana.user.token, ana.account, carla.account, '85.70');
      expect(errorCode(beyond)).toBe('INSUFFICIENT_FUNDS');
      expect(await balanceOf(app, ana.user.token, ana.account)).toBe('73.35');
      expectData(await pay(app, ana.user.token, ana.account, carla.account, '85.69'));
      expect((await limits(ana.user.token, ana.account)).balance).toBe('-12.34');

      // Carla received 85.69: 10% is 8.57, but the cap is 5.00.
      expect(await limits(carla.user.token, carla.account)).toEqual({
        balance: '135.69',
        floor: '-10.00',
        earnedCredit: '5.00',
        effectiveFloor: '-15.00',
      });

      // Reversing the payment Ana received takes back what it earned her.
      const reversal = await gql(
        app,
        REVERSE,
        {
          input: {
            transferId: payment.transfer.id,
            reason: 'paid by mistake',
            idempotencyKey: unique('rev'),
            force: true,
          },
        },
        community.steward.token,
      );
      expectData(reversal);
      expect(await limits(ana.user.token, ana.account)).toEqual({
        balance: '-35.69',
        floor: '-10.00',
        earnedCredit: '0.00',
        effectiveFloor: '-10.00',
      });
      const verified = await gql<{ verifyLedger: { ok: boolean; problems: string[] } }>(
        app,
        VERIFY,
        { code: 'HOUR' },
        community.steward.token,
      );
      expect(expectData(verified).verifyLedger).toEqual({ ok: true, problems: [] });
    });

    it('counts a pending payment once it posts, and stops applying when a new policy drops the rule', async () => {
      const community = await createCommunity(app);
      await currency(community, {
        code: 'HOUR',
        name: 'Hours',
        kind: 'TIME',
        scale: 2,
        policy: {
          mode: 'MUTUAL_CREDIT',
          defaultFloor: '-10.00',
          earnedCreditPercent: '50',
          earnedCreditCap: '20.00',
        },
      });
      const ana = await member(community, 'HOUR');
      const ben = await member(community, 'HOUR');
      const hold = expectData(
        await gql<{ transfer: { id: string; status: string } }>(
          app,
          `mutation($input: TransferInput!) { transfer(input: $input) { id status } }`,
          {
            input: {
              fromAccountId: ben.account,
              toAccountId: ana.account,
              amount: '8.00',
              kind: 'EXCHANGE',
              idempotencyKey: unique('k'),
              pendingUntil: new Date(Date.now() + 3_600_000).toISOString(),
            },
          },
          ben.user.token,
        ),
      );
      expect(hold.transfer.status).toBe('PENDING');
      expect((await limits(ana.user.token, ana.account)).earnedCredit).toBe('0.00');
      expectData(
        await gql(
          app,
          'mutation($id: ID!) { postTransfer(id: $id) { status } }',
          { id: hold.transfer.id },
          ben.user.token,
        ),
      );
      expect((await limits(ana.user.token, ana.account)).effectiveFloor).toBe('-14.00');

      expectData(
        await gql(
          app,
          SET_POLICY,
          {
            input: {
              currencyCode: 'HOUR',
              policy: { mode: 'MUTUAL_CREDIT', defaultFloor: '-10.00' },
            },
          },
          community.steward.token,
        ),
      );
      expect(await limits(ana.user.token, ana.account)).toMatchObject({
        earnedCredit: '0.00',
        effectiveFloor: '-10.00',
      });
      expect(errorCode(await pay(app, ana.user.token, ana.account, ben.account, '18.01'))).toBe(
        'INSUFFICIENT_FUNDS',
      );
      expectData(await pay(app, ana.user.token, ana.account, ben.account, '18.00'));
    });

    it('refuses a half-given rule, and the rule in a backed currency, naming the field', async () => {
      const community = await createCommunity(app);
      await currency(community, { code: 'HOUR', name: 'Hours', kind: 'TIME', scale: 2 });
      const halfGiven = await gql(
        app,
        SET_POLICY,
        {
          input: {
            currencyCode: 'HOUR',
            policy: { mode: 'MUTUAL_CREDIT', earnedCreditPercent: '10' },
          },
        },
        community.steward.token,
      );
      expect(errorCode(halfGiven)).toBe('BAD_USER_INPUT');
      expect(halfGiven.errors?.[0]?.extensions?.field).toBe('earnedCreditCap');
      const backed = await gql(
        app,
        SET_POLICY,
        {
          input: {
            currencyCode: 'HOUR',
            policy: { mode: 'BACKED', earnedCreditPercent: '10', earnedCreditCap: '1.00' },
          },
        },
        community.steward.token,
      );
      expect(errorCode(backed)).toBe('BAD_USER_INPUT');
      expect(backed.errors?.[0]?.extensions?.field).toBe('earnedCreditPercent');
      const tooMuch = await gql(
        app,
        SET_POLICY,
        {
          input: {
            currencyCode: 'HOUR',
            policy: { mode: 'MUTUAL_CREDIT', earnedCreditPercent: '101', earnedCreditCap: '1.00' },
          },
        },
        community.steward.token,
      );
      expect(errorCode(tooMuch)).toBe('BAD_USER_INPUT');
      expect(tooMuch.errors?.[0]?.extensions?.field).toBe('earnedCreditPercent');
    });
  });

  describe('fees and limits', () => {
    async function feeCommunity(policy: Record<string, unknown>) {
      const community = await createCommunity(app);
      await currency(community, {
        code: 'HOUR',
        name: 'Hours',
        kind: 'TIME',
        scale: 2,
        policy: { mode: 'MUTUAL_CREDIT', defaultFloor: '-50.00' },
      });
      const fees = await openAccount(app, community.steward.token, {
        currencyCode: 'HOUR',
        kind: 'FEES',
        name: 'Fees',
      });
      expectData(
        await gql(
          app,
          SET_POLICY,
          {
            input: {
              currencyCode: 'HOUR',
              policy: {
                mode: 'MUTUAL_CREDIT',
                defaultFloor: '-50.00',
                transactionFeeAccountId: fees,
                ...policy,
              },
            },
          },
          community.steward.token,
        ),
      );
      const ana = await member(community, 'HOUR');
      const ben = await member(community, 'HOUR');
      return { community, fees, ana, ben };
    }

    it('charges a payer-paid fee of 2% + 0.05 as a third leg of the same transfer', async () => {
      const { community, fees, ana, ben } = await feeCommunity({
        transactionFeePercent: '2',
        transactionFeeFixed: '0.05',
      });
      const paid = await gql<{
        transfer: { amount: string; policyVersion: number; entries: Array<{ amount: string }> };
      }>(
        app,
        `mutation($input: TransferInput!) { transfer(input: $input) { amount policyVersion entries { amount } } }`,
        {
          input: {
            fromAccountId: ana.account,
            toAccountId: ben.account,
            amount: '10.00',
            kind: 'EXCHANGE',
            idempotencyKey: unique('f'),
          },
        },
        ana.user.token,
      );
      const transfer = expectData(paid).transfer;
      expect(transfer.amount).toBe('10.00');
      expect(transfer.policyVersion).toBe(2);
      expect(transfer.entries.map((entry) => entry.amount).sort()).toEqual([
        '-10.25',
        '0.25',
        '10.00',
      ]);
      expect(await balanceOf(app, ana.user.token, ana.account)).toBe('-10.25');
      expect(await balanceOf(app, ben.user.token, ben.account)).toBe('10.00');
      expect(await balanceOf(app, community.steward.token, fees)).toBe('0.25');
    });

    it('takes a receiver-paid fee out of the amount, rounding 1.5% of 3.33 (4.995 minor units) to 0.05', async () => {
      const { community, fees, ana, ben } = await feeCommunity({
        transactionFeePercent: '1.5',
        transactionFeePaidBy: 'RECEIVER',
      });
      expectData(await pay(app, ana.user.token, ana.account, ben.account, '3.33'));
      expect(await balanceOf(app, ana.user.token, ana.account)).toBe('-3.33');
      expect(await balanceOf(app, ben.user.token, ben.account)).toBe('3.28');
      expect(await balanceOf(app, community.steward.token, fees)).toBe('0.05');
    });

    it('refuses a transfer above the maximum with LIMIT_EXCEEDED and changes nothing', async () => {
      const { ana, ben } = await feeCommunity({ maxTransfer: '5.00' });
      expectData(await pay(app, ana.user.token, ana.account, ben.account, '5.00'));
      const refused = await pay(app, ana.user.token, ana.account, ben.account, '5.01');
      expect(errorCode(refused)).toBe('LIMIT_EXCEEDED');
      expect(refused.errors?.[0]?.extensions?.reason).toBe('TRANSFER_LIMIT_EXCEEDED');
      // In the currency's units, not minor units.
      expect(refused.errors?.[0]?.message).toBe(
        'A single HOUR transfer may be at most 5.00 HOUR (asked 5.01)',
      );
      expect(refused.errors?.[0]?.extensions).toMatchObject({ limit: '5.00', amount: '5.01' });
      expect(refused.errors?.[0]?.extensions).not.toHaveProperty('maxMinor');
      expect(await balanceOf(app, ana.user.token, ana.account)).toBe('-5.00');
    });

    it('counts a rolling 24 hours against the daily outflow limit', async () => {
      const { ana, ben } = await feeCommunity({ dailyOutflowLimit: '10.00' });
      expectData(await pay(app, ana.user.token, ana.account, ben.account, '6.00'));
      expectData(await pay(app, ana.user.token, ana.account, ben.account, '4.00'));
      const refused = await pay(app, ana.user.token, ana.account, ben.account, '0.01');
      expect(errorCode(refused)).toBe('LIMIT_EXCEEDED');
      expect(refused.errors?.[0]?.extensions?.reason).toBe('DAILY_LIMIT_EXCEEDED');
      expect(refused.errors?.[0]?.message).toMatch(
        /account may send 10\.00 HOUR in 24 hours: 10\.00 already sent, so at most 0\.00 more now$/,
      );
      expect(refused.errors?.[0]?.extensions).toMatchObject({
        limit: '10.00',
        used: '10.00',
        available: '0.00',
        amount: '0.01',
      });
      // Money coming in does not count: Ben can still pay out his 10.00.
      expectData(await pay(app, ben.user.token, ben.account, ana.account, '10.00'));
    });
  });

  describe('demurrage', () => {
    const RUN = `mutation($code: String!, $period: String) {
      runDemurrage(currencyCode: $code, period: $period) { period accountsCharged alreadyCharged failed totalCharged }
    }`;

    /** A community whose HOUR charges demurrage into a FEES account, its fund. */
    async function hoursWithDemurrage(floor: string, percent: string, period: 'QUARTER' | 'DAY') {
      const community = await createCommunity(app);
      await currency(community, {
        code: 'HOUR',
        name: 'Hours',
        kind: 'TIME',
        scale: 2,
        policy: { mode: 'MUTUAL_CREDIT', defaultFloor: floor },
      });
      const fund = await openAccount(app, community.steward.token, {
        currencyCode: 'HOUR',
        kind: 'FEES',
        name: 'Care fund',
      });
      const policy = {
        mode: 'MUTUAL_CREDIT',
        defaultFloor: floor,
        demurragePercent: percent,
        demurragePeriod: period,
        demurrageFundAccountId: fund,
      };
      expectData(
        await gql(
          app,
          SET_POLICY,
          { input: { currencyCode: 'HOUR', policy } },
          community.steward.token,
        ),
      );
      return { community, fund };
    }

    it('charges 2% a quarter on positive balances into the fund, once per account per period, however often it runs', async () => {
      const { community, fund } = await hoursWithDemurrage('-20.00', '2', 'QUARTER');
      const ana = await member(community, 'HOUR');
      const ben = await member(community, 'HOUR');
      const carla = await member(community, 'HOUR');
      expectData(await pay(app, ben.user.token, ben.account, ana.account, '10.00'));
      expectData(await pay(app, ben.user.token, ben.account, carla.account, '0.24'));

      // Ana holds 10.00 and owes 0.20; Carla's 0.24 owes 0.0048, not a whole minor unit; Ben is negative.
      const first = await gql(
        app,
        RUN,
        { code: 'HOUR', period: '2026-Q4' },
        community.steward.token,
      );
      expect(expectData(first)).toEqual({
        runDemurrage: {
          period: '2026-Q4',
          accountsCharged: 1,
          alreadyCharged: 0,
          failed: 0,
          totalCharged: '0.20',
        },
      });
      const again = await Promise.all(
        [1, 2, 3].map(() =>
          gql(app, RUN, { code: 'HOUR', period: '2026-Q4' }, community.steward.token),
        ),
      );
      for (const run of again) {
        expect(expectData(run)).toMatchObject({
          runDemurrage: { accountsCharged: 0, totalCharged: '0.00' },
        });
      }
      expect(await balanceOf(app, ana.user.token, ana.account)).toBe('9.80');
      expect(await balanceOf(app, community.steward.token, fund)).toBe('0.20');

      // A new period charges again, on the new balance: 2% of 9.80 = 0.196, rounded to 0.20.
      const next = await gql(
        app,
        RUN,
        { code: 'HOUR', period: '2027-Q1' },
        community.steward.token,
      );
      expect(expectData(next)).toMatchObject({
        runDemurrage: { accountsCharged: 1, totalCharged: '0.20' },
      });

      const badPeriod = await gql(
        app,
        RUN,
        { code: 'HOUR', period: '2026-11' },
        community.steward.token,
      );
      expect(errorCode(badPeriod)).toBe('BAD_USER_INPUT');
      expect(errorCode(await gql(app, RUN, { code: 'HOUR' }, ana.user.token))).toBe('FORBIDDEN');
    });

    it('charges concurrent runs of one period once', async () => {
      const { community, fund } = await hoursWithDemurrage('-50.00', '10', 'DAY');
      const payer = await member(community, 'HOUR');
      const holders = await Promise.all([1, 2, 3].map(() => member(community, 'HOUR')));
      for (const holder of holders)
        expectData(await pay(app, payer.user.token, payer.account, holder.account, '10.00'));
      const runs = await Promise.all(
        [1, 2, 3, 4].map(() =>
          gql(app, RUN, { code: 'HOUR', period: '2026-11-25' }, community.steward.token),
        ),
      );
      const charged = runs.map(
        (run) =>
          (expectData(run) as { runDemurrage: { accountsCharged: number } }).runDemurrage
            .accountsCharged,
      );
      expect(charged.reduce((sum, count) => sum + count, 0)).toBe(3);
      expect(await balanceOf(app, community.steward.token, fund)).toBe('3.00');
    });
  });

  describe('a backed local currency', () => {
    async function backed(options: {
      mintRate: string;
      backingRatio: string;
      redemptionFeePercent: string;
    }) {
      const community = await createCommunity(app);
      await currency(community, {
        code: 'EUR',
        name: 'Euro',
        kind: 'NATIONAL',
        scale: 2,
        policy: { mode: 'BACKED' },
      });
      await currency(community, {
        code: 'BRK',
        name: 'Brook',
        kind: 'LOCAL',
        scale: 2,
        policy: { mode: 'BACKED', reserveCurrencyCode: 'EUR', ...options },
      });
      const buyer = await member(community, 'BRK');
      const shop = await member(community, 'BRK', 'SHOP');
      return { community, buyer, shop };
    }

    const DEPOSIT = `mutation($input: RecordReserveDepositInput!) {
      recordReserveDeposit(input: $input) { transfer { amount kind } reserveTransfer { amount currencyCode } }
    }`;

    it('buys credits with a reserve deposit, caps minting at the reserve, and redeems less the fee', async () => {
      const { community, buyer, shop } = await backed({
        mintRate: '1.05',
        backingRatio: '1',
        redemptionFeePercent: '5',
      });
      const deposit = await gql(
        app,
        DEPOSIT,
        {
          input: {
            currencyCode: 'BRK',
            accountId: buyer.account,
            amount: '100.00',
            idempotencyKey: unique('d'),
          },
        },
        community.steward.token,
      );
      expect(expectData(deposit)).toEqual({
        recordReserveDeposit: {
          transfer: { amount: '105.00', kind: 'ISSUANCE' },
          reserveTransfer: { amount: '100.00', currencyCode: 'EUR' },
        },
      });
      expect(await balanceOf(app, buyer.user.token, buyer.account)).toBe('105.00');
      const reserve = await systemAccount(community, 'EUR', 'RESERVE');
      expect(await balanceOf(app, community.steward.token, reserve)).toBe('100.00');

      // The reserve backs 105.00 credits exactly: not one more.
      const over = await gql(
        app,
        'mutation($input: MintInput!) { mint(input: $input) { transfer { id } } }',
        { input: { accountId: buyer.account, amount: '0.01', idempotencyKey: unique('m') } },
        community.steward.token,
      );
      expect(errorCode(over)).toBe('POLICY_VIOLATION');
      expect(over.errors?.[0]?.extensions?.reason).toBe('SUPPLY_CAP_EXCEEDED');
      expect(over.errors?.[0]?.message).toBe(
        'Minting 0.01 BRK would put more in circulation than the reserve backs: ' +
          'the reserve backs 105.00, 105.00 are in circulation, so at most 0.00 can be minted',
      );
      expect(over.errors?.[0]?.extensions).toMatchObject({
        currencyCode: 'BRK',
        limit: '105.00',
        supply: '105.00',
        available: '0.00',
        amount: '0.01',
      });
      expect(over.errors?.[0]?.extensions).not.toHaveProperty('capMinor');

      expectData(
        await pay(app, buyer.user.token, buyer.account, shop.account, '105.00', {
          kind: 'PAYMENT',
        }),
      );
      const redeemed = await gql(
        app,
        'mutation($input: RedeemInput!) { redeem(input: $input) { transfer { amount entries { amount } } reserveTransfer { amount } } }',
        { input: { accountId: shop.account, amount: '100.00', idempotencyKey: unique('r') } },
        shop.user.token,
      );
      // Fee 5% of 100.00 = 5.00; the net 95.00 credits are 95 / 1.05 = 90.476… euros, paid as 90.48.
      const result = expectData(redeemed) as {
        redeem: {
          transfer: { amount: string; entries: Array<{ amount: string }> };
          reserveTransfer: { amount: string };
        };
      };
      expect(result.redeem.transfer.amount).toBe('100.00');
      expect(result.redeem.transfer.entries.map((entry) => entry.amount).sort()).toEqual([
        '-100.00',
        '5.00',
        '95.00',
      ]);
      expect(result.redeem.reserveTransfer.amount).toBe('90.48');
      expect(await balanceOf(app, shop.user.token, shop.account)).toBe('5.00');
      expect(await balanceOf(app, community.steward.token, reserve)).toBe('9.52');
      const fees = await systemAccount(community, 'BRK', 'FEES');
      expect(await balanceOf(app, community.steward.token, fees)).toBe('5.00');

      for (const code of ['BRK', 'EUR']) {
        const check = await gql<{ verifyLedger: { ok: boolean } }>(
          app,
          'query($code: String!) { verifyLedger(currencyCode: $code) { ok problems } }',
          { code },
          community.steward.token,
        );
        expect(expectData(check).verifyLedger.ok).toBe(true);
      }
    });

    it('lets no two concurrent mints pass the cap together', async () => {
      // Backing ratio 2: a 40.00 deposit buys 40.00 credits and leaves room for 40.00 more.
      const { community, buyer } = await backed({
        mintRate: '1',
        backingRatio: '2',
        redemptionFeePercent: '0',
      });
      expectData(
        await gql(
          app,
          DEPOSIT,
          {
            input: {
              currencyCode: 'BRK',
              accountId: buyer.account,
              amount: '40.00',
              idempotencyKey: unique('d'),
            },
          },
          community.steward.token,
        ),
      );
      const attempts = await Promise.all(
        Array.from({ length: 30 }, () =>
          gql(
            app,
            'mutation($input: MintInput!) { mint(input: $input) { transfer { id } } }',
            { input: { accountId: buyer.account, amount: '2.00', idempotencyKey: unique('m') } },
            community.steward.token,
          ),
        ),
      );
      const minted = attempts.filter((attempt) => attempt.errors === undefined).length;
      const capped = attempts.filter(
        (attempt) => attempt.errors?.[0]?.extensions?.reason === 'SUPPLY_CAP_EXCEEDED',
      ).length;
      expect([minted, capped]).toEqual([20, 10]);
      expect(await balanceOf(app, buyer.user.token, buyer.account)).toBe('80.00');
    }, 60_000);
  });
});
