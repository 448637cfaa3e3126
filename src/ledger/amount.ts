import Decimal from 'decimal.js';
import { assert, LedgerError } from './ledger-error';

/**
 * Amounts of money in the ledger core.
 *
 * Inside Mutua an amount is a bigint of minor units: with a scale of 2,
 * "1.50" is 150n. A currency's scale (its number of decimal places) is fixed
 * when the currency is created and lies between 0 and MAX_SCALE. Decimal
 * strings exist only at the edges: `parseAmount` and `parseSignedAmount` read
 * them, `formatAmount` writes them. A JavaScript number never holds money.
 *
 * Parsing never rounds. An amount with more decimal places than the scale is
 * refused, with one exception that loses nothing: places beyond the scale that
 * are all zeros are accepted, so "1.500" at scale 2 is exactly 150n while
 * "1.505" is refused. Only plain decimal text is accepted: an optional '-',
 * digits without a superfluous leading zero, and an optional '.' followed by at
 * least one digit. That refuses "", "1e3", "+1", "NaN", "Infinity", " 1",
 * "0x10", "1.", ".5" and "007", matching the API's Decimal scalar.
 *
 * Rounding rule, used by `percentOfMinor` and `convertMinor` and nowhere else:
 * the exact result is computed as a fraction of bigints (decimal.js only reads
 * the rate) and then rounded to the nearest whole minor unit, with ties going
 * away from zero ("half up" on magnitudes). So a fee of 0.5 minor units is 1,
 * 0.4999 is 0, and -0.5 is -1. The rule is symmetric, so reversing a fee
 * yields exactly the negated fee.
 */

/** The largest magnitude of a single amount, in minor units of any currency. */
export const MAX_AMOUNT_MINOR = 10n ** 15n;

/** The largest number of decimal places a currency may have. */
export const MAX_SCALE = 8;

/**
 * Longer texts are refused before any work is done on them. 64 characters is
 * far more than the 16 integer digits and 8 decimal places an amount can use,
 * leaving room for harmless trailing zeros.
 */
export const MAX_AMOUNT_TEXT_LENGTH = 64;

/**
 * Rates and percentages have fewer than this many integer digits and at most
 * this many decimal places, which bounds the size of the exact arithmetic.
 */
export const MAX_RATE_DIGITS = 30;

const PLAIN_DECIMAL = /^(-?)(0|[1-9]\d*)(?:\.(\d+))?$/;

export function isValidScale(scale: number): boolean {
  return Number.isSafeInteger(scale) && scale >= 0 && scale <= MAX_SCALE;
}

function assertScale(scale: number): void {
  assert(isValidScale(scale), `scale ${scale} is not an integer from 0 to ${MAX_SCALE}`);
}

/** A decimal value split into its sign, its digits, and a power of ten. */
interface ExactDecimal {
  /** The value times 10^decimalPlaces, so the value is coefficient / 10^decimalPlaces. */
  coefficient: bigint;
  decimalPlaces: number;
}

