import { INestApplication } from '@nestjs/common';
import { expectData } from '../support/factories';
import { createTestApp, errorCode } from '../support/test-app';
import {
  askForAid,
  balances,
  createFund,
  createWorld,
  FUND_TEST_TIMEOUT_MS,
  Decision,
  readDisbursement,
  reason,
  requestDisbursement,
  transferStatus,
  verifyLedger,
  vote,
  World,
} from './fund-helpers';

/**
 * Concurrent votes on one disbursement: whatever order the database grants
 * them the pending transfer's lock in, it is posted or voided exactly once,
 * every vote before that is counted, and every vote after it is refused.
 * Concurrent requests by one member: the fund's request limits let exactly
 * as many through as they allow, however the requests interleave.
 */
const ROUNDS = 4;
/** Requests one member fires at a fund at once. */
const BURST = 20;

jest.setTimeout(FUND_TEST_TIMEOUT_MS);

describe('concurrent votes on a disbursement', () => {
  let app: INestApplication;
  let world: World;

  beforeAll(async () => {
    app = await createTestApp();
    world = await createWorld(app);
  });

  afterAll(async () => {
    await app.close();
  });

  it('k stewards approving at once post exactly once', async () => {
    const setup = await createFund(app, world, { stewards: 4, approvalsRequired: 3 });
    const [first, second, third] = setup.stewards;
    for (let round = 0; round < ROUNDS; round += 1) {
      const request = await askForAid(app, setup, '2.50');
      const results = await Promise.all(
        [first, second, third].map((steward) =>
          vote(app, steward.token, 'approveTransfer', request.id),
        ),
      );
      const statuses = results.map((result) => expectData(result).approveTransfer.status);
      expect(statuses.filter((status) => status === 'POSTED')).toHaveLength(1);
      expect(statuses.filter((status) => status === 'PENDING')).toHaveLength(2);
      const posted = await transferStatus(app, first.token, request.id);
      expect(posted.status).toBe('POSTED');
      expect(posted.entries).toHaveLength(2);
      const read = expectData(await readDisbursement(app, first.token, request.id)).disbursement;
      expect(read).toMatchObject({ approvals: 3, rejections: 0 });
    }
    // 40.00 given, four times 2.50 paid out, once each.
    expect(await balances(app, first.token, setup.fundId)).toEqual({
      balance: '30.00',
      availableBalance: '30.00',
    });
    expect(await balances(app, first.token, setup.requester.accountId)).toEqual({
      balance: '10.00',
      availableBalance: '10.00',
    });
    expect(await verifyLedger(app, first.token, setup.currency)).toEqual({
      ok: true,
      problems: [],
    });
  });

  it('n stewards approving at once with k < n: one post, later votes refused', async () => {
    const setup = await createFund(app, world, { stewards: 5, approvalsRequired: 2 });
    for (let round = 0; round < ROUNDS; round += 1) {
      const request = await askForAid(app, setup, '3.00');
      const results = await Promise.all(
        setup.stewards.map((steward) => vote(app, steward.token, 'approveTransfer', request.id)),
      );
      const accepted = results.filter((result) => result.errors === undefined);
      const refused = results.filter((result) => result.errors !== undefined);
      expect(accepted.map((result) => result.data!.approveTransfer.status).sort()).toEqual([
        'PENDING',
        'POSTED',
      ]);
      expect(refused).toHaveLength(3);
      for (const result of refused) {
        expect(errorCode(result)).toBe('CONFLICT');
        expect(reason(result)).toBe('DISBURSEMENT_DECIDED');
      }
      const read = expectData(
        await readDisbursement(app, setup.stewards[0].token, request.id),
      ).disbursement;
      expect(read).toMatchObject({ transfer: { status: 'POSTED' }, approvals: 2, rejections: 0 });
      expect(read.votes).toHaveLength(2);
    }
    expect(await balances(app, setup.stewards[0].token, setup.fundId)).toEqual({
      balance: '28.00',
      availableBalance: '28.00',
    });
    expect(await balances(app, setup.stewards[0].token, setup.requester.accountId)).toEqual({
      balance: '12.00',
      availableBalance: '12.00',
    });
    expect(await verifyLedger(app, setup.stewards[0].token, setup.currency)).toEqual({
      ok: true,
      problems: [],
    });
  });

  it('approvals and rejections at once settle once, either way', async () => {
    // n = 5, k = 3: three rejections void, three approvals post; the votes
    // below can reach only one of the two.
    const cases: Array<{ decisions: Decision[]; expected: string }> = [
      {
        decisions: [
          'approveTransfer',
          'approveTransfer',
          'rejectTransfer',
          'rejectTransfer',
          'rejectTransfer',
        ],
        expected: 'VOIDED',
      },
      {
        decisions: [
          'approveTransfer',
          'approveTransfer',
          'approveTransfer',
          'rejectTransfer',
          'rejectTransfer',
        ],
        expected: 'POSTED',
      },
    ];
    const setup = await createFund(app, world, { stewards: 5, approvalsRequired: 3 });
    let paidOut = 0;
    for (const { decisions, expected } of cases) {
      for (let round = 0; round < ROUNDS; round += 1) {
        const request = await askForAid(app, setup, '1.00');
        const results = await Promise.all(
          setup.stewards.map((steward, index) =>
            vote(app, steward.token, decisions[index], request.id),
          ),
        );
        const settledBy = results.filter((result, index) => {
          if (result.errors !== undefined) return false;
          return result.data![decisions[index]].status === expected;
        });
        expect(settledBy).toHaveLength(1);
        for (const result of results.filter((r) => r.errors !== undefined)) {
          expect(reason(result)).toBe('DISBURSEMENT_DECIDED');
        }
        const read = expectData(
          await readDisbursement(app, setup.stewards[0].token, request.id),
        ).disbursement;
        expect(read.transfer.status).toBe(expected);
        expect(read.votes).toHaveLength(results.filter((r) => r.errors === undefined).length);
        if (expected === 'POSTED') paidOut += 1;
      }
    }
    expect(paidOut).toBe(ROUNDS);
    expect(await balances(app, setup.stewards[0].token, setup.fundId)).toEqual({
      balance: '36.00',
      availableBalance: '36.00',
    });
    expect(await verifyLedger(app, setup.stewards[0].token, setup.currency)).toEqual({
      ok: true,
      problems: [],
    });
  });

  // Three open requests at most; or half of 40.00: six requests of 3.00 fit
  // in 20.00, a seventh would not.
  it.each([
    [
      'open-request',
      { memberSharePercent: 100, maxOpenRequestsPerMember: 3 },
      '1.00',
      3,
      'TOO_MANY_OPEN_REQUESTS',
      '37.00',
    ],
    [
      'share',
      { memberSharePercent: 50, maxOpenRequestsPerMember: 100 },
      '3.00',
      6,
      'REQUEST_SHARE_EXCEEDED',
      '22.00',
    ],
  ] as const)(
    "a burst of one member's requests passes the %s limit exactly",
    async (_limit, limits, amount, allowed, refusal, available) => {
      const setup = await createFund(app, world, { stewards: 1, approvalsRequired: 1, limits });
      const results = await Promise.all(
        Array.from({ length: BURST }, () =>
          requestDisbursement(app, setup.requester.user.token, {
            fundAccountId: setup.fundId,
            toAccountId: setup.requester.accountId,
            amount,
          }),
        ),
      );
      const outcomes = countBy(
        results.map((result) => result.data?.requestDisbursement.status ?? reason(result)),
      );
      expect(outcomes).toEqual({ PENDING: allowed, [refusal]: BURST - allowed });
      expect(await balances(app, setup.stewards[0].token, setup.fundId)).toEqual({
        balance: '40.00',
        availableBalance: available,
      });
    },
  );
});

/** How many times each value occurs. */
function countBy(values: unknown[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[String(value)] = (counts[String(value)] ?? 0) + 1;
  return counts;
}
