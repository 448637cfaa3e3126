import Decimal from 'decimal.js';
import fc from 'fast-check';
import {
  MAX_AMOUNT_MINOR,
  MAX_SCALE,
  convertMinor,
  convertMinorBack,
  divideRoundingHalfAwayFromZero,
  formatAmount,
  isValidScale,
  parseAmount,
  parsePercent,
  parseRate,
  parseSignedAmount,
  percentOfMinor,
} from './amount';
import { LedgerError } from './ledger-error';

/** Runs `action` and returns what it threw, or fails the test if it threw nothing. */
function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal, but the call succeeded');
}

function refusalCode(action: () => unknown): string {
  const error = thrownBy(action);
  if (error instanceof LedgerError) return error.code;
  throw error;
}

/** An independent oracle: decimal.js with ample precision and its own half-up rounding. */
const ExactDecimal = Decimal.clone({ precision: 200, rounding: Decimal.ROUND_HALF_UP });

describe('parseAmount', () => {
  it.each([
    ['1.50', 2, 150n],
    ['0.25', 2, 25n],
    ['12', 0, 12n],
    ['12', 2, 1200n],
    ['0.01', 2, 1n],
    ['0.00000001', 8, 1n],
    ['10000000000000', 2, MAX_AMOUNT_MINOR],
    ['1000000000000000', 0, MAX_AMOUNT_MINOR],
    ['10000000', 8, MAX_AMOUNT_MINOR],
  ])('reads %s at scale %i as %p minor units', (text, scale, expected) => {
    expect(parseAmount(text, scale)).toBe(expected);
  });

  it('accepts places beyond the scale when they are all zeros, because nothing is lost', () => {
    expect(parseAmount('1.500', 2)).toBe(150n);
    expect(parseAmount('1.0', 0)).toBe(1n);
    expect(parseAmount('7.000000000000000000000000000', 3)).toBe(7000n);
  });

  it('refuses a fraction of a minor unit instead of rounding it', () => {
    const error = thrownBy(() => parseAmount('1.505', 2));
    expect(error).toBeInstanceOf(LedgerError);
    expect(error).toMatchObject({ code: 'AMOUNT_TOO_PRECISE', details: { scale: 2 } });
    expect(refusalCode(() => parseAmount('0.001', 2))).toBe('AMOUNT_TOO_PRECISE');
    expect(refusalCode(() => parseAmount('0.5', 0))).toBe('AMOUNT_TOO_PRECISE');
    expect(refusalCode(() => parseAmount('0.000000001', 8))).toBe('AMOUNT_TOO_PRECISE');
  });

  it.each([
    '',
    '1e3',
    '1E3',
    '+1',
    'NaN',
    'Infinity',
    '-Infinity',
    ' 1',
    '1 ',
    '1 000',
    '0x10',
    '1.',
    '.5',
    '-.5',
    '007',
    '00.5',
    '1,50',
    '1.5.0',
    '--1',
    '١',
    'abc',
    '12abc',
    '1_000',
  ])('refuses the text %p as not a plain decimal', (text) => {
    expect(refusalCode(() => parseAmount(text, 2))).toBe('AMOUNT_INVALID');
  });

  it('refuses text longer than 64 characters before reading it', () => {
    const error = thrownBy(() => parseAmount(`1.${'0'.repeat(100)}`, 2));
    expect(error).toMatchObject({ code: 'AMOUNT_INVALID', details: { maxLength: 64 } });
  });

  it.each(['0', '0.00', '-0', '-0.00', '-1', '-0.01', '-1.505'])(
    'refuses %p as not positive',
    (text) => {
      expect(refusalCode(() => parseAmount(text, 2))).toBe('AMOUNT_NOT_POSITIVE');
    },
  );

  it('refuses one minor unit above the maximum and names the maximum', () => {
    const error = thrownBy(() => parseAmount('10000000000000.01', 2));
    expect(error).toMatchObject({
      code: 'AMOUNT_TOO_LARGE',
      details: { scale: 2, maxAmount: '10000000000000.00' },
    });
    expect(refusalCode(() => parseAmount('99999999999999999999999999', 0))).toBe(
      'AMOUNT_TOO_LARGE',
    );
  });

  it('accepts a Decimal from the API scalar with the same rules', () => {
    expect(parseAmount(new Decimal('1.50'), 2)).toBe(150n);
    expect(parseAmount(new Decimal('12'), 0)).toBe(12n);
    expect(refusalCode(() => parseAmount(new Decimal('1.505'), 2))).toBe('AMOUNT_TOO_PRECISE');
    expect(refusalCode(() => parseAmount(new Decimal(0), 2))).toBe('AMOUNT_NOT_POSITIVE');
    expect(refusalCode(() => parseAmount(new Decimal('-0'), 2))).toBe('AMOUNT_NOT_POSITIVE');
    expect(refusalCode(() => parseAmount(new Decimal(-3), 2))).toBe('AMOUNT_NOT_POSITIVE');
  });

  it('refuses Decimals that are not numbers or of extreme magnitude without writing them out', () => {
    expect(refusalCode(() => parseAmount(new Decimal(NaN), 2))).toBe('AMOUNT_INVALID');
    expect(refusalCode(() => parseAmount(new Decimal(Infinity), 2))).toBe('AMOUNT_INVALID');
    expect(refusalCode(() => parseAmount(new Decimal('1e30'), 2))).toBe('AMOUNT_TOO_LARGE');
    expect(refusalCode(() => parseAmount(new Decimal('1e900000000'), 2))).toBe('AMOUNT_TOO_LARGE');
    expect(refusalCode(() => parseAmount(new Decimal('1e-900000000'), 2))).toBe(
      'AMOUNT_TOO_PRECISE',
    );
  });

  it.each([-1, 9, 1.5, NaN])(
    'treats an impossible currency scale %p as a bug, not a refusal',
    (scale) => {
      const error = thrownBy(() => parseAmount('1', scale));
      expect(error).not.toBeInstanceOf(LedgerError);
      expect(String(error)).toMatch(/Assertion failed/);
    },
  );
});