function preview(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function invalidAmount(reason: string): LedgerError {
  return new LedgerError('AMOUNT_INVALID', `Invalid amount: ${reason}`);
}

/**
 * Reads plain decimal text exactly, dropping trailing zeros of the fraction so
 * that "1.500" and "1.5" read the same.
 */
function readDecimalText(text: string): ExactDecimal | null {
  const match = PLAIN_DECIMAL.exec(text);
  if (match === null) return null;
  const [, sign, integerDigits, fractionDigits = ''] = match;
  const significantFraction = fractionDigits.replace(/0+$/, '');
  const magnitude = BigInt(`${integerDigits}${significantFraction}`);
  return {
    coefficient: sign === '-' ? -magnitude : magnitude,
    decimalPlaces: significantFraction.length,
  };
}

/**
 * What parsing needs to know about an amount, in the order it checks it. The
 * exact value is read last, and only once the number of decimal places is
 * known to be small, so that no huge value is ever written out as digits.
 */
interface AmountReading {
  nonPositive: boolean;
  decimalPlaces: number;
  /** The exact value, or null when its integer part has more than 20 digits. */
  readExact: () => ExactDecimal | null;
}

function readAmountText(text: string): AmountReading {
  if (text.length === 0) throw invalidAmount('empty text');
  if (text.length > MAX_AMOUNT_TEXT_LENGTH) {
    throw new LedgerError(
      'AMOUNT_INVALID',
      `Invalid amount: longer than ${MAX_AMOUNT_TEXT_LENGTH} characters`,
      { maxLength: MAX_AMOUNT_TEXT_LENGTH },
    );
  }
  const exact = readDecimalText(text);
  if (exact === null) {
    throw invalidAmount(`"${preview(text)}" is not a plain decimal number such as "12.50"`);
  }
  return {
    nonPositive: exact.coefficient <= 0n,
    decimalPlaces: exact.decimalPlaces,
    readExact: () => exact,
  };
}

function readAmountDecimal(value: Decimal): AmountReading {
  if (!value.isFinite()) throw invalidAmount(`${value.toString()} is not a number`);
  return {
    nonPositive: value.isZero() || value.isNeg(),
    decimalPlaces: value.decimalPlaces(),
    // Called only when decimalPlaces is at most MAX_SCALE, so toFixed() of a
    // value below 10^20 is short and plain.
    readExact: () =>
      value.e >= 20 ? null : readDecimalText(value.isZero() ? '0' : value.toFixed()),
  };
}

function toMinor(exact: ExactDecimal, scale: number): bigint {
  return exact.coefficient * 10n ** BigInt(scale - exact.decimalPlaces);
}

function maxAmountText(scale: number): string {
  return formatAmount(MAX_AMOUNT_MINOR, scale);
}

/**
 * Parses an amount that may be zero or negative (a floor such as "-10.00", a
 * ceiling, a correction) into minor units. Refuses with AMOUNT_INVALID,
 * AMOUNT_TOO_PRECISE or AMOUNT_TOO_LARGE; never rounds.
 */
export function parseSignedAmount(value: string | Decimal, scale: number): bigint {
  return parseWithSign(value, scale, false);
}

/**
 * Parses a strictly positive amount (what a transfer moves) into minor units.
 * Refuses, in this order of checks, with AMOUNT_INVALID, AMOUNT_NOT_POSITIVE,
 * AMOUNT_TOO_PRECISE or AMOUNT_TOO_LARGE; never rounds.
 */
export function parseAmount(value: string | Decimal, scale: number): bigint {
  return parseWithSign(value, scale, true);
}

function parseWithSign(value: string | Decimal, scale: number, positiveOnly: boolean): bigint {
  assertScale(scale);
  const reading = typeof value === 'string' ? readAmountText(value) : readAmountDecimal(value);
  if (positiveOnly && reading.nonPositive) {
    throw new LedgerError('AMOUNT_NOT_POSITIVE', 'The amount must be greater than zero');
  }
  if (reading.decimalPlaces > scale) {
    throw new LedgerError(
      'AMOUNT_TOO_PRECISE',
      `The amount has more than ${scale} decimal places; amounts are never rounded`,
      { scale },
    );
  }
  const exact = reading.readExact();
  const minor = exact === null ? null : toMinor(exact, scale);
  if (minor === null || minor > MAX_AMOUNT_MINOR || minor < -MAX_AMOUNT_MINOR) {
    throw new LedgerError('AMOUNT_TOO_LARGE', `The amount exceeds ${maxAmountText(scale)}`, {
      scale,
      maxAmount: maxAmountText(scale),
    });
  }
  return minor;
}

/**
 * Writes minor units as plain decimal text with exactly `scale` places:
 * (-150n, 2) → "-1.50", (0n, 2) → "0.00", (12n, 0) → "12". The result is
 * accepted by `parseSignedAmount` and gives back the same minor units whenever
 * it is within MAX_AMOUNT_MINOR; larger values (sums, balances) format fine.
 */
export function formatAmount(minor: bigint, scale: number): string {
  assertScale(scale);
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(scale + 1, '0');
  const integerDigits = digits.slice(0, digits.length - scale);
  const fractionDigits = digits.slice(digits.length - scale);
  const sign = negative ? '-' : '';
  return scale === 0 ? `${sign}${integerDigits}` : `${sign}${integerDigits}.${fractionDigits}`;
}

function invalidRate(kind: 'percent' | 'rate', reason: string): LedgerError {
  return new LedgerError('RATE_INVALID', `Invalid ${kind}: ${reason}`, {
    maxDigits: MAX_RATE_DIGITS,
  });
}

function readRate(value: Decimal | string, kind: 'percent' | 'rate'): ExactDecimal {
  let decimal: Decimal;
  if (typeof value === 'string') {
    if (value.length > 2 * MAX_RATE_DIGITS + 2 || !PLAIN_DECIMAL.test(value)) {
      throw invalidRate(kind, `"${preview(value)}" is not a plain decimal number such as "2.5"`);
    }
    decimal = new Decimal(value);
  } else {
    decimal = value;
  }
  if (!decimal.isFinite()) throw invalidRate(kind, 'not a finite number');
  if (decimal.e >= MAX_RATE_DIGITS || decimal.decimalPlaces() > MAX_RATE_DIGITS) {
    throw invalidRate(
      kind,
      `more than ${MAX_RATE_DIGITS} integer digits or ${MAX_RATE_DIGITS} decimal places`,
    );
  }
  // The limits above keep toFixed() short and free of exponents.
  const exact = readDecimalText(decimal.isZero() ? '0' : decimal.toFixed());
  assert(exact !== null, 'a finite Decimal always writes as plain text');
  return exact;
}

function readPercent(value: Decimal | string): ExactDecimal {
  const exact = readRate(value, 'percent');
  const scaledHundred = 100n * 10n ** BigInt(exact.decimalPlaces);
  if (exact.coefficient < 0n || exact.coefficient > scaledHundred) {
    throw invalidRate('percent', 'must be from 0 to 100');
  }
  return exact;
}

function readPositiveRate(value: Decimal | string): ExactDecimal {
  const exact = readRate(value, 'rate');
  if (exact.coefficient <= 0n) throw invalidRate('rate', 'must be greater than zero');
  return exact;
}

/**
 * Checks a percentage given at the API or in a policy: plain decimal text or
 * a finite Decimal from 0 to 100 inclusive, with at most MAX_RATE_DIGITS
 * integer digits and decimal places. Refuses with RATE_INVALID.
 */
export function parsePercent(value: Decimal | string): Decimal {
  readPercent(value);
  return new Decimal(value);
}

/**
 * Checks an exchange or mint rate: strictly positive, with at most
 * MAX_RATE_DIGITS integer digits and decimal places. Refuses with
 * RATE_INVALID.
 */
export function parseRate(value: Decimal | string): Decimal {
  readPositiveRate(value);
  return new Decimal(value);
}

/**
 * Divides exactly and rounds to the nearest integer, ties away from zero. This
 * is the one rounding rule of the ledger core (see the top of this file).
 */
export function divideRoundingHalfAwayFromZero(numerator: bigint, denominator: bigint): bigint {
  assert(denominator > 0n, 'the denominator of a rounded division is positive');
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  let quotient = magnitude / denominator;
  if (2n * (magnitude % denominator) >= denominator) quotient += 1n;
  return negative ? -quotient : quotient;
}

/**
 * `percent` percent of an amount, as whole minor units rounded half away from
 * zero: percentOfMinor(150n, "1") is 2n (1.5 rounds up), percentOfMinor(149n,
 * "1") is 1n. The percentage must be from 0 to 100 (RATE_INVALID otherwise),
 * so the result never exceeds the amount in magnitude.
 */
export function percentOfMinor(amountMinor: bigint, percent: Decimal | string): bigint {
  const exact = readPercent(percent);
  return divideRoundingHalfAwayFromZero(
    amountMinor * exact.coefficient,
    100n * 10n ** BigInt(exact.decimalPlaces),
  );
}

/**
 * Converts an amount of one currency into another at `rate` (units of the
 * target currency for one unit of the source currency, e.g. 1 EUR buys 1.05
 * BRK), rounded half away from zero to a whole minor unit of the target. The
 * result may be zero for a tiny amount; the caller decides whether that is
 * acceptable. Refuses with RATE_INVALID for a rate that is not positive and
 * AMOUNT_TOO_LARGE when the result exceeds MAX_AMOUNT_MINOR.
 */
export function convertMinor(
  amountMinor: bigint,
  fromScale: number,
  rate: Decimal | string,
  toScale: number,
): bigint {
  assertScale(fromScale);
  assertScale(toScale);
  const exact = readPositiveRate(rate);
  const convertedMinor = divideRoundingHalfAwayFromZero(
    amountMinor * exact.coefficient * 10n ** BigInt(toScale),
    10n ** BigInt(exact.decimalPlaces + fromScale),
  );
  if (convertedMinor > MAX_AMOUNT_MINOR || convertedMinor < -MAX_AMOUNT_MINOR) {
    throw new LedgerError(
      'AMOUNT_TOO_LARGE',
      `The converted amount exceeds ${maxAmountText(toScale)}`,
      { scale: toScale, maxAmount: maxAmountText(toScale) },
    );
  }
  return convertedMinor;
}

/**
 * The inverse of convertMinor: an amount of the target currency converted
 * back at the same `rate` (e.g. credits back into the national money that
 * bought them at 1.05 credits per unit), computed exactly and rounded half
 * away from zero, never through a float or an inexact 1/rate.
 */
export function convertMinorBack(
  amountMinor: bigint,
  fromScale: number,
  rate: Decimal | string,
  toScale: number,
): bigint {
  assertScale(fromScale);
  assertScale(toScale);
  const exact = readPositiveRate(rate);
  return divideRoundingHalfAwayFromZero(
    amountMinor * 10n ** BigInt(exact.decimalPlaces + toScale),
    exact.coefficient * 10n ** BigInt(fromScale),
  );
}
