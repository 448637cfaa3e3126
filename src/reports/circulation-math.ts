import Decimal from 'decimal.js';
import { formatAmount } from '../ledger';

/**
 * The arithmetic of the circulation report, on plain values: the buckets of
 * its series and the time-weighted average supply and velocity. What the
 * figures mean is defined once, at the top of circulation.service.ts.
 *
 * Ratios are computed with decimal.js at 60 significant digits, far more than
 * any amount (16 digits) times any period in seconds (12 digits with
 * microseconds) needs, so nothing is lost before the one rounding at the end:
 * half away from zero, to the currency's scale for an average supply and to
 * VELOCITY_DECIMAL_PLACES for a velocity.
 */

export enum SeriesInterval {
  DAY = 'DAY',
  WEEK = 'WEEK',
}

/** Days start at 00:00 UTC; weeks on Monday 00:00 UTC, counted from this Monday. */
export const SERIES_ORIGIN = new Date('2000-01-03T00:00:00.000Z');

/** The most points one series may have: a year of days, or about seven years of weeks. */
export const MAX_SERIES_POINTS = 400;

export const VELOCITY_DECIMAL_PLACES = 4;

const Exact = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_UP });

export function intervalMs(interval: SeriesInterval): number {
  switch (interval) {
    case SeriesInterval.DAY:
      return 24 * 3600 * 1000;
    case SeriesInterval.WEEK:
      return 7 * 24 * 3600 * 1000;
  }
}

/** The PostgreSQL interval that `date_bin` uses for the same buckets. */
export function intervalSql(interval: SeriesInterval): string {
  return interval === SeriesInterval.DAY ? '1 day' : '7 days';
}

export interface Bucket {
  /** Where the bucket starts, clipped to the period. */
  start: Date;
  /** Where it ends (exclusive), clipped to the period. */
  end: Date;
  /** The unclipped start, as `date_bin` computes it: the key that SQL rows are matched on. */
  key: number;
}

function bucketCount(from: Date, to: Date, interval: SeriesInterval): number {
  const step = intervalMs(interval);
  const origin = SERIES_ORIGIN.getTime();
  const first = Math.floor((from.getTime() - origin) / step);
  const last = Math.ceil((to.getTime() - origin) / step);
  return last - first;
}

/** DAY when a daily series fits MAX_SERIES_POINTS, WEEK otherwise. */
export function defaultInterval(from: Date, to: Date): SeriesInterval {
  return bucketCount(from, to, SeriesInterval.DAY) <= MAX_SERIES_POINTS
    ? SeriesInterval.DAY
    : SeriesInterval.WEEK;
}

/** The buckets covering [from, to), or null when there would be more than MAX_SERIES_POINTS. */
export function seriesBuckets(from: Date, to: Date, interval: SeriesInterval): Bucket[] | null {
  if (bucketCount(from, to, interval) > MAX_SERIES_POINTS) return null;
  const step = intervalMs(interval);
  const origin = SERIES_ORIGIN.getTime();
  const buckets: Bucket[] = [];
  for (
    let key = origin + Math.floor((from.getTime() - origin) / step) * step;
    key < to.getTime();
    key += step
  ) {
    buckets.push({
      key,
      start: new Date(Math.max(key, from.getTime())),
      end: new Date(Math.min(key + step, to.getTime())),
    });
  }
  return buckets;
}

function seconds(from: Date, to: Date): Decimal {
  return new Exact(to.getTime() - from.getTime()).div(1000);
}

/**
 * The time-weighted average supply over [start, end), in minor units, from
 * the supply at `start` and the changes within the period: each change of
 * `delta` at instant t counts for the (end - t) seconds it lasted, so the
 * caller passes the sum of delta × (end - t) over the period's changes.
 */
export function averageSupplyMinor(
  supplyAtStartMinor: bigint,
  weightedChangesMinorSeconds: string,
  start: Date,
  end: Date,
): Decimal {
  const length = seconds(start, end);
  if (length.isZero()) return new Exact(supplyAtStartMinor.toString());
  return new Exact(supplyAtStartMinor.toString())
    .times(length)
    .plus(new Exact(weightedChangesMinorSeconds))
    .div(length);
}

/**
 * The weighted changes of a sub-period carried to a later end: a change that
 * lasted until `from` lasts `until - from` seconds longer.
 */
export function extendWeightedChanges(
  weightedChangesMinorSeconds: string,
  totalChangeMinor: bigint,
  from: Date,
  until: Date,
): string {
  return new Exact(weightedChangesMinorSeconds)
    .plus(new Exact(totalChangeMinor.toString()).times(seconds(from, until)))
    .toFixed();
}

/** The exact sum of two decimal texts. */
export function addExact(a: string, b: string): string {
  return new Exact(a).plus(new Exact(b)).toFixed();
}

/** An average supply as a decimal amount at the currency's scale, rounded half away from zero. */
export function formatAverage(averageMinor: Decimal, scale: number): string {
  return formatAmount(
    BigInt(averageMinor.toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toFixed(0)),
    scale,
  );
}

/** volume ÷ average supply, both in minor units; null when there was no supply to turn over. */
export function velocity(volumeMinor: bigint, averageMinor: Decimal): string | null {
  if (averageMinor.lte(0)) return null;
  return new Exact(volumeMinor.toString())
    .div(averageMinor)
    .toDecimalPlaces(VELOCITY_DECIMAL_PLACES, Decimal.ROUND_HALF_UP)
    .toFixed(VELOCITY_DECIMAL_PLACES);
}