describe('parseSignedAmount', () => {
  it('reads floors, zero and negative values', () => {
    expect(parseSignedAmount('-10.00', 2)).toBe(-1000n);
    expect(parseSignedAmount('-10', 2)).toBe(-1000n);
    expect(parseSignedAmount('0', 2)).toBe(0n);
    expect(parseSignedAmount('-0', 2)).toBe(0n);
    expect(parseSignedAmount(new Decimal('-0'), 2)).toBe(0n);
    expect(parseSignedAmount('250', 0)).toBe(250n);
  });

  it('applies the same bounds to negative amounts', () => {
    expect(parseSignedAmount('-10000000000000.00', 2)).toBe(-MAX_AMOUNT_MINOR);
    expect(refusalCode(() => parseSignedAmount('-10000000000000.01', 2))).toBe('AMOUNT_TOO_LARGE');
    expect(refusalCode(() => parseSignedAmount('-1.505', 2))).toBe('AMOUNT_TOO_PRECISE');
    expect(refusalCode(() => parseSignedAmount('- 1', 2))).toBe('AMOUNT_INVALID');
    expect(refusalCode(() => parseSignedAmount('', 2))).toBe('AMOUNT_INVALID');
  });
});

describe('formatAmount', () => {
  it.each([
    [-150n, 2, '-1.50'],
    [0n, 2, '0.00'],
    [12n, 0, '12'],
    [-5n, 2, '-0.05'],
    [5n, 8, '0.00000005'],
    [100n, 2, '1.00'],
    [MAX_AMOUNT_MINOR, 2, '10000000000000.00'],
    [-(10n ** 20n), 2, '-1000000000000000000.00'],
  ])('writes %p at scale %i as %p', (minor, scale, expected) => {
    expect(formatAmount(minor, scale)).toBe(expected);
  });

  it('refuses an impossible scale as a bug', () => {
    expect(() => formatAmount(1n, MAX_SCALE + 1)).toThrow(/Assertion failed/);
  });
});

describe('isValidScale', () => {
  it('accepts the integers 0 to 8 only', () => {
    expect([0, 2, 8].every(isValidScale)).toBe(true);
    expect([-1, 9, 0.5, NaN, Infinity].some(isValidScale)).toBe(false);
  });
});

