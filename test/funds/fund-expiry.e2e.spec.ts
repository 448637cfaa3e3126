import { INestApplication } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { FUNDS_OPTIONS, FundsOptions } from '../../src/funds/funds.options';
import { expectData } from '../support/factories';
import { createTestApp, errorCode } from '../support/test-app';
import {
  askForAid,
  balances,
  createFund,
  createWorld,
  FUND_TEST_TIMEOUT_MS,
  createFundsTestApp,
  readDisbursement,
  reason,
  setFundStewards,
  statusAfter,
  transferStatus,
  vote,
  World,
} from './fund-helpers';

/**
 * Requests that nobody decides in time. The application runs with a
 * disbursement expiry of 3 seconds instead of 14 days.
 */
const EXPIRY_MS = 3000;

jest.setTimeout(FUND_TEST_TIMEOUT_MS);

describe('disbursement expiry', () => {
  let app: INestApplication;
  let world: World;

  beforeAll(async () => {
    app = await createFundsTestApp({ disbursementExpiryMs: EXPIRY_MS });
    world = await createWorld(app, 3);
  });

  afterAll(async () => {
    await app.close();
  });

  it('refuses a vote after the deadline, uncounted, and releases the hold', async () => {
    const setup = await createFund(app, world, { stewards: 3, approvalsRequired: 2 });
    const [first, second, third] = setup.stewards;
    const request = await askForAid(app, setup, '7.00');
    const deadline = new Date(request.expiresAt!).getTime();
    expect(await statusAfter(app, first.token, 'approveTransfer', request.id)).toBe('PENDING');
    expect(await balances(app, first.token, setup.fundId)).toEqual({
      balance: '40.00',
      availableBalance: '33.00',
    });

    await sleep(Math.max(0, deadline - Date.now()) + 100);
    const late = await vote(app, second.token, 'approveTransfer', request.id);
    expect(errorCode(late)).toBe('CONFLICT');
    expect(reason(late)).toBe('DISBURSEMENT_EXPIRED');

    const expired = await transferStatus(app, first.token, request.id);
    expect(expired).toMatchObject({ status: 'EXPIRED', postedAt: null, entries: [] });
    expect(await balances(app, first.token, setup.fundId)).toEqual({
      balance: '40.00',
      availableBalance: '40.00',
    });
    expect(await balances(app, first.token, setup.requester.accountId)).toEqual({
      balance: '0.00',
      availableBalance: '0.00',
    });
    const read = expectData(await readDisbursement(app, first.token, request.id)).disbursement;
    expect(read).toMatchObject({ transfer: { status: 'EXPIRED' }, approvals: 1, rejections: 0 });
    expect(read.votes.map((v) => v.steward.id)).toEqual([first.id]);

    // Once expired, it stays decided for everyone.
    const after = await vote(app, third.token, 'rejectTransfer', request.id);
    expect(errorCode(after)).toBe('CONFLICT');
    expect(reason(after)).toBe('DISBURSEMENT_DECIDED');
  });

  it('reads as EXPIRED once its time has passed, even before anyone votes', async () => {
    const setup = await createFund(app, world, { stewards: 1, approvalsRequired: 1 });
    const request = await askForAid(app, setup, '1.00');
    await sleep(EXPIRY_MS + 100);
    const read = expectData(
      await readDisbursement(app, setup.requester.user.token, request.id),
    ).disbursement;
    expect(read.transfer.status).toBe('EXPIRED');
    const late = await vote(app, setup.stewards[0].token, 'approveTransfer', request.id);
    expect(reason(late)).toBe('DISBURSEMENT_EXPIRED');
  });

  it("lets a steward's approval of a change of the fund's rule lapse after the same time", async () => {
    const setup = await createFund(app, world, { stewards: 3, approvalsRequired: 2 });
    const [first, second] = setup.stewards;
    const input = {
      fundAccountId: setup.fundId,
      stewardIds: [first.id, second.id],
      approvalsRequired: 1,
    };
    const asked = expectData(await setFundStewards(app, first.token, input)).setFundStewards;
    expect(asked).toMatchObject({ applied: false, approvals: 1 });
    const [approval] = asked.fund.proposals[0].approvals;
    expect(new Date(approval.expiresAt).getTime() - new Date(approval.approvedAt).getTime()).toBe(
      EXPIRY_MS,
    );

    await sleep(Math.max(0, new Date(approval.expiresAt).getTime() - Date.now()) + 100);
    const lapsed = expectData(await setFundStewards(app, second.token, input)).setFundStewards;
    expect(lapsed).toMatchObject({ applied: false, approvals: 1, fund: { version: 1 } });
    expect(lapsed.fund.proposals).toHaveLength(1);
    expect(lapsed.fund.proposals[0].approvals.map((one) => one.steward.id)).toEqual([second.id]);
    // Asked for again in time, it is applied.
    const applied = expectData(await setFundStewards(app, first.token, input)).setFundStewards;
    expect(applied).toMatchObject({ applied: true, approvals: 2, fund: { version: 2 } });
  });
});

describe('disbursement expiry setting', () => {
  it('comes from DISBURSEMENT_EXPIRY_HOURS, two weeks unless told', async () => {
    const configured = await createTestApp({ env: { DISBURSEMENT_EXPIRY_HOURS: '48' } });
    try {
      expect(configured.get<FundsOptions>(FUNDS_OPTIONS)).toEqual({
        disbursementExpiryMs: 48 * 3600_000,
      });
    } finally {
      await configured.close();
    }
    // The harness leaves the variable unset, so this is the default.
    expect(process.env.DISBURSEMENT_EXPIRY_HOURS).toBeUndefined();
    const unset = await createTestApp();
    try {
      expect(unset.get<FundsOptions>(FUNDS_OPTIONS)).toEqual({
        disbursementExpiryMs: 336 * 3600_000,
      });
    } finally {
      await unset.close();
    }
  });

  it('stops the application on a value out of bounds', async () => {
    await expect(createTestApp({ env: { DISBURSEMENT_EXPIRY_HOURS: '0' } })).rejects.toThrow(
      /DISBURSEMENT_EXPIRY_HOURS/,
    );
  });
});
