import { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  createCommunity,
  createCurrency,
  expectData,
  openAccount,
  registerUser,
  unique,
} from '../support/factories';
import {
  createTestApp,
  everyCommunity,
  errorCode,
  gql,
  testOwnerDatabaseUrl,
} from '../support/test-app';
import {
  addMember,
  addSteward,
  askForAid,
  balances,
  createFund,
  createWorld,
  FUND_TEST_TIMEOUT_MS,
  openFund,
  readDisbursement,
  reason,
  requestDisbursement,
  statusAfter,
  transferStatus,
  verifyLedger,
  vote,
  World,
} from './fund-helpers';

const FUND = `query($id: ID!) { fund(accountId: $id) {
  account { id kind } approvalsRequired stewards { id displayName } } }`;

jest.setTimeout(FUND_TEST_TIMEOUT_MS);

describe('mutual-aid funds', () => {
  let app: INestApplication;
  /** Each group of tests shares one community with five stewards; each test opens its own fund. */
  let world: World;

  beforeAll(async () => {
    app = await createTestApp();
  });

  afterAll(async () => {
    await app.close();
  });

  describe('opening a fund', () => {
    beforeAll(async () => {
      world = await createWorld(app, 3);
    });

    it('names its stewards and k, and everyone in the community can see who decides', async () => {
      const setup = await createFund(app, world, { stewards: 3, approvalsRequired: 2 });
      const response = await gql<{
        fund: {
          account: { id: string; kind: string };
          approvalsRequired: number;
          stewards: Array<{ id: string }>;
        };
      }>(app, FUND, { id: setup.fundId }, setup.requester.user.token);
      const fund = expectData(response).fund;
      expect(fund.account).toEqual({ id: setup.fundId, kind: 'FUND' });
      expect(fund.approvalsRequired).toBe(2);
      expect(fund.stewards.map((steward) => steward.id).sort()).toEqual(
        setup.stewards.map((steward) => steward.id).sort(),
      );
      // A member sees the stewards' names, not their emails.
      const emails = await gql(
        app,
        'query($id: ID!) { fund(accountId: $id) { stewards { email } } }',
        { id: setup.fundId },
        setup.requester.user.token,
      );
      expect(errorCode(emails)).toBe('FORBIDDEN');
    });

    it('defaults to every steward of the community and a simple majority', async () => {
      const community = await createCommunity(app);
      const currency = await createCurrency(app, community);
      const second = await addSteward(app, community);
      const third = await addSteward(app, community);
      const fundId = expectData(
        await openFund(app, community.steward.token, { currencyCode: currency }),
      ).openAccount.id;
      const fund = expectData(
        await gql<{ fund: { approvalsRequired: number; stewards: Array<{ id: string }> } }>(
          app,
          FUND,
          { id: fundId },
          community.steward.token,
        ),
      ).fund;
      expect(fund.approvalsRequired).toBe(2);
      expect(fund.stewards.map((steward) => steward.id).sort()).toEqual(
        [community.steward.id, second.id, third.id].sort(),
      );
    });

    it('refuses a rule that could never decide, and opens nothing then', async () => {
      const community = await createCommunity(app);
      const currency = await createCurrency(app, community);
      const member = await registerUser(app, community);
      const stranger = await registerUser(app, await createCommunity(app));
      const steward = community.steward;
      const open = (input: Record<string, unknown>) =>
        openFund(app, steward.token, { currencyCode: currency, ...input });

      expect(errorCode(await open({ stewardIds: [steward.id], approvalsRequired: 2 }))).toBe(
        'BAD_USER_INPUT',
      );
      expect(errorCode(await open({ stewardIds: [steward.id], approvalsRequired: 0 }))).toBe(
        'BAD_USER_INPUT',
      );
      expect(errorCode(await open({ stewardIds: [] }))).toBe('BAD_USER_INPUT');
      expect(errorCode(await open({ stewardIds: [steward.id, steward.id] }))).toBe(
        'BAD_USER_INPUT',
      );
      const tooMany = Array.from({ length: 21 }, () => randomUUID());
      expect(errorCode(await open({ stewardIds: tooMany }))).toBe('BAD_USER_INPUT');
      const notSteward = await open({ stewardIds: [steward.id, member.id] });
      expect(errorCode(notSteward)).toBe('BAD_USER_INPUT');
      expect(notSteward.errors?.[0]?.extensions?.field).toBe('stewardIds');
      expect(errorCode(await open({ stewardIds: [stranger.id] }))).toBe('NOT_FOUND');
      const memberAccount = await gql(
        app,
        'mutation($input: OpenAccountInput!) { openAccount(input: $input) { id } }',
        { input: { currencyCode: currency, ownerId: member.id, stewardIds: [steward.id] } },
        steward.token,
      );
      expect(errorCode(memberAccount)).toBe('BAD_USER_INPUT');

      const funds = await gql<{ accounts: { edges: unknown[] } }>(
        app,
        '{ accounts(first: 10, filter: { kind: FUND }) { edges { node { id } } } }',
        {},
        steward.token,
      );
      expect(expectData(funds).accounts.edges).toHaveLength(0);
    });
  });

  describe('deciding a disbursement', () => {
    beforeAll(async () => {
      world = await createWorld(app);
    });

    it('holds the money, then posts at the k-th approval with exact balances', async () => {
      const setup = await createFund(app, world, { stewards: 3, approvalsRequired: 2 });
      const [first, second, third] = setup.stewards;
      const request = await askForAid(app, setup, '12.50');
      expect(request).toMatchObject({
        kind: 'DISBURSEMENT',
        status: 'PENDING',
        amount: '12.50',
        memo: 'rent this month',
        postedAt: null,
        fromAccount: { id: setup.fundId },
        toAccount: { id: setup.requester.accountId },
        entries: [],
      });
      const expiresIn = new Date(request.expiresAt!).getTime() - Date.now();
      expect(expiresIn).toBeGreaterThan(13.9 * 24 * 3600_000);
      expect(expiresIn).toBeLessThanOrEqual(14 * 24 * 3600_000);
      expect(await balances(app, first.token, setup.fundId)).toEqual({
        balance: '40.00',
        availableBalance: '27.50',
      });

      expect(await statusAfter(app, first.token, 'approveTransfer', request.id)).toBe('PENDING');
      expect(await balances(app, first.token, setup.fundId)).toEqual({
        balance: '40.00',
        availableBalance: '27.50',
      });
      const posted = expectData(
        await vote(app, second.token, 'approveTransfer', request.id),
      ).approveTransfer;
      expect(posted.status).toBe('POSTED');
      expect(posted.postedAt).not.toBeNull();
      expect(posted.entries).toEqual(
        expect.arrayContaining([
          { amount: '-12.50', balanceAfter: '27.50', account: { id: setup.fundId } },
          { amount: '12.50', balanceAfter: '12.50', account: { id: setup.requester.accountId } },
        ]),
      );
      expect(posted.entries).toHaveLength(2);
      expect(await balances(app, first.token, setup.fundId)).toEqual({
        balance: '27.50',
        availableBalance: '27.50',
      });
      expect(await balances(app, setup.requester.user.token, setup.requester.accountId)).toEqual({
        balance: '12.50',
        availableBalance: '12.50',
      });
      expect(await balances(app, setup.donor.user.token, setup.donor.accountId)).toEqual({
        balance: '-40.00',
        availableBalance: '-40.00',
      });

      const late = await vote(app, third.token, 'approveTransfer', request.id);
      expect(errorCode(late)).toBe('CONFLICT');
      expect(reason(late)).toBe('DISBURSEMENT_DECIDED');

      const decided = expectData(await readDisbursement(app, first.token, request.id)).disbursement;
      expect(decided).toMatchObject({
        transfer: { id: request.id, status: 'POSTED' },
        requestedBy: { id: setup.requester.user.id },
        approvalsRequired: 2,
        rejectionsRequired: 2,
        approvals: 2,
        rejections: 0,
      });
      expect(decided.votes.map((v) => [v.steward.id, v.decision])).toEqual([
        [first.id, 'APPROVE'],
        [second.id, 'APPROVE'],
      ]);
      expect(await verifyLedger(app, first.token, setup.currency)).toEqual({
        ok: true,
        problems: [],
      });
    });

    it.each([
      { stewards: 3, approvalsRequired: 2, rejectionsRequired: 2 },
      { stewards: 3, approvalsRequired: 1, rejectionsRequired: 3 },
      { stewards: 4, approvalsRequired: 4, rejectionsRequired: 1 },
    ])(
      'voids at n - k + 1 rejections and releases the hold (n=$stewards, k=$approvalsRequired)',
      async ({ stewards, approvalsRequired, rejectionsRequired }) => {
        const setup = await createFund(app, world, { stewards, approvalsRequired });
        const request = await askForAid(app, setup, '5.25');
        for (let index = 0; index < rejectionsRequired - 1; index += 1) {
          const token = setup.stewards[index].token;
          expect(await statusAfter(app, token, 'rejectTransfer', request.id)).toBe('PENDING');
        }
        const last = setup.stewards[rejectionsRequired - 1].token;
        expect(await statusAfter(app, last, 'rejectTransfer', request.id)).toBe('VOIDED');
        expect(await balances(app, last, setup.fundId)).toEqual({
          balance: '40.00',
          availableBalance: '40.00',
        });
        const voided = await transferStatus(app, last, request.id);
        expect(voided).toMatchObject({ status: 'VOIDED', postedAt: null, entries: [] });
        const read = expectData(await readDisbursement(app, last, request.id)).disbursement;
        expect(read).toMatchObject({ rejections: rejectionsRequired, rejectionsRequired });
      },
    );

    it('counts approvals and rejections together: 1 of each with n=3, k=2 stays pending', async () => {
      const setup = await createFund(app, world, { stewards: 3, approvalsRequired: 2 });
      const [first, second, third] = setup.stewards;
      const request = await askForAid(app, setup, '1.00');
      expect(await statusAfter(app, first.token, 'rejectTransfer', request.id)).toBe('PENDING');
      expect(await statusAfter(app, second.token, 'approveTransfer', request.id)).toBe('PENDING');
      expect(await statusAfter(app, third.token, 'rejectTransfer', request.id)).toBe('VOIDED');
    });

    it('takes one vote per steward', async () => {
      const setup = await createFund(app, world, { stewards: 3, approvalsRequired: 3 });
      const steward = setup.stewards[1];
      const request = await askForAid(app, setup, '2.00');
      expect(await statusAfter(app, steward.token, 'approveTransfer', request.id)).toBe('PENDING');
      for (const decision of ['approveTransfer', 'rejectTransfer'] as const) {
        const again = await vote(app, steward.token, decision, request.id);
        expect(errorCode(again)).toBe('CONFLICT');
        expect(reason(again)).toBe('ALREADY_VOTED');
      }
      const read = expectData(await readDisbursement(app, steward.token, request.id)).disbursement;
      expect(read).toMatchObject({ approvals: 1, rejections: 0, transfer: { status: 'PENDING' } });
      expect(read.votes).toHaveLength(1);
    });

    it('never lets the requester vote on their own request', async () => {
      const setup = await createFund(app, world, { stewards: 3, approvalsRequired: 2 });
      const [first, second, third] = setup.stewards;
      // A fund steward may ask the fund to pay someone else, e.g. a member's bill.
      const response = await requestDisbursement(app, first.token, {
        fundAccountId: setup.fundId,
        toAccountId: setup.requester.accountId,
        amount: '3.00',
      });
      const request = expectData(response).requestDisbursement;
      for (const decision of ['approveTransfer', 'rejectTransfer'] as const) {
        const own = await vote(app, first.token, decision, request.id);
        expect(errorCode(own)).toBe('FORBIDDEN');
        expect(reason(own)).toBe('OWN_REQUEST');
      }
      const read = expectData(await readDisbursement(app, second.token, request.id)).disbursement;
      expect(read.voters.map((voter) => voter.id).sort()).toEqual([second.id, third.id].sort());
      expect(read).toMatchObject({ approvalsRequired: 2, rejectionsRequired: 1, votes: [] });
      expect(await statusAfter(app, second.token, 'approveTransfer', request.id)).toBe('PENDING');
      expect(await statusAfter(app, third.token, 'approveTransfer', request.id)).toBe('POSTED');
      expect(await balances(app, first.token, setup.requester.accountId)).toEqual({
        balance: '3.00',
        availableBalance: '3.00',
      });
    });

    it("refuses a steward's request that the other stewards could never approve", async () => {
      const setup = await createFund(app, world, { stewards: 2, approvalsRequired: 2 });
      const response = await requestDisbursement(app, setup.stewards[0].token, {
        fundAccountId: setup.fundId,
        toAccountId: setup.requester.accountId,
        amount: '1.00',
      });
      expect(errorCode(response)).toBe('POLICY_VIOLATION');
      expect(reason(response)).toBe('TOO_FEW_OTHER_STEWARDS');
    });

    it("lets only the fund's stewards vote", async () => {
      const setup = await createFund(app, world, { stewards: 2, approvalsRequired: 1 });
      const outsider = world.stewards[4];
      const request = await askForAid(app, setup, '1.00');
      for (const decision of ['approveTransfer', 'rejectTransfer'] as const) {
        const byMember = await vote(app, setup.donor.user.token, decision, request.id);
        expect(errorCode(byMember)).toBe('FORBIDDEN');
        const byRequester = await vote(app, setup.requester.user.token, decision, request.id);
        expect(errorCode(byRequester)).toBe('FORBIDDEN');
        const byOtherSteward = await vote(app, outsider.token, decision, request.id);
        expect(errorCode(byOtherSteward)).toBe('FORBIDDEN');
        expect(reason(byOtherSteward)).toBe('NOT_A_FUND_STEWARD');
      }
      const read = expectData(await readDisbursement(app, outsider.token, request.id));
      expect(read.disbursement).toMatchObject({ votes: [], transfer: { status: 'PENDING' } });
    });

    it('shows nothing to another community', async () => {
      const setup = await createFund(app, world, { stewards: 1, approvalsRequired: 1 });
      const request = await askForAid(app, setup, '1.00');
      const other = await createCommunity(app);
      await createCurrency(app, other);
      const theirMember = await registerUser(app, other);
      const theirAccount = await openAccount(app, theirMember.token, { currencyCode: 'HOUR' });
      for (const decision of ['approveTransfer', 'rejectTransfer'] as const) {
        expect(errorCode(await vote(app, other.steward.token, decision, request.id))).toBe(
          'NOT_FOUND',
        );
      }
      expect(errorCode(await readDisbursement(app, other.steward.token, request.id))).toBe(
        'NOT_FOUND',
      );
      expect(errorCode(await gql(app, FUND, { id: setup.fundId }, other.steward.token))).toBe(
        'NOT_FOUND',
      );
      const reach = await requestDisbursement(app, theirMember.token, {
        fundAccountId: setup.fundId,
        toAccountId: theirAccount,
        amount: '1.00',
      });
      expect(errorCode(reach)).toBe('NOT_FOUND');
      expect(await transferStatus(app, setup.stewards[0].token, request.id)).toMatchObject({
        status: 'PENDING',
      });
    });

    it('keeps plain postTransfer and voidTransfer away from disbursements', async () => {
      const setup = await createFund(app, world, { stewards: 2, approvalsRequired: 2 });
      const request = await askForAid(app, setup, '1.00');
      for (const mutation of ['postTransfer', 'voidTransfer']) {
        const response = await gql(
          app,
          `mutation($id: ID!) { ${mutation}(id: $id) { id } }`,
          { id: request.id },
          setup.stewards[0].token,
        );
        expect(errorCode(response)).toBe('POLICY_VIOLATION');
      }
      expect(await transferStatus(app, setup.stewards[0].token, request.id)).toMatchObject({
        status: 'PENDING',
      });
    });

    it('lets no steward take money out of a fund with a plain transfer or a standing order', async () => {
      const setup = await createFund(app, world, { stewards: 1, approvalsRequired: 1 });
      const steward = setup.stewards[0];
      const direct = await gql(
        app,
        'mutation($input: TransferInput!) { transfer(input: $input) { id } }',
        {
          input: {
            fromAccountId: setup.fundId,
            toAccountId: setup.requester.accountId,
            amount: '5.00',
            kind: 'PAYMENT',
            idempotencyKey: unique('bypass'),
          },
        },
        steward.token,
      );
      expect(errorCode(direct)).toBe('POLICY_VIOLATION');
      expect(direct.errors?.[0]?.extensions?.field).toBe('fromAccountId');
      const order = await gql(
        app,
        'mutation($input: CreateStandingOrderInput!) { createStandingOrder(input: $input) { id } }',
        {
          input: {
            fromAccountId: setup.fundId,
            toAccountId: setup.requester.accountId,
            amount: '5.00',
            interval: 'MONTH',
          },
        },
        steward.token,
      );
      expect(errorCode(order)).toBe('POLICY_VIOLATION');
      expect(await balances(app, steward.token, setup.fundId)).toEqual({
        balance: '40.00',
        availableBalance: '40.00',
      });
      expect((await balances(app, steward.token, setup.requester.accountId)).balance).toBe('0.00');
    });

    it('refuses to vote on a transfer that is not a disbursement', async () => {
      const setup = await createFund(app, world, { stewards: 1, approvalsRequired: 1 });
      const held = await gql<{ transfer: { id: string } }>(
        app,
        'mutation($input: TransferInput!) { transfer(input: $input) { id } }',
        {
          input: {
            fromAccountId: setup.donor.accountId,
            toAccountId: setup.requester.accountId,
            amount: '1.00',
            kind: 'EXCHANGE',
            idempotencyKey: unique('held'),
            pendingUntil: new Date(Date.now() + 3600_000).toISOString(),
          },
        },
        setup.donor.user.token,
      );
      const response = await vote(
        app,
        setup.stewards[0].token,
        'approveTransfer',
        expectData(held).transfer.id,
      );
      expect(errorCode(response)).toBe('POLICY_VIOLATION');
      expect(reason(response)).toBe('NOT_A_DISBURSEMENT');
    });
  });

  describe('asking for aid', () => {
    beforeAll(async () => {
      world = await createWorld(app);
    });

    it('lets members ask into their own accounts, and stewards name any account', async () => {
      const setup = await createFund(app, world, { stewards: 2, approvalsRequired: 1 });
      const intoSomeoneElse = await requestDisbursement(app, setup.requester.user.token, {
        fundAccountId: setup.fundId,
        toAccountId: setup.donor.accountId,
        amount: '1.00',
      });
      expect(errorCode(intoSomeoneElse)).toBe('FORBIDDEN');
      const shop = await registerUser(app, setup.community, 'SHOP');
      const shopAccount = await openAccount(app, shop.token, { currencyCode: setup.currency });
      expect(
        expectData(
          await requestDisbursement(app, shop.token, {
            fundAccountId: setup.fundId,
            toAccountId: shopAccount,
            amount: '1.00',
          }),
        ).requestDisbursement.status,
      ).toBe('PENDING');
      expect(
        expectData(
          await requestDisbursement(app, setup.stewards[1].token, {
            fundAccountId: setup.fundId,
            toAccountId: setup.donor.accountId,
            amount: '1.00',
          }),
        ).requestDisbursement.status,
      ).toBe('PENDING');
    });

    it('refuses what the fund cannot hold, bad amounts and accounts that are not funds', async () => {
      // One member may hold the whole fund here, so that only the fund's own floor refuses.
      const setup = await createFund(app, world, {
        stewards: 1,
        approvalsRequired: 1,
        limits: { memberSharePercent: 100 },
      });
      const ask = (input: { fundAccountId?: string; toAccountId?: string; amount: string }) =>
        requestDisbursement(app, setup.requester.user.token, {
          fundAccountId: setup.fundId,
          toAccountId: setup.requester.accountId,
          ...input,
        });
      expect(errorCode(await ask({ amount: '40.01' }))).toBe('INSUFFICIENT_FUNDS');
      expect(errorCode(await ask({ amount: '1.001' }))).toBe('BAD_USER_INPUT');
      expect(errorCode(await ask({ amount: '-1.00' }))).toBe('BAD_USER_INPUT');
      expect(errorCode(await ask({ amount: 'lots' }))).toBe('BAD_USER_INPUT');
      const notAFund = await ask({ fundAccountId: setup.donor.accountId, amount: '1.00' });
      expect(errorCode(notAFund)).toBe('POLICY_VIOLATION');
      expect(reason(notAFund)).toBe('NOT_A_FUND');
      expect(errorCode(await ask({ fundAccountId: randomUUID(), amount: '1.00' }))).toBe(
        'NOT_FOUND',
      );
      expect(errorCode(await ask({ toAccountId: randomUUID(), amount: '1.00' }))).toBe('NOT_FOUND');
      await createCurrency(app, setup.community, { code: 'MIN' });
      const otherCurrency = await openAccount(app, setup.requester.user.token, {
        currencyCode: 'MIN',
      });
      expect(errorCode(await ask({ toAccountId: otherCurrency, amount: '1.00' }))).toBe(
        'BAD_USER_INPUT',
      );
      // Held money counts against the fund's floor: two requests cannot promise the same money.
      expect(expectData(await ask({ amount: '30.00' })).requestDisbursement.status).toBe('PENDING');
      expect(errorCode(await ask({ amount: '10.01' }))).toBe('INSUFFICIENT_FUNDS');
      expect(await balances(app, setup.stewards[0].token, setup.fundId)).toEqual({
        balance: '40.00',
        availableBalance: '10.00',
      });
    });

    it('answers a retry with the original request, and a changed one with IDEMPOTENCY_CONFLICT', async () => {
      const setup = await createFund(app, world, { stewards: 1, approvalsRequired: 1 });
      const input = {
        fundAccountId: setup.fundId,
        toAccountId: setup.requester.accountId,
        amount: '4.00',
        idempotencyKey: unique('once'),
      };
      const first = expectData(await requestDisbursement(app, setup.requester.user.token, input));
      const retry = expectData(await requestDisbursement(app, setup.requester.user.token, input));
      expect(retry.requestDisbursement.id).toBe(first.requestDisbursement.id);
      const changed = await requestDisbursement(app, setup.requester.user.token, {
        ...input,
        amount: '5.00',
      });
      expect(errorCode(changed)).toBe('IDEMPOTENCY_CONFLICT');
      expect(await balances(app, setup.stewards[0].token, setup.fundId)).toEqual({
        balance: '40.00',
        availableBalance: '36.00',
      });
    });

    it("limits the share of a fund's money one member's open requests may hold", async () => {
      // The default: half of the fund's balance, 20.00 of 40.00.
      const setup = await createFund(app, world, { stewards: 1, approvalsRequired: 1 });
      const ask = (amount: string) =>
        requestDisbursement(app, setup.requester.user.token, {
          fundAccountId: setup.fundId,
          toAccountId: setup.requester.accountId,
          amount,
        });
      expectData(await ask('15.00'));
      const grab = await ask('6.00');
      expect(errorCode(grab)).toBe('LIMIT_EXCEEDED');
      expect(reason(grab)).toBe('REQUEST_SHARE_EXCEEDED');
      expect(grab.errors?.[0]?.message).toContain('at most 5.00 HOUR more');
      expect(grab.errors?.[0]?.extensions).toMatchObject({
        currencyCode: 'HOUR',
        limit: '20.00',
        open: '15.00',
        available: '5.00',
        amount: '6.00',
      });
      expectData(await ask('5.00'));
      // What is left stays for the others.
      const other = await addMember(app, world.community, world.currency);
      const theirs = await requestDisbursement(app, other.user.token, {
        fundAccountId: setup.fundId,
        toAccountId: other.accountId,
        amount: '15.00',
      });
      expect(expectData(theirs).requestDisbursement.status).toBe('PENDING');
    });

    it("lets a fund's opener choose its request limits", async () => {
      const setup = await createFund(app, world, {
        stewards: 1,
        approvalsRequired: 1,
        limits: { memberSharePercent: 100, maxOpenRequestsPerMember: 2 },
      });
      await askForAid(app, setup, '30.00');
      await askForAid(app, setup, '10.00');
      const third = await requestDisbursement(app, setup.requester.user.token, {
        fundAccountId: setup.fundId,
        toAccountId: setup.requester.accountId,
        amount: '0.01',
      });
      expect(reason(third)).toBe('TOO_MANY_OPEN_REQUESTS');
      const read = await gql<{
        fund: { memberSharePercent: number; maxOpenRequestsPerMember: number };
      }>(
        app,
        'query($id: ID!) { fund(accountId: $id) { memberSharePercent maxOpenRequestsPerMember } }',
        { id: setup.fundId },
        setup.requester.user.token,
      );
      expect(expectData(read).fund).toEqual({
        memberSharePercent: 100,
        maxOpenRequestsPerMember: 2,
      });
      const badShare = await openFund(app, world.community.steward.token, {
        currencyCode: world.currency,
        memberSharePercent: 0,
      });
      expect(errorCode(badShare)).toBe('BAD_USER_INPUT');
    });

    it('limits how many requests one member keeps open on a fund', async () => {
      const setup = await createFund(app, world, { stewards: 1, approvalsRequired: 1 });
      for (let index = 0; index < 10; index += 1) {
        await askForAid(app, setup, '0.10');
      }
      const eleventh = await requestDisbursement(app, setup.requester.user.token, {
        fundAccountId: setup.fundId,
        toAccountId: setup.requester.accountId,
        amount: '0.10',
      });
      expect(errorCode(eleventh)).toBe('LIMIT_EXCEEDED');
      expect(reason(eleventh)).toBe('TOO_MANY_OPEN_REQUESTS');
    });
  });

  describe('reading votes', () => {
    beforeAll(async () => {
      world = await createWorld(app, 2);
    });

    it("shows a disbursement's votes to its requester and stewards, not to other members", async () => {
      const setup = await createFund(app, world, { stewards: 2, approvalsRequired: 2 });
      const request = await askForAid(app, setup, '1.00');
      await statusAfter(app, setup.stewards[1].token, 'rejectTransfer', request.id);
      const byRequester = expectData(
        await readDisbursement(app, setup.requester.user.token, request.id),
      ).disbursement;
      expect(byRequester.votes).toEqual([
        { steward: { id: setup.stewards[1].id }, decision: 'REJECT', votedAt: expect.any(String) },
      ]);
      expect(errorCode(await readDisbursement(app, setup.donor.user.token, request.id))).toBe(
        'FORBIDDEN',
      );
      const member = await addMember(app, setup.community, setup.currency);
      expect(errorCode(await readDisbursement(app, member.user.token, request.id))).toBe(
        'FORBIDDEN',
      );
      expect(errorCode(await readDisbursement(app, setup.stewards[0].token, randomUUID()))).toBe(
        'NOT_FOUND',
      );
    });
  });

  describe('the database', () => {
    beforeAll(async () => {
      world = await createWorld(app, 2);
    });

    it('keeps votes final and refuses a vote from anyone but the fund’s other stewards', async () => {
      const setup = await createFund(app, world, { stewards: 2, approvalsRequired: 2 });
      const request = await askForAid(app, setup, '1.00');
      await statusAfter(app, setup.stewards[0].token, 'approveTransfer', request.id);
      const database = everyCommunity(app.get(DataSource));
      await expect(
        database.query(
          `UPDATE disbursement_votes SET decision = 'REJECT' WHERE community_id = $1 AND transfer_id = $2`,
          [setup.community.id, request.id],
        ),
      ).rejects.toThrow(/votes are final/);
      // The server's role may not delete votes at all; the trigger refuses even the owner.
      await expect(
        database.query(
          'DELETE FROM disbursement_votes WHERE community_id = $1 AND transfer_id = $2',
          [setup.community.id, request.id],
        ),
      ).rejects.toThrow(/permission denied/);
      const owner = await new DataSource({
        type: 'postgres',
        url: testOwnerDatabaseUrl(),
      }).initialize();
      try {
        await expect(
          owner.query(
            'DELETE FROM disbursement_votes WHERE community_id = $1 AND transfer_id = $2',
            [setup.community.id, request.id],
          ),
        ).rejects.toThrow(/votes are final/);
      } finally {
        await owner.destroy();
      }
      await expect(
        database.query(
          `INSERT INTO disbursement_votes (community_id, transfer_id, steward_id, decision, voted_at)
           VALUES ($1, $2, $3, 'APPROVE', now())`,
          [setup.community.id, request.id, setup.requester.user.id],
        ),
      ).rejects.toThrow(/may not vote/);
    });
  });
});