describe('percentOfMinor', () => {
  it.each([
    [150n, '1', 2n, '1.5 rounds up'],
    [149n, '1', 1n, '1.49 rounds down'],
    [50n, '1', 1n, 'a tie of exactly half a minor unit rounds up'],
    [49n, '1', 0n, 'just below half a minor unit rounds to zero'],
    [-150n, '1', -2n, 'negative ties round away from zero'],
    [-50n, '1', -1n, 'a negative half rounds away from zero'],
    [1000n, '0', 0n, 'zero percent is no fee'],
    [1000n, '100', 1000n, 'a hundred percent is the whole amount'],
    [1000n, '2.5', 25n, 'a fractional percent'],
    [MAX_AMOUNT_MINOR, '0.0001', 10n ** 9n, 'a tiny percent of the largest amount'],
    [1n, '0.0001', 0n, 'a tiny percent of one minor unit'],
    [3n, '33.333333333333333333333333333333', 1n, 'many digits of percent'],
  ])('%p at %s%% is %p (%s)', (amountMinor, percent, expected) => {
    expect(percentOfMinor(amountMinor, percent)).toBe(expected);
  });

  it('accepts a Decimal percent', () => {
    expect(percentOfMinor(1000n, new Decimal('2.5'))).toBe(25n);
  });

  it('computes exactly where floating point would be off by one', () => {
    // In floating point 1500 * 2.3 / 100 is 34.49999999999999, which rounds to
    // 34; the exact fee is 34.5 minor units, which rounds to 35.
    expect(percentOfMinor(1500n, '2.3')).toBe(35n);
    const amountMinor = 999_999_999_999_999n;
    const percent = '0.123456789012345678901234567';
    const oracle = new ExactDecimal(amountMinor.toString())
      .times(percent)
      .dividedBy(100)
      .toDecimalPlaces(0);
    expect(percentOfMinor(amountMinor, percent)).toBe(BigInt(oracle.toFixed()));
  });

  it.each(['-1', '100.01', '1e2', 'abc', '', ' 2', `0.${'0'.repeat(30)}1`, '1'.repeat(31)])(
    'refuses the percent %p',
    (percent) => {
      expect(refusalCode(() => percentOfMinor(100n, percent))).toBe('RATE_INVALID');
    },
  );

  it('refuses a Decimal percent that is not finite', () => {
    expect(refusalCode(() => percentOfMinor(100n, new Decimal(NaN)))).toBe('RATE_INVALID');
    expect(refusalCode(() => percentOfMinor(100n, new Decimal('1e40')))).toBe('RATE_INVALID');
  });

  it('agrees with an independent exact computation for any amount and percent', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -MAX_AMOUNT_MINOR, max: MAX_AMOUNT_MINOR }),
        fc.integer({ min: 0, max: 100_000_000 }),
        fc.integer({ min: 0, max: 6 }),
        (amountMinor, percentCoefficient, percentPlaces) => {
          const percent = new Decimal(percentCoefficient).dividedBy(10 ** percentPlaces);
          fc.pre(percent.lte(100));
          const oracle = new ExactDecimal(amountMinor.toString())
            .times(percent)
            .dividedBy(100)
            .toDecimalPlaces(0);
          expect(percentOfMinor(amountMinor, percent)).toBe(BigInt(oracle.toFixed()));
        },
      ),
    );
  });
});

describe('convertMinor', () => {
  it('mints credits for a reserve deposit at the set rate', () => {
    // 1.00 EUR buys 1.05 BRK.
    expect(convertMinor(100n, 2, '1.05', 2)).toBe(105n);
    expect(convertMinor(2000n, 2, new Decimal('1.05'), 2)).toBe(2100n);
  });

  it('converts between scales and rounds half away from zero', () => {
    expect(convertMinor(50n, 2, '1', 0)).toBe(1n);
    expect(convertMinor(49n, 2, '1', 0)).toBe(0n);
    expect(convertMinor(-50n, 2, '1', 0)).toBe(-1n);
    expect(convertMinor(3n, 0, '1', 2)).toBe(300n);
    expect(convertMinor(1n, 2, '0.333', 2)).toBe(0n);
    expect(convertMinor(3n, 2, '0.5', 2)).toBe(2n);
  });

  it('refuses a rate that is zero, negative or not a number', () => {
    for (const rate of ['0', '-1.05', 'x', '1e2']) {
      expect(refusalCode(() => convertMinor(100n, 2, rate, 2))).toBe('RATE_INVALID');
    }
  });

  it('refuses a result above the largest amount', () => {
    expect(refusalCode(() => convertMinor(MAX_AMOUNT_MINOR, 2, '1.01', 2))).toBe(
      'AMOUNT_TOO_LARGE',
    );
    expect(convertMinor(MAX_AMOUNT_MINOR, 2, '1', 2)).toBe(MAX_AMOUNT_MINOR);
  });

  it('treats an impossible scale as a bug', () => {
    expect(() => convertMinor(1n, 2, '1', 12)).toThrow(/Assertion failed/);
  });
});

