import { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { createCommunity, expectData, registerUser } from '../support/factories';
import {
  createTestApp,
  everyCommunity,
  errorCode,
  gql,
  testOwnerDatabaseUrl,
} from '../support/test-app';
import {
  askForAid,
  balances,
  changeFundRule,
  createFund,
  createWorld,
  FUND_RULE_FIELDS,
  FUND_TEST_TIMEOUT_MS,
  FundRuleView,
  openFund,
  readVotes,
  reason,
  requestDisbursement,
  setFundRequestLimits,
  setFundStewards,
  statusAfter,
  transferStatus,
  verifyLedger,
  vote,
  World,
} from './fund-helpers';

/**
 * Changing who runs a fund (setFundStewards): who may, what is checked, how
 * k of the stewards in force must ask for the identical rule before it is
 * applied (see rule-change-rules.ts), what is recorded, and what becomes of
 * pending disbursements. A pending request keeps the k it was requested
 * under and is decided by the current stewards: removed stewards' votes stop
 * counting, and a request the new stewards can no longer approve is voided
 * (see disbursement-rules.ts). A fund's request limits are part of the
 * same rule and change the same way (setFundRequestLimits).
 */
const ROUNDS = 4;

jest.setTimeout(FUND_TEST_TIMEOUT_MS);

const ids = (users: Array<{ id: string }>) => users.map((user) => user.id);
const sorted = (values: string[]) => [...values].sort();

describe('changing the stewards of a fund', () => {
  let app: INestApplication;
  /** Five stewards; each test opens its own fund run by some of them. */
  let world: World;

  beforeAll(async () => {
    app = await createTestApp();
    world = await createWorld(app, 5);
  });

  afterAll(async () => {
    await app.close();
  });

  async function readFund(token: string, fundId: string): Promise<FundRuleView> {
    const response = await gql<{ fund: FundRuleView }>(
      app,
      `query($id: ID!) { fund(accountId: $id) { ${FUND_RULE_FIELDS} } }`,
      { id: fundId },
      token,
    );
    return expectData(response).fund;
  }

  it('replaces the stewards and k, and records every version with who and when', async () => {
    const setup = await createFund(app, world, { stewards: 3, approvalsRequired: 2 });
    const [first, second, third] = setup.stewards;
    const [, , , fourth, fifth] = world.stewards;
    const before = await readFund(first.token, setup.fundId);
    expect(before.version).toBe(1);
    expect(before.history).toHaveLength(1);
    expect(before.history[0]).toMatchObject({
      version: 1,
      approvalsRequired: 2,
      changedBy: { id: world.community.steward.id },
    });
    expect(sorted(ids(before.history[0].stewards))).toEqual(sorted(ids(setup.stewards)));

    // The second steward leaves; two others join; k goes up to 3 of 4. Two
    // of the three stewards in force (k = 2) ask for it, naming the
    // stewards in different orders; the second request applies it.
    const started = Date.now();
    const proposed = [first.id, third.id, fourth.id, fifth.id];
    const asked = await setFundStewards(app, second.token, {
      fundAccountId: setup.fundId,
      stewardIds: [...proposed].reverse(),
      approvalsRequired: 3,
    });
    expect(expectData(asked).setFundStewards).toMatchObject({
      applied: false,
      approvals: 1,
      approvalsRequired: 2,
      fund: { version: 1 },
    });
    const changed = await setFundStewards(app, third.token, {
      fundAccountId: setup.fundId,
      stewardIds: proposed,
      approvalsRequired: 3,
    });
    const { fund, decidedDisbursements, ...outcome } = expectData(changed).setFundStewards;
    expect(outcome).toEqual({ applied: true, approvals: 2, approvalsRequired: 2 });
    expect(decidedDisbursements).toEqual([]);
    expect(fund.proposals).toEqual([]);
    expect(fund.version).toBe(2);
    expect(fund.approvalsRequired).toBe(3);
    expect(sorted(ids(fund.stewards))).toEqual(sorted([first.id, third.id, fourth.id, fifth.id]));
    expect(fund.history.map((version) => version.version)).toEqual([1, 2]);
    expect(fund.history[1]).toMatchObject({
      approvalsRequired: 3,
      stewards: [{ id: first.id }, { id: third.id }, { id: fourth.id }, { id: fifth.id }],
      changedBy: { id: third.id },
      approvedBy: [{ id: second.id }, { id: third.id }],
    });
    expect(fund.history[0].approvedBy).toEqual([{ id: world.community.steward.id }]);
    const changedAt = new Date(fund.history[1].changedAt).getTime();
    expect(changedAt).toBeGreaterThanOrEqual(started - 1000);
    expect(changedAt).toBeLessThanOrEqual(Date.now() + 1000);

    // Everyone in the community sees the new rule; the same rule again is no new version.
    expect(await readFund(setup.requester.user.token, setup.fundId)).toMatchObject({
      version: 2,
      approvalsRequired: 3,
    });
    const again = await setFundStewards(app, fifth.token, {
      fundAccountId: setup.fundId,
      stewardIds: [fifth.id, fourth.id, third.id, first.id],
      approvalsRequired: 3,
    });
    expect(expectData(again).setFundStewards).toMatchObject({
      applied: false,
      approvals: 0,
      fund: { version: 2 },
    });

    // The one who left may no longer change it.
    const byLeaver = await setFundStewards(app, second.token, {
      fundAccountId: setup.fundId,
      stewardIds: [second.id],
      approvalsRequired: 1,
    });
    expect(errorCode(byLeaver)).toBe('FORBIDDEN');
    expect(reason(byLeaver)).toBe('NOT_A_FUND_STEWARD');
  });

  it("is refused to anyone but the fund's own stewards", async () => {
    const setup = await createFund(app, world, { stewards: 2, approvalsRequired: 1 });
    const outsider = world.stewards[4];
    const input = {
      fundAccountId: setup.fundId,
      stewardIds: [outsider.id],
      approvalsRequired: 1,
    };
    // A steward of the community who does not run this fund cannot take it over.
    const takeover = await setFundStewards(app, outsider.token, input);
    expect(errorCode(takeover)).toBe('FORBIDDEN');
    expect(reason(takeover)).toBe('NOT_A_FUND_STEWARD');
    expect(errorCode(await setFundStewards(app, setup.requester.user.token, input))).toBe(
      'FORBIDDEN',
    );
    const other = await createCommunity(app);
    expect(errorCode(await setFundStewards(app, other.steward.token, input))).toBe('NOT_FOUND');
    expect(
      errorCode(
        await setFundStewards(app, setup.stewards[0].token, {
          ...input,
          fundAccountId: randomUUID(),
        }),
      ),
    ).toBe('NOT_FOUND');
    const notAFund = await setFundStewards(app, setup.stewards[0].token, {
      ...input,
      fundAccountId: setup.requester.accountId,
    });
    expect(errorCode(notAFund)).toBe('POLICY_VIOLATION');
    expect(reason(notAFund)).toBe('NOT_A_FUND');
    expect(await readFund(setup.stewards[0].token, setup.fundId)).toMatchObject({ version: 1 });
  });

  it('checks the new rule like a new fund’s, and changes nothing when it is refused', async () => {
    const setup = await createFund(app, world, { stewards: 2, approvalsRequired: 1 });
    const [first, second] = setup.stewards;
    const change = (stewardIds: string[], approvalsRequired: number) =>
      setFundStewards(app, first.token, {
        fundAccountId: setup.fundId,
        stewardIds,
        approvalsRequired,
      });
    const member = await registerUser(app, world.community);
    const cases: Array<[string[], number, string]> = [
      [[], 1, 'BAD_USER_INPUT'],
      [[first.id, first.id], 1, 'BAD_USER_INPUT'],
      [[first.id, second.id], 3, 'BAD_USER_INPUT'],
      [[first.id, second.id], 0, 'BAD_USER_INPUT'],
      [['not-a-uuid'], 1, 'BAD_USER_INPUT'],
      [Array.from({ length: 21 }, () => randomUUID()), 1, 'BAD_USER_INPUT'],
      [[first.id, member.id], 1, 'BAD_USER_INPUT'],
      [[first.id, randomUUID()], 1, 'NOT_FOUND'],
    ];
    for (const [stewardIds, approvalsRequired, expected] of cases) {
      const response = await change(stewardIds, approvalsRequired);
      expect({ stewardIds, approvalsRequired, code: errorCode(response) }).toEqual({
        stewardIds,
        approvalsRequired,
        code: expected,
      });
    }
    // A steward of another community is no user of this one.
    const other = await createCommunity(app);
    expect(errorCode(await change([first.id, other.steward.id], 1))).toBe('NOT_FOUND');
    const fund = await readFund(first.token, setup.fundId);
    expect(fund).toMatchObject({ version: 1, approvalsRequired: 1 });
    expect(sorted(ids(fund.stewards))).toEqual(sorted([first.id, second.id]));
  });

  it('takes the vote from a removed steward, gives it to a new one, and keeps each request’s k', async () => {
    // n = 3, k = 3: every steward must approve.
    const setup = await createFund(app, world, { stewards: 3, approvalsRequired: 3 });
    const [first, second, third] = setup.stewards;
    const fourth = world.stewards[3];
    const request = await askForAid(app, setup, '5.00');
    expect(await statusAfter(app, first.token, 'approveTransfer', request.id)).toBe('PENDING');
    expect(await statusAfter(app, second.token, 'approveTransfer', request.id)).toBe('PENDING');

    // The second steward leaves and the fourth joins; new requests need only
    // 2 of 3. Under k = 3 all three stewards ask for it.
    const changed = await changeFundRule(app, [first, second, third], {
      fundAccountId: setup.fundId,
      stewardIds: [first.id, third.id, fourth.id],
      approvalsRequired: 2,
    });
    expect(expectData(changed).setFundStewards.decidedDisbursements).toEqual([]);

    // The pending request keeps k = 3; the leaver's approval no longer counts.
    const read = expectData(await readVotes(app, first.token, request.id)).disbursement;
    expect(read).toMatchObject({
      transfer: { status: 'PENDING' },
      approvalsRequired: 3,
      rejectionsRequired: 1,
      approvals: 1,
      rejections: 0,
    });
    expect(sorted(ids(read.voters))).toEqual(sorted([first.id, third.id, fourth.id]));
    expect(read.votes).toEqual([
      expect.objectContaining({ steward: { id: first.id }, counted: true }),
      expect.objectContaining({ steward: { id: second.id }, counted: false }),
    ]);
    const byLeaver = await vote(app, second.token, 'rejectTransfer', request.id);
    expect(reason(byLeaver)).toBe('NOT_A_FUND_STEWARD');
    expect(await statusAfter(app, third.token, 'approveTransfer', request.id)).toBe('PENDING');
    expect(await statusAfter(app, fourth.token, 'approveTransfer', request.id)).toBe('POSTED');

    // A request made after the change needs the new k: two approvals.
    const later = await askForAid(app, setup, '4.00');
    expect(await statusAfter(app, third.token, 'approveTransfer', later.id)).toBe('PENDING');
    expect(await statusAfter(app, fourth.token, 'approveTransfer', later.id)).toBe('POSTED');
    expect(await balances(app, first.token, setup.fundId)).toEqual({
      balance: '31.00',
      availableBalance: '31.00',
    });
  });

  it('voids, and releases, a pending request the new stewards can no longer approve', async () => {
    // n = 5, k = 3: three rejections void a member's request.
    // One member asks for more than half the fund here: allowed for this fund.
    const setup = await createFund(app, world, {
      stewards: 5,
      approvalsRequired: 3,
      limits: { memberSharePercent: 100 },
    });
    const [first, second, third, fourth, fifth] = setup.stewards;
    const rejected = await askForAid(app, setup, '6.00');
    const tooBig = await askForAid(app, setup, '7.00');
    const untouched = await askForAid(app, setup, '8.00');
    for (const steward of [fourth, fifth]) {
      expect(await statusAfter(app, steward.token, 'rejectTransfer', rejected.id)).toBe('PENDING');
    }
    expect(await balances(app, first.token, setup.fundId)).toEqual({
      balance: '40.00',
      availableBalance: '19.00',
    });

    // The third steward leaves: four voters left, so two rejections void a
    // request with k = 3. Three stewards (k = 3) ask for it.
    const changed = await changeFundRule(app, [first, second, fourth], {
      fundAccountId: setup.fundId,
      stewardIds: [first.id, second.id, fourth.id, fifth.id],
      approvalsRequired: 3,
    });
    expect(expectData(changed).setFundStewards.decidedDisbursements).toEqual([
      { id: rejected.id, status: 'VOIDED' },
    ]);
    expect(await transferStatus(app, first.token, untouched.id)).toMatchObject({
      status: 'PENDING',
    });

    // Then only two stewards remain: nobody can give tooBig and untouched their 3 approvals.
    const shrunk = await changeFundRule(app, [second, first, fourth], {
      fundAccountId: setup.fundId,
      stewardIds: [first.id, second.id],
      approvalsRequired: 2,
    });
    const decided = expectData(shrunk).setFundStewards.decidedDisbursements;
    expect(sorted(decided.map((transfer) => transfer.id))).toEqual(
      sorted([tooBig.id, untouched.id]),
    );
    expect(decided.every((transfer) => transfer.status === 'VOIDED')).toBe(true);
    expect(reason(await vote(app, third.token, 'approveTransfer', untouched.id))).toBe(
      'NOT_A_FUND_STEWARD',
    );
    expect(reason(await vote(app, first.token, 'approveTransfer', untouched.id))).toBe(
      'DISBURSEMENT_DECIDED',
    );
    // Nothing left the fund; every hold is released.
    expect(await balances(app, first.token, setup.fundId)).toEqual({
      balance: '40.00',
      availableBalance: '40.00',
    });
    expect(await verifyLedger(app, first.token, setup.currency)).toEqual({
      ok: true,
      problems: [],
    });
  });

  it('counts a returning steward’s earlier approval again, and posts when that reaches k', async () => {
    const setup = await createFund(app, world, { stewards: 3, approvalsRequired: 2 });
    const [first, second, third] = setup.stewards;
    const request = await askForAid(app, setup, '3.00');
    expect(await statusAfter(app, second.token, 'approveTransfer', request.id)).toBe('PENDING');
    expectData(
      await changeFundRule(app, [first, third], {
        fundAccountId: setup.fundId,
        stewardIds: [first.id, third.id],
        approvalsRequired: 2,
      }),
    );
    expect(await statusAfter(app, third.token, 'approveTransfer', request.id)).toBe('PENDING');
    const back = await changeFundRule(app, [third, first], {
      fundAccountId: setup.fundId,
      stewardIds: [first.id, second.id, third.id],
      approvalsRequired: 2,
    });
    expect(expectData(back).setFundStewards.decidedDisbursements).toEqual([
      { id: request.id, status: 'POSTED' },
    ]);
    expect(await balances(app, first.token, setup.requester.accountId)).toEqual({
      balance: '3.00',
      availableBalance: '3.00',
    });
  });

  it('serializes a vote and a change on the same request: it is settled once, by the rule of whichever came first', async () => {
    // n = 3, k = 2, and the first steward has approved. The second steward's
    // approval would post the request; the change at the same time (the
    // first steward's request, the second of k = 2 after the third's) leaves
    // the first steward alone, one voter, too few for the request's k = 2,
    // which voids it. Exactly one of the two can happen.
    const setup = await createFund(app, world, { stewards: 3, approvalsRequired: 2 });
    const [first, second, third] = setup.stewards;
    const outcomes = new Set<string>();
    let paidOut = 0;
    for (let round = 0; round < ROUNDS * 2; round += 1) {
      const request = await askForAid(app, setup, '1.00');
      expect(await statusAfter(app, first.token, 'approveTransfer', request.id)).toBe('PENDING');
      const waiting = await setFundStewards(app, third.token, {
        fundAccountId: setup.fundId,
        stewardIds: [first.id],
        approvalsRequired: 1,
      });
      expect(expectData(waiting).setFundStewards).toMatchObject({ applied: false, approvals: 1 });
      // Each goes out first in turn, the vote a few milliseconds late on
      // odd rounds (a change takes longer to reach the request's lock), so
      // that both orders get their chance.
      const castVote = () => vote(app, second.token, 'approveTransfer', request.id);
      const makeChange = () =>
        setFundStewards(app, first.token, {
          fundAccountId: setup.fundId,
          stewardIds: [first.id],
          approvalsRequired: 1,
        });
      let approval: Awaited<ReturnType<typeof castVote>>;
      let change: Awaited<ReturnType<typeof makeChange>>;
      if (round % 2 === 0) {
        const voting = castVote();
        [approval, change] = await Promise.all([voting, makeChange()]);
      } else {
        const changing = makeChange();
        await sleep(5 * round);
        [change, approval] = await Promise.all([changing, castVote()]);
      }
      expect(expectData(change).setFundStewards.applied).toBe(true);
      const decided = expectData(change).setFundStewards.decidedDisbursements;
      const final = await transferStatus(app, first.token, request.id);
      if (approval.errors === undefined) {
        // The vote came first and posted; the change found nothing pending.
        expect(approval.data!.approveTransfer.status).toBe('POSTED');
        expect(decided).toEqual([]);
        expect(final.status).toBe('POSTED');
        expect(final.entries).toHaveLength(2);
        paidOut += 1;
      } else {
        // The change came first and voided; the removed steward's vote was refused.
        expect(reason(approval)).toBe('NOT_A_FUND_STEWARD');
        expect(decided).toEqual([{ id: request.id, status: 'VOIDED' }]);
        expect(final.status).toBe('VOIDED');
      }
      outcomes.add(final.status);
      const read = expectData(await readVotes(app, first.token, request.id)).disbursement;
      expect(read.votes).toHaveLength(approval.errors === undefined ? 2 : 1);
      // Back to the three stewards for the next round: k = 1, the first steward alone decides.
      expectData(
        await setFundStewards(app, first.token, {
          fundAccountId: setup.fundId,
          stewardIds: [first.id, second.id, third.id],
          approvalsRequired: 2,
        }),
      );
    }
    const expected = (40 - paidOut).toFixed(2);
    expect(await balances(app, first.token, setup.fundId)).toEqual({
      balance: expected,
      availableBalance: expected,
    });
    expect(await balances(app, first.token, setup.requester.accountId)).toEqual({
      balance: paidOut.toFixed(2),
      availableBalance: paidOut.toFixed(2),
    });
    expect(await verifyLedger(app, first.token, setup.currency)).toEqual({
      ok: true,
      problems: [],
    });
    // Which came first is up to the database; both orders are fine and neither pays twice.
    expect(outcomes.size).toBeGreaterThanOrEqual(1);
  });

  it('lets concurrent changes of one fund queue, each recorded once', async () => {
    // k = 1 and every change keeps k = 1, so that each steward's request is a change on its own.
    const setup = await createFund(app, world, { stewards: 4, approvalsRequired: 1 });
    const [first, second, third, fourth] = setup.stewards;
    const request = await askForAid(app, setup, '2.00');
    const changes = await Promise.all(
      [
        { by: first, stewardIds: [first.id, second.id, third.id], approvalsRequired: 1 },
        { by: second, stewardIds: [first.id, second.id, fourth.id], approvalsRequired: 1 },
        { by: third, stewardIds: [second.id, third.id, fourth.id], approvalsRequired: 1 },
      ].map(({ by, ...input }) =>
        setFundStewards(app, by.token, { fundAccountId: setup.fundId, ...input }),
      ),
    );
    // Each change is made by a steward of the rule it finds, so a later one may be refused.
    const accepted = changes.filter((response) => response.errors === undefined);
    for (const response of accepted) {
      expect(expectData(response).setFundStewards).toMatchObject({ applied: true, approvals: 1 });
    }
    for (const refused of changes.filter((response) => response.errors !== undefined)) {
      expect(reason(refused)).toBe('NOT_A_FUND_STEWARD');
    }
    const fund = await readFund(first.token, setup.fundId);
    expect(fund.version).toBe(1 + accepted.length);
    expect(fund.history.map((version) => version.version)).toEqual(
      Array.from({ length: 1 + accepted.length }, (_, index) => index + 1),
    );
    expect(sorted(ids(fund.stewards))).toEqual(
      sorted(ids(fund.history[fund.history.length - 1].stewards)),
    );
    expect(await transferStatus(app, first.token, request.id)).toMatchObject({
      status: 'PENDING',
    });
  });

  it('does not let one steward change a k = 2 rule alone, and shows the proposal to the community', async () => {
    const setup = await createFund(app, world, { stewards: 3, approvalsRequired: 2 });
    const [first, second] = setup.stewards;
    const friend = world.stewards[3];
    // The first steward names themselves and a friend with k = 1: a fund they could then empty alone.
    const takeover = {
      fundAccountId: setup.fundId,
      stewardIds: [first.id, friend.id],
      approvalsRequired: 1,
    };
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const alone = expectData(await setFundStewards(app, first.token, takeover)).setFundStewards;
      expect(alone).toMatchObject({
        applied: false,
        approvals: 1,
        approvalsRequired: 2,
        decidedDisbursements: [],
      });
    }
    // Nothing changed: same version, stewards and k; the open proposal is there for all to see.
    const seen = await readFund(setup.requester.user.token, setup.fundId);
    expect(seen).toMatchObject({ version: 1, approvalsRequired: 2 });
    expect(seen.history).toHaveLength(1);
    expect(sorted(ids(seen.stewards))).toEqual(sorted(ids(setup.stewards)));
    expect(seen.proposals).toEqual([
      {
        baseVersion: 1,
        approvalsRequired: 1,
        stewards: sorted([first.id, friend.id]).map((id) => ({ id })),
        approvals: [
          {
            steward: { id: first.id },
            approvedAt: expect.any(String),
            expiresAt: expect.any(String),
          },
        ],
      },
    ]);
    const [approval] = seen.proposals[0].approvals;
    // It lapses after the disbursement expiry (two weeks here) unless a second steward joins it.
    expect(new Date(approval.expiresAt).getTime()).toBeGreaterThan(Date.now() + 24 * 3600_000);
    // The fund's money still needs two stewards.
    const request = await askForAid(app, setup, '2.00');
    expect(reason(await vote(app, friend.token, 'approveTransfer', request.id))).toBe(
      'NOT_A_FUND_STEWARD',
    );
    expect(await statusAfter(app, first.token, 'approveTransfer', request.id)).toBe('PENDING');
    expect(await statusAfter(app, second.token, 'approveTransfer', request.id)).toBe('POSTED');
  });

  it('applies the rule when the k-th steward asks for the identical rule, in any order', async () => {
    const setup = await createFund(app, world, { stewards: 3, approvalsRequired: 2 });
    const [first, second] = setup.stewards;
    const friend = world.stewards[3];
    expectData(
      await setFundStewards(app, first.token, {
        fundAccountId: setup.fundId,
        stewardIds: [first.id, friend.id],
        approvalsRequired: 1,
      }),
    );
    const joined = await setFundStewards(app, second.token, {
      fundAccountId: setup.fundId,
      stewardIds: [friend.id, first.id],
      approvalsRequired: 1,
    });
    const { fund, ...outcome } = expectData(joined).setFundStewards;
    expect(outcome).toEqual({
      applied: true,
      approvals: 2,
      approvalsRequired: 2,
      decidedDisbursements: [],
    });
    expect(fund).toMatchObject({ version: 2, approvalsRequired: 1, proposals: [] });
    expect(sorted(ids(fund.stewards))).toEqual(sorted([first.id, friend.id]));
    expect(fund.history[1]).toMatchObject({
      version: 2,
      changedBy: { id: second.id },
      approvedBy: [{ id: first.id }, { id: second.id }],
      stewards: [{ id: friend.id }, { id: first.id }],
    });
    // With k = 1 one steward decides alone, a change of the rule included.
    const alone = await setFundStewards(app, friend.token, {
      fundAccountId: setup.fundId,
      stewardIds: [friend.id],
      approvalsRequired: 1,
    });
    expect(expectData(alone).setFundStewards).toMatchObject({
      applied: true,
      approvals: 1,
      approvalsRequired: 1,
      fund: { version: 3 },
    });
  });

  it('never adds up approvals of different rules; a steward replaces or withdraws their own', async () => {
    const setup = await createFund(app, world, { stewards: 3, approvalsRequired: 2 });
    const [first, second, third] = setup.stewards;
    const [, , , fourth, fifth] = world.stewards;
    const ask = (steward: { token: string }, stewardIds: string[], approvalsRequired: number) =>
      setFundStewards(app, steward.token, {
        fundAccountId: setup.fundId,
        stewardIds,
        approvalsRequired,
      });
    const waits = async (response: Awaited<ReturnType<typeof ask>>, approvals: number) =>
      expect(expectData(response).setFundStewards).toMatchObject({
        applied: false,
        approvals,
        approvalsRequired: 2,
        fund: { version: 1 },
      });

    // The same stewards with another k, and other stewards with the same k, are other rules.
    await waits(await ask(first, [first.id, fourth.id], 1), 1);
    await waits(await ask(second, [first.id, fourth.id], 2), 1);
    await waits(await ask(third, [first.id, fifth.id], 1), 1);
    let fund = await readFund(first.token, setup.fundId);
    expect(fund).toMatchObject({ version: 1, approvalsRequired: 2 });
    expect(
      fund.proposals.map((proposal) => ({
        k: proposal.approvalsRequired,
        stewards: ids(proposal.stewards),
        by: proposal.approvals.map((approval) => approval.steward.id),
      })),
    ).toEqual([
      { k: 1, stewards: sorted([first.id, fourth.id]), by: [first.id] },
      { k: 2, stewards: sorted([first.id, fourth.id]), by: [second.id] },
      { k: 1, stewards: sorted([first.id, fifth.id]), by: [third.id] },
    ]);

    // The first steward changes their mind: their approval of [first, fourth] is replaced...
    await waits(await ask(first, [second.id, third.id], 2), 1);
    // ...so the second steward, now asking for it, is alone with it.
    await waits(await ask(second, [first.id, fourth.id], 1), 1);
    // Naming the rule in force withdraws the third steward's approval.
    const withdrawn = await ask(third, [first.id, second.id, third.id], 2);
    expect(expectData(withdrawn).setFundStewards).toMatchObject({ applied: false, approvals: 0 });
    fund = await readFund(first.token, setup.fundId);
    expect(fund.version).toBe(1);
    expect(
      fund.proposals.map((proposal) => proposal.approvals.map((approval) => approval.steward.id)),
    ).toEqual([[first.id], [second.id]]);
    // The third steward joins the first's latest rule: that one is applied.
    const applied = await ask(third, [third.id, second.id], 2);
    expect(expectData(applied).setFundStewards).toMatchObject({
      applied: true,
      approvals: 2,
      fund: { version: 2, proposals: [] },
    });
  });

  it('does not count an approval given against an older version of the rule', async () => {
    const setup = await createFund(app, world, { stewards: 3, approvalsRequired: 2 });
    const [first, second, third] = setup.stewards;
    const fourth = world.stewards[3];
    const wanted = {
      fundAccountId: setup.fundId,
      stewardIds: [first.id, second.id, fourth.id],
      approvalsRequired: 2,
    };
    expect(
      expectData(await setFundStewards(app, first.token, wanted)).setFundStewards,
    ).toMatchObject({ applied: false, approvals: 1 });
    // Meanwhile the second and third stewards add the fourth: version 2, still k = 2.
    await changeFundRule(app, [second, third], {
      fundAccountId: setup.fundId,
      stewardIds: [first.id, second.id, third.id, fourth.id],
      approvalsRequired: 2,
    });
    expect((await readFund(first.token, setup.fundId)).proposals).toEqual([]);
    // The first steward's approval was of version 1: the second steward's alone is 1 of 2.
    const late = await setFundStewards(app, second.token, wanted);
    expect(expectData(late).setFundStewards).toMatchObject({
      applied: false,
      approvals: 1,
      approvalsRequired: 2,
      fund: { version: 2 },
    });
    const proposals = (await readFund(first.token, setup.fundId)).proposals;
    expect(proposals).toHaveLength(1);
    expect(proposals[0]).toMatchObject({
      baseVersion: 2,
      approvals: [{ steward: { id: second.id } }],
    });
    // Asked for again against version 2, it is applied.
    const again = await setFundStewards(app, first.token, wanted);
    expect(expectData(again).setFundStewards).toMatchObject({
      applied: true,
      approvals: 2,
      fund: { version: 3, approvalsRequired: 2 },
    });
    expect(sorted(ids(expectData(again).setFundStewards.fund.stewards))).toEqual(
      sorted(wanted.stewardIds),
    );
  });

  it('applies a rule exactly once when stewards approve it at the same moment', async () => {
    // n = 3, k = 2; the rule goes back and forth between adding and removing a fourth steward.
    const setup = await createFund(app, world, { stewards: 3, approvalsRequired: 2 });
    const [first, second, third] = setup.stewards;
    const fourth = world.stewards[3];
    const request = await askForAid(app, setup, '2.00');
    for (let round = 0; round < ROUNDS * 2; round += 1) {
      const input = {
        fundAccountId: setup.fundId,
        stewardIds:
          round % 2 === 0
            ? [first.id, second.id, third.id, fourth.id]
            : [first.id, second.id, third.id],
        approvalsRequired: 2,
      };
      // On odd rounds the first steward has already asked, so the first of
      // the two racing requests applies it and the other finds it in force;
      // on even rounds the first of them waits and the other applies it.
      const earlier = round % 2 === 1;
      if (earlier) {
        expect(
          expectData(await setFundStewards(app, first.token, input)).setFundStewards.applied,
        ).toBe(false);
      }
      const results = (
        await Promise.all([
          setFundStewards(app, second.token, input),
          setFundStewards(app, third.token, input),
        ])
      ).map((response) => expectData(response).setFundStewards);
      const applied = results.filter((result) => result.applied);
      expect(applied).toHaveLength(1);
      const other = results.find((result) => !result.applied)!;
      expect(other.approvals).toBe(earlier ? 0 : 1);
      expect(applied[0].approvals).toBe(2);

      const fund = await readFund(first.token, setup.fundId);
      expect(fund.version).toBe(round + 2);
      expect(fund.history.map((version) => version.version)).toEqual(
        Array.from({ length: round + 2 }, (_, index) => index + 1),
      );
      expect(fund.history[round + 1].approvedBy).toHaveLength(2);
      expect(sorted(ids(fund.stewards))).toEqual(sorted(input.stewardIds));
      expect(fund.proposals).toEqual([]);
    }
    expect(await transferStatus(app, first.token, request.id)).toMatchObject({ status: 'PENDING' });
  });

  it('refuses, in the database too, an approval by anyone but a current steward or of an old version', async () => {
    const setup = await createFund(app, world, { stewards: 2, approvalsRequired: 2 });
    const outsider = world.stewards[4];
    const database = everyCommunity(app.get(DataSource));
    const insert = (stewardId: string, baseVersion: number) =>
      database.query(
        `INSERT INTO fund_rule_proposals (community_id, account_id, steward_id, base_version,
           approvals_required, steward_ids, member_share_percent, max_open_requests,
           approved_at, expires_at)
         VALUES ($1, $2, $3, $4, 1, ARRAY[$3]::uuid[], 50, 10, now(), now() + interval '1 hour')`,
        [setup.community.id, setup.fundId, stewardId, baseVersion],
      );
    await expect(insert(outsider.id, 1)).rejects.toThrow(/may not approve/);
    await expect(insert(setup.stewards[0].id, 0)).rejects.toThrow(/may not approve/);
    expect((await readFund(setup.stewards[0].token, setup.fundId)).proposals).toEqual([]);
  });

  it('keeps the history of a fund’s rule in the database, append-only', async () => {
    const setup = await createFund(app, world, { stewards: 2, approvalsRequired: 1 });
    // As the tables' owner: the server's own role may not even delete.
    const database = await new DataSource({
      type: 'postgres',
      url: testOwnerDatabaseUrl(),
    }).initialize();
    try {
      await expect(
        database.query(
          'UPDATE fund_rule_versions SET approvals_required = 2 WHERE community_id = $1 AND account_id = $2',
          [setup.community.id, setup.fundId],
        ),
      ).rejects.toThrow(/history/);
      await expect(
        database.query(
          'DELETE FROM fund_rule_versions WHERE community_id = $1 AND account_id = $2',
          [setup.community.id, setup.fundId],
        ),
      ).rejects.toThrow(/history/);
    } finally {
      await database.destroy();
    }
    // A fund opened with every steward by default gets its version 1 too.
    const opened = await openFund(app, world.community.steward.token, {
      currencyCode: world.currency,
    });
    const fund = await readFund(world.community.steward.token, expectData(opened).openAccount.id);
    expect(fund.history).toHaveLength(1);
    expect(sorted(ids(fund.history[0].stewards))).toEqual(sorted(ids(world.stewards)));
  });

  describe('its request limits', () => {
    const LIMITS_FIELDS = `version memberSharePercent maxOpenRequestsPerMember stewards { id }
      history { version memberSharePercent maxOpenRequestsPerMember approvalsRequired approvedBy { id } }
      proposals { memberSharePercent maxOpenRequestsPerMember approvalsRequired approvals { steward { id } } }`;
    interface LimitsView {
      version: number;
      memberSharePercent: number;
      maxOpenRequestsPerMember: number;
      stewards: Array<{ id: string }>;
      history: Array<{
        version: number;
        memberSharePercent: number;
        maxOpenRequestsPerMember: number;
        approvalsRequired: number;
        approvedBy: Array<{ id: string }>;
      }>;
      proposals: Array<{
        memberSharePercent: number;
        maxOpenRequestsPerMember: number;
        approvalsRequired: number;
        approvals: Array<{ steward: { id: string } }>;
      }>;
    }
    const readLimits = async (token: string, fundId: string): Promise<LimitsView> =>
      expectData(
        await gql<{ fund: LimitsView }>(
          app,
          `query($id: ID!) { fund(accountId: $id) { ${LIMITS_FIELDS} } }`,
          { id: fundId },
          token,
        ),
      ).fund;

    it('change once k stewards ask, are recorded as a version, and hold for the next request', async () => {
      // Defaults: half of the 40.00 (20.00) and ten open requests per member.
      const setup = await createFund(app, world, { stewards: 2, approvalsRequired: 2 });
      const [first, second] = setup.stewards;
      const ask = (amount: string) =>
        requestDisbursement(app, setup.requester.user.token, {
          fundAccountId: setup.fundId,
          toAccountId: setup.requester.accountId,
          amount,
        });
      const held = expectData(await ask('15.00')).requestDisbursement;
      const wanted = {
        fundAccountId: setup.fundId,
        memberSharePercent: 100,
        maxOpenRequestsPerMember: 2,
      };

      const waiting = expectData(await setFundRequestLimits(app, first.token, wanted));
      expect(waiting.setFundRequestLimits).toMatchObject({
        applied: false,
        approvals: 1,
        approvalsRequired: 2,
        fund: { version: 1, memberSharePercent: 50, maxOpenRequestsPerMember: 10 },
      });
      expect(waiting.setFundRequestLimits.fund.proposals).toEqual([
        {
          memberSharePercent: 100,
          maxOpenRequestsPerMember: 2,
          approvalsRequired: 2,
          approvals: [{ steward: { id: first.id } }],
        },
      ]);
      // One steward's word is not the rule yet: the old share still holds.
      expect(reason(await ask('10.00'))).toBe('REQUEST_SHARE_EXCEEDED');

      const applied = expectData(await setFundRequestLimits(app, second.token, wanted));
      expect(applied.setFundRequestLimits).toMatchObject({
        applied: true,
        approvals: 2,
        approvalsRequired: 2,
      });
      const fund = await readLimits(setup.requester.user.token, setup.fundId);
      expect(fund).toMatchObject({
        version: 2,
        memberSharePercent: 100,
        maxOpenRequestsPerMember: 2,
        proposals: [],
      });
      expect(sorted(ids(fund.stewards))).toEqual(sorted([first.id, second.id]));
      expect(fund.history).toEqual([
        {
          version: 1,
          memberSharePercent: 50,
          maxOpenRequestsPerMember: 10,
          approvalsRequired: 2,
          approvedBy: [{ id: world.community.steward.id }],
        },
        {
          version: 2,
          memberSharePercent: 100,
          maxOpenRequestsPerMember: 2,
          approvalsRequired: 2,
          approvedBy: [{ id: first.id }, { id: second.id }],
        },
      ]);

      // The next request meets the new limits: a larger share, but two open at most.
      expect(expectData(await ask('10.00')).requestDisbursement.status).toBe('PENDING');
      const third = await ask('1.00');
      expect(errorCode(third)).toBe('LIMIT_EXCEEDED');
      expect(reason(third)).toBe('TOO_MANY_OPEN_REQUESTS');
      // The pending request was not re-decided.
      expect(await transferStatus(app, first.token, held.id)).toMatchObject({ status: 'PENDING' });
    });

    it('apply at once with k = 1, and asking for the limits in force changes nothing', async () => {
      const setup = await createFund(app, world, { stewards: 2, approvalsRequired: 1 });
      const steward = setup.stewards[1];
      const inForce = {
        fundAccountId: setup.fundId,
        memberSharePercent: 50,
        maxOpenRequestsPerMember: 10,
      };
      const same = expectData(await setFundRequestLimits(app, steward.token, inForce));
      expect(same.setFundRequestLimits).toMatchObject({
        applied: false,
        approvals: 0,
        fund: { version: 1 },
      });
      const lowered = expectData(
        await setFundRequestLimits(app, steward.token, { ...inForce, memberSharePercent: 10 }),
      );
      expect(lowered.setFundRequestLimits).toMatchObject({
        applied: true,
        approvals: 1,
        fund: { version: 2, memberSharePercent: 10, maxOpenRequestsPerMember: 10 },
      });
      // 10% of 40.00 is 4.00.
      const grab = await requestDisbursement(app, setup.requester.user.token, {
        fundAccountId: setup.fundId,
        toAccountId: setup.requester.accountId,
        amount: '4.01',
      });
      expect(reason(grab)).toBe('REQUEST_SHARE_EXCEEDED');
      expect(grab.errors?.[0]?.extensions).toMatchObject({ limit: '4.00' });
    });

    it("are refused to anyone but the fund's own stewards, and out of bounds", async () => {
      const setup = await createFund(app, world, { stewards: 2, approvalsRequired: 1 });
      const input = {
        fundAccountId: setup.fundId,
        memberSharePercent: 100,
        maxOpenRequestsPerMember: 50,
      };
      const member = await setFundRequestLimits(app, setup.requester.user.token, input);
      expect(errorCode(member)).toBe('FORBIDDEN');
      const outsider = await setFundRequestLimits(app, world.stewards[4].token, input);
      expect(errorCode(outsider)).toBe('FORBIDDEN');
      expect(reason(outsider)).toBe('NOT_A_FUND_STEWARD');
      const steward = setup.stewards[0].token;
      const notAFund = await setFundRequestLimits(app, steward, {
        ...input,
        fundAccountId: setup.requester.accountId,
      });
      expect(errorCode(notAFund)).toBe('POLICY_VIOLATION');
      expect(reason(notAFund)).toBe('NOT_A_FUND');
      expect(
        errorCode(
          await setFundRequestLimits(app, steward, { ...input, fundAccountId: randomUUID() }),
        ),
      ).toBe('NOT_FOUND');
      for (const bad of [
        { memberSharePercent: 0 },
        { memberSharePercent: 101 },
        { memberSharePercent: -5 },
        { maxOpenRequestsPerMember: 0 },
        { maxOpenRequestsPerMember: 101 },
        { maxOpenRequestsPerMember: 2_000_000 },
      ]) {
        const refused = await setFundRequestLimits(app, steward, { ...input, ...bad });
        expect({ bad, code: errorCode(refused) }).toEqual({ bad, code: 'BAD_USER_INPUT' });
      }
      expect(await readLimits(steward, setup.fundId)).toMatchObject({
        version: 1,
        memberSharePercent: 50,
        maxOpenRequestsPerMember: 10,
        proposals: [],
      });
    });

    it('are one rule with the stewards: asking for limits replaces the same steward’s other approval', async () => {
      const setup = await createFund(app, world, { stewards: 3, approvalsRequired: 2 });
      const [first] = setup.stewards;
      await setFundStewards(app, first.token, {
        fundAccountId: setup.fundId,
        stewardIds: ids(setup.stewards.slice(0, 2)),
        approvalsRequired: 1,
      });
      expectData(
        await setFundRequestLimits(app, first.token, {
          fundAccountId: setup.fundId,
          memberSharePercent: 80,
          maxOpenRequestsPerMember: 3,
        }),
      );
      const fund = await readLimits(first.token, setup.fundId);
      expect(fund.proposals).toEqual([
        {
          memberSharePercent: 80,
          maxOpenRequestsPerMember: 3,
          approvalsRequired: 2,
          approvals: [{ steward: { id: first.id } }],
        },
      ]);
    });
  });
});
