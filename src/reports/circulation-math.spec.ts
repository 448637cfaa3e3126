import Decimal from 'decimal.js';
import fc from 'fast-check';
import {
  averageSupplyMinor,
  defaultInterval,
  extendWeightedChanges,
  formatAverage,
  intervalMs,
  MAX_SERIES_POINTS,
  SeriesInterval,
  seriesBuckets,
  velocity,
} from './circulation-math';

const DAY = 86400_000;

describe('seriesBuckets', () => {
  it('splits a period at UTC midnights, clipping the first and last day', () => {
    const buckets = seriesBuckets(
      new Date('2026-03-01T18:00:00.000Z'),
      new Date('2026-03-03T06:30:00.000Z'),
      SeriesInterval.DAY,
    );
    expect(
      buckets?.map((bucket) => [bucket.start.toISOString(), bucket.end.toISOString()]),
    ).toEqual([
      ['2026-03-01T18:00:00.000Z', '2026-03-02T00:00:00.000Z'],
      ['2026-03-02T00:00:00.000Z', '2026-03-03T00:00:00.000Z'],
      ['2026-03-03T00:00:00.000Z', '2026-03-03T06:30:00.000Z'],
    ]);
    expect(buckets?.map((bucket) => new Date(bucket.key).toISOString())).toEqual([
      '2026-03-01T00:00:00.000Z',
      '2026-03-02T00:00:00.000Z',
      '2026-03-03T00:00:00.000Z',
    ]);
  });

  it('starts weeks on Monday 00:00 UTC', () => {
    // 2026-03-04 is a Wednesday; the Mondays after it are the 9th and the 16th.
    const buckets = seriesBuckets(
      new Date('2026-03-04T12:00:00.000Z'),
      new Date('2026-03-17T00:00:00.000Z'),
      SeriesInterval.WEEK,
    );
    expect(buckets?.map((bucket) => bucket.start.toISOString())).toEqual([
      '2026-03-04T12:00:00.000Z',
      '2026-03-09T00:00:00.000Z',
      '2026-03-16T00:00:00.000Z',
    ]);
    expect(new Date(buckets![0].key).toISOString()).toBe('2026-03-02T00:00:00.000Z');
  });

  it('covers any period with contiguous buckets, each inside one day or week', () => {
    const instant = fc.integer({ min: Date.UTC(2000, 0, 3), max: Date.UTC(2100, 0, 1) });
    fc.assert(
      fc.property(
        instant,
        fc.integer({ min: 1, max: 300 * DAY }),
        fc.constantFrom(SeriesInterval.DAY, SeriesInterval.WEEK),
        (start, length, interval) => {
          const buckets = seriesBuckets(new Date(start), new Date(start + length), interval);
          expect(buckets).not.toBeNull();
          expect(buckets![0].start.getTime()).toBe(start);
          expect(buckets![buckets!.length - 1].end.getTime()).toBe(start + length);
          buckets!.forEach((bucket, index) => {
            expect(bucket.start.getTime()).toBeLessThan(bucket.end.getTime());
            expect(bucket.start.getTime()).toBeGreaterThanOrEqual(bucket.key);
            expect(bucket.end.getTime()).toBeLessThanOrEqual(bucket.key + intervalMs(interval));
            if (index > 0) expect(bucket.start).toEqual(buckets![index - 1].end);
          });
        },
      ),
    );
  });

  it('refuses a series of more than the maximum number of points, and picks weeks for long periods', () => {
    const from = new Date('2026-01-01T00:00:00.000Z');
    const fits = new Date(from.getTime() + MAX_SERIES_POINTS * DAY);
    const tooLong = new Date(fits.getTime() + 1);
    expect(seriesBuckets(from, fits, SeriesInterval.DAY)).toHaveLength(MAX_SERIES_POINTS);
    expect(seriesBuckets(from, tooLong, SeriesInterval.DAY)).toBeNull();
    expect(defaultInterval(from, fits)).toBe(SeriesInterval.DAY);
    expect(defaultInterval(from, tooLong)).toBe(SeriesInterval.WEEK);
  });
});

describe('average supply and velocity', () => {
  const start = new Date('2026-03-01T00:00:00.000Z');
  const end = new Date('2026-03-01T00:01:40.000Z'); // 100 seconds

  it('weighs each change of supply by how long it lasted', () => {
    // 10.00 all along, plus 5.00 for the last 20 seconds: 10 + 5 × 20/100 = 11.00.
    expect(averageSupplyMinor(1000n, '10000', start, end).toFixed()).toBe('1100');
    expect(averageSupplyMinor(1000n, '0', start, end).toFixed()).toBe('1000');
    // A change lasting until the end of the first half lasts 50 seconds more until the end.
    expect(extendWeightedChanges('100', 2n, start, new Date(start.getTime() + 50_000))).toBe('200');
  });

  it('rounds the average to the scale half away from zero', () => {
    expect(formatAverage(new Decimal('1234.5'), 2)).toBe('12.35');
    expect(formatAverage(new Decimal('1234.4999'), 2)).toBe('12.34');
    expect(formatAverage(new Decimal('7'), 0)).toBe('7');
  });

  it('divides volume by the average supply to four places, half up, and has none without supply', () => {
    expect(velocity(1000n, new Decimal(3))).toBe('333.3333');
    expect(velocity(1n, new Decimal(32))).toBe('0.0313');
    expect(velocity(400n, new Decimal(1000))).toBe('0.4000');
    expect(velocity(400n, new Decimal(0))).toBeNull();
    expect(velocity(0n, new Decimal(5))).toBe('0.0000');
  });

  it('keeps a constant supply as its own average over any period', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 15n }),
        fc.integer({ min: 1, max: 10 * 365 * DAY }),
        (supply, length) => {
          const average = averageSupplyMinor(
            supply,
            '0',
            start,
            new Date(start.getTime() + length),
          );
          expect(average.toFixed()).toBe(supply.toString());
        },
      ),
    );
  });
});