describe('parsePercent and parseRate', () => {
  it('return the checked value as a Decimal', () => {
    expect(parsePercent('2.5').toFixed()).toBe('2.5');
    expect(parsePercent('0').isZero()).toBe(true);
    expect(parseRate('1.05').toFixed()).toBe('1.05');
  });

  it('refuse out-of-range values', () => {
    expect(refusalCode(() => parsePercent('101'))).toBe('RATE_INVALID');
    expect(refusalCode(() => parseRate('0'))).toBe('RATE_INVALID');
    expect(refusalCode(() => parseRate(new Decimal(-1)))).toBe('RATE_INVALID');
  });
});

describe('divideRoundingHalfAwayFromZero', () => {
  it('rounds ties away from zero on both sides', () => {
    expect(divideRoundingHalfAwayFromZero(5n, 2n)).toBe(3n);
    expect(divideRoundingHalfAwayFromZero(-5n, 2n)).toBe(-3n);
    expect(divideRoundingHalfAwayFromZero(7n, 3n)).toBe(2n);
    expect(divideRoundingHalfAwayFromZero(0n, 3n)).toBe(0n);
  });

  it('treats a non-positive denominator as a bug', () => {
    expect(() => divideRoundingHalfAwayFromZero(1n, 0n)).toThrow(/Assertion failed/);
  });
});

describe('amount round trips', () => {
  const scale = fc.integer({ min: 0, max: MAX_SCALE });

  it('parseSignedAmount(formatAmount(x)) is x for every valid amount and scale', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -MAX_AMOUNT_MINOR, max: MAX_AMOUNT_MINOR }), scale, (x, s) => {
        expect(parseSignedAmount(formatAmount(x, s), s)).toBe(x);
      }),
    );
  });

  it('parseAmount(formatAmount(x)) is x for every positive amount and scale', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: MAX_AMOUNT_MINOR }), scale, (x, s) => {
        expect(parseAmount(formatAmount(x, s), s)).toBe(x);
        expect(parseAmount(new Decimal(formatAmount(x, s)), s)).toBe(x);
      }),
    );
  });

  it('trailing zeros never change the parsed amount', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: MAX_AMOUNT_MINOR }),
        scale,
        fc.integer({ min: 1, max: 10 }),
        (x, s, zeros) => {
          const text = formatAmount(x, s);
          const padded = s === 0 ? `${text}.${'0'.repeat(zeros)}` : `${text}${'0'.repeat(zeros)}`;
          expect(parseAmount(padded, s)).toBe(x);
        },
      ),
    );
  });

  it('any amount with a nonzero digit beyond the scale is refused', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: MAX_AMOUNT_MINOR }),
        fc.integer({ min: 0, max: MAX_SCALE - 1 }),
        fc.integer({ min: 1, max: 9 }),
        (x, s, digit) => {
          const text = formatAmount(x, s);
          const extended = s === 0 ? `${text}.${digit}` : `${text}${digit}`;
          expect(refusalCode(() => parseAmount(extended, s))).toBe('AMOUNT_TOO_PRECISE');
        },
      ),
    );
  });
});

describe('convertMinorBack', () => {
  it('turns 105.00 credits at 1.05 per euro back into exactly 100.00 euros', () => {
    expect(convertMinorBack(10500n, 2, '1.05', 2)).toBe(10000n);
  });

  it('rounds half away from zero: 1.00 credit at 1.05 is 0.952… euro, paid as 0.95', () => {
    expect(convertMinorBack(100n, 2, '1.05', 2)).toBe(95n);
  });

  it('is the inverse of convertMinor for amounts the rate divides', () => {
    for (const euros of [1n, 20n, 12345n]) {
      expect(convertMinorBack(convertMinor(euros * 100n, 2, '1.25', 2), 2, '1.25', 2)).toBe(
        euros * 100n,
      );
    }
  });
});
