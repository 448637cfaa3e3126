import { LedgerError } from './ledger-error';
import { MAX_BALANCE_MINOR } from './posting';
import {
  earnedCreditMinor,
  earnedFloorMinor,
  NO_TRANSFER_RULES,
  policyLegs,
  TransferRules,
} from './transfer-policy';

const rules = (overrides: Partial<TransferRules>): TransferRules => ({
  ...NO_TRANSFER_RULES,
  ...overrides,
});

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof LedgerError) return error.code;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('policyLegs', () => {
  it('without rules makes a plain two-leg transfer', () => {
    expect(policyLegs('a', 'b', 150n, NO_TRANSFER_RULES, 0n)).toEqual({
      legs: [
        { accountId: 'a', amountMinor: -150n },
        { accountId: 'b', amountMinor: 150n },
      ],
      feeMinor: 0n,
      outflowMinor: 150n,
    });
  });

  it('charges a payer-paid fee on top: 2% of 10.00 plus 0.05 fixed', () => {
    const result = policyLegs(
      'a',
      'b',
      1000n,
      rules({ feePercent: '2', feeFixedMinor: 5n, feeAccountId: 'fees' }),
      0n,
    );
    expect(result.legs).toEqual([
      { accountId: 'a', amountMinor: -1025n },
      { accountId: 'b', amountMinor: 1000n },
      { accountId: 'fees', amountMinor: 25n },
    ]);
    expect(result.outflowMinor).toBe(1025n);
  });

  it('takes a receiver-paid fee out of the amount: 1.5% of 3.33 rounds 4.995 minor units to 5', () => {
    const result = policyLegs(
      'a',
      'b',
      333n,
      rules({ feePercent: '1.5', feePaidBy: 'RECEIVER', feeAccountId: 'fees' }),
      0n,
    );
    expect(result.legs).toEqual([
      { accountId: 'a', amountMinor: -333n },
      { accountId: 'b', amountMinor: 328n },
      { accountId: 'fees', amountMinor: 5n },
    ]);
  });

  it('rounds a fee tie half away from zero: 0.5% of 1.00 is 0.005, charged as 0.01', () => {
    expect(
      policyLegs('a', 'b', 100n, rules({ feePercent: '0.5', feeAccountId: 'fees' }), 0n).feeMinor,
    ).toBe(1n);
  });

  it('charges nothing when the fee rounds to zero, and keeps two legs', () => {
    const result = policyLegs('a', 'b', 1n, rules({ feePercent: '0.4', feeAccountId: 'fees' }), 0n);
    expect(result.legs).toHaveLength(2);
  });

  it('charges no fee on payments into or out of the fee account itself', () => {
    expect(
      policyLegs('fees', 'b', 100n, rules({ feePercent: '10', feeAccountId: 'fees' }), 0n).legs,
    ).toHaveLength(2);
  });

  it('refuses a receiver-paid fee that would take the whole amount', () => {
    expect(
      refusal(() =>
        policyLegs(
          'a',
          'b',
          5n,
          rules({ feeFixedMinor: 5n, feePaidBy: 'RECEIVER', feeAccountId: 'f' }),
          0n,
        ),
      ),
    ).toBe('FEE_EXCEEDS_AMOUNT');
  });

  it('refuses a transfer above the maximum, and accepts one at it', () => {
    expect(refusal(() => policyLegs('a', 'b', 501n, rules({ maxTransferMinor: 500n }), 0n))).toBe(
      'TRANSFER_LIMIT_EXCEEDED',
    );
    expect(policyLegs('a', 'b', 500n, rules({ maxTransferMinor: 500n }), 0n).legs).toHaveLength(2);
  });

  it('counts the last 24 hours and the payer-paid fee against the daily outflow limit', () => {
    const daily = rules({
      dailyOutflowLimitMinor: 1000n,
      feeFixedMinor: 10n,
      feeAccountId: 'fees',
    });
    expect(policyLegs('a', 'b', 490n, daily, 500n).outflowMinor).toBe(500n);
    expect(refusal(() => policyLegs('a', 'b', 491n, daily, 500n))).toBe('DAILY_LIMIT_EXCEEDED');
  });
});

describe('earn your limit', () => {
  const rule = { percent: '10', capMinor: 5000n };

  it('lowers the floor by the share of what was received, rounded half away from zero', () => {
    expect(earnedCreditMinor(1234n, rule)).toBe(123n);
    expect(earnedCreditMinor(1235n, rule)).toBe(124n);
    expect(earnedFloorMinor(-1000n, 1235n, rule)).toBe(-1124n);
  });

  it('stops at the cap', () => {
    expect(earnedCreditMinor(49_999n, rule)).toBe(5000n);
    expect(earnedCreditMinor(50_000n, rule)).toBe(5000n);
    expect(earnedCreditMinor(10_000_000n, rule)).toBe(5000n);
    expect(earnedFloorMinor(-1000n, 10_000_000n, rule)).toBe(-6000n);
  });

  it('changes nothing without a rule, a floor or receipts', () => {
    expect(earnedFloorMinor(-1000n, 50_000n, null)).toBe(-1000n);
    expect(earnedFloorMinor(null, 50_000n, rule)).toBeNull();
    expect(earnedFloorMinor(0n, 0n, rule)).toBe(0n);
  });

  it('never takes a floor outside the storage range', () => {
    const huge = { percent: '100', capMinor: MAX_BALANCE_MINOR };
    expect(earnedFloorMinor(-MAX_BALANCE_MINOR + 1n, 100n, huge)).toBe(-MAX_BALANCE_MINOR);
  });
});
