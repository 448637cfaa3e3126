import { INestApplication } from '@nestjs/common';
import { createCommunity, expectData } from '../support/factories';
import { createTestApp, gql } from '../support/test-app';
import { TransferKind } from '../../src/transfers/transfer.entity';
import {
  between,
  Books,
  codeOf,
  createMembers,
  Members,
  openBooks,
  post,
  postSystemTransfer,
  reverse,
  shift,
} from './report-helpers';

const FIGURES = `start end issued redeemed volume transferCount activeAccounts
  supplyAtStart supplyAtEnd averageSupply velocity`;

const CIRCULATION = `query($currencyCode: String!, $from: DateTime, $to: DateTime, $interval: SeriesInterval) {
  circulation(currencyCode: $currencyCode, from: $from, to: $to, interval: $interval) {
    currencyCode interval ${FIGURES}
    series { ${FIGURES} }
  }
}`;

interface Figures {
  start: string;
  end: string;
  issued: string;
  redeemed: string;
  volume: string;
  transferCount: number;
  activeAccounts: number;
  supplyAtStart: string;
  supplyAtEnd: string;
  averageSupply: string;
  velocity: string | null;
}

interface CirculationView extends Figures {
  currencyCode: string;
  interval: string;
  series: Figures[];
}

/** A change of supply (minor units) at an instant, with what it counts for. */
interface SupplyEvent {
  at: string;
  change: bigint;
  /** What the transfer adds to the volume. */
  volume: bigint;
}

const DAY_MS = 86400_000;

/**
 * The time-weighted average supply and the velocity, computed the plain way:
 * supply is a step function, integrated interval by interval in minor-unit
 * milliseconds, then divided and rounded half up.
 */
function expectedAverages(
  from: string,
  to: string,
  supplyAtStart: bigint,
  events: SupplyEvent[],
  volumeMinor: bigint,
): { averageSupply: string; velocity: string | null } {
  const start = BigInt(new Date(from).getTime());
  const end = BigInt(new Date(to).getTime());
  let supply = supplyAtStart;
  let since = start;
  let integral = 0n;
  for (const event of events) {
    const at = BigInt(new Date(event.at).getTime());
    if (at < start) {
      continue;
    }
    if (at >= end) break;
    integral += supply * (at - since);
    supply += event.change;
    since = at;
  }
  integral += supply * (end - since);
  const length = end - start;
  const halfUp = (numerator: bigint, denominator: bigint) =>
    (2n * numerator + denominator) / (2n * denominator);
  const averageMinor = halfUp(integral, length);
  const text = (minor: bigint, places: number) => {
    const digits = minor.toString().padStart(places + 1, '0');
    return `${digits.slice(0, -places)}.${digits.slice(-places)}`;
  };
  return {
    averageSupply: text(averageMinor, 2),
    velocity: integral === 0n ? null : text(halfUp(volumeMinor * 10_000n * length, integral), 4),
  };
}

describe('circulation', () => {
  let app: INestApplication;
  let members: Members;

  beforeAll(async () => {
    app = await createTestApp();
    members = await createMembers(app);
  });

  afterAll(async () => {
    await app.close();
  });

  function circulation(token: string, variables: Record<string, unknown>) {
    return gql<{ circulation: CirculationView }>(app, CIRCULATION, variables, token);
  }

  async function circulationOk(books: Books, variables: Record<string, unknown> = {}) {
    return expectData(
      await circulation(books.steward, { currencyCode: books.currency, ...variables }),
    ).circulation;
  }

  /**
   * 10.00 issued to alice; alice → bob 4.00; bob → carol 6.00 (bob goes to
   * -2.00); carol redeems 1.00; alice → bob is reversed. Supply (the sum of
   * positive balances) goes 0 → 10 → 10 → 12 → 11 → 15.
   */
  async function history(books: Books) {
    const { alice, bob, carol } = books;
    const issued = await postSystemTransfer(
      app,
      books,
      TransferKind.ISSUANCE,
      alice.accountId,
      '10.00',
    );
    const exchange = await post(app, alice.user.token, alice.accountId, bob.accountId, '4.00');
    const payment = await post(app, bob.user.token, bob.accountId, carol.accountId, '6.00', {
      kind: 'PAYMENT',
    });
    const redeemed = await postSystemTransfer(
      app,
      books,
      TransferKind.REDEMPTION,
      carol.accountId,
      '1.00',
    );
    const reversal = await reverse(app, books.steward, exchange.id);
    const events: SupplyEvent[] = [
      { at: issued.postedAt, change: 1000n, volume: 0n },
      { at: exchange.postedAt, change: 0n, volume: 400n },
      { at: payment.postedAt, change: 200n, volume: 600n },
      { at: redeemed.postedAt, change: -100n, volume: 0n },
      { at: reversal.postedAt, change: 400n, volume: 0n },
    ];
    return { issued, exchange, payment, redeemed, reversal, events };
  }

  it('measures a period: issued, redeemed, supply, volume, active accounts and velocity', async () => {
    const books = await openBooks(app, members);
    const { issued, reversal, events } = await history(books);
    const from = shift(issued.postedAt, -1000);
    const to = shift(reversal.postedAt, 1000);
    const view = await circulationOk(books, { from, to });
    expect(view).toMatchObject({
      currencyCode: books.currency,
      interval: 'DAY',
      start: from,
      end: to,
      issued: '10.00',
      redeemed: '1.00',
      // The exchange and the payment; the reversal undoes, it does not circulate.
      volume: '10.00',
      transferCount: 2,
      activeAccounts: 3,
      supplyAtStart: '0.00',
      supplyAtEnd: '15.00',
      ...expectedAverages(from, to, 0n, events, 1000n),
    });
    expect(view.velocity).not.toBeNull();
  });

  it('measures a period between transfers from the supply at its start', async () => {
    const books = await openBooks(app, members);
    const { exchange, payment, redeemed, reversal, events } = await history(books);
    const from = between(exchange.postedAt, payment.postedAt);
    const to = between(redeemed.postedAt, reversal.postedAt);
    const view = await circulationOk(books, { from, to });
    expect(view).toMatchObject({
      issued: '0.00',
      redeemed: '1.00',
      volume: '6.00',
      transferCount: 1,
      activeAccounts: 2,
      supplyAtStart: '10.00',
      supplyAtEnd: '11.00',
      ...expectedAverages(from, to, 1000n, events, 600n),
    });
  });

  it('counts a transfer in the period it posted, even when it is reversed later', async () => {
    const books = await openBooks(app, members);
    const { exchange, payment } = await history(books);
    const view = await circulationOk(books, {
      from: exchange.postedAt,
      to: payment.postedAt,
    });
    expect(view).toMatchObject({
      volume: '4.00',
      transferCount: 1,
      activeAccounts: 2,
      supplyAtStart: '10.00',
      supplyAtEnd: '10.00',
      averageSupply: '10.00',
      velocity: '0.4000',
    });
  });

  it('reports an empty period as zeros with no velocity', async () => {
    const books = await openBooks(app, members);
    const { issued } = await history(books);
    const view = await circulationOk(books, {
      from: shift(issued.postedAt, -2000),
      to: shift(issued.postedAt, -1000),
    });
    expect(view).toMatchObject({
      issued: '0.00',
      redeemed: '0.00',
      volume: '0.00',
      transferCount: 0,
      activeAccounts: 0,
      supplyAtStart: '0.00',
      supplyAtEnd: '0.00',
      averageSupply: '0.00',
      velocity: null,
    });
    for (const point of view.series) {
      expect(point).toMatchObject({ volume: '0.00', supplyAtEnd: '0.00', velocity: null });
    }
  });

  it('defaults to the whole life of the currency, until now', async () => {
    const books = await openBooks(app, members);
    const { reversal } = await history(books);
    const view = await circulationOk(books);
    expect(view).toMatchObject({
      issued: '10.00',
      redeemed: '1.00',
      volume: '10.00',
      transferCount: 2,
      supplyAtStart: '0.00',
      supplyAtEnd: '15.00',
    });
    expect(new Date(view.start).getTime()).toBeLessThan(new Date(reversal.postedAt).getTime());
    expect(new Date(view.end).getTime()).toBeGreaterThan(new Date(reversal.postedAt).getTime());
  });

  it('gives a daily series: every UTC day of the period, clipped to it, summing to the period', async () => {
    const books = await openBooks(app, members);
    const { issued, reversal, events } = await history(books);
    const from = shift(issued.postedAt, -2 * DAY_MS - 1234);
    const to = shift(reversal.postedAt, DAY_MS);
    const view = await circulationOk(books, { from, to, interval: 'DAY' });
    const midnights: string[] = [];
    for (
      let day = Math.floor(new Date(from).getTime() / DAY_MS) * DAY_MS + DAY_MS;
      day < new Date(to).getTime();
      day += DAY_MS
    ) {
      midnights.push(new Date(day).toISOString());
    }
    expect(view.series.map((point) => point.start)).toEqual([from, ...midnights]);
    expect(view.series.map((point) => point.end)).toEqual([...midnights, to]);
    let supply = 0n;
    for (const point of view.series) {
      const inside = events.filter((event) => event.at >= point.start && event.at < point.end);
      const volume = inside.reduce((sum, event) => sum + event.volume, 0n);
      expect(point).toMatchObject({
        volume: (Number(volume) / 100).toFixed(2),
        supplyAtStart: (Number(supply) / 100).toFixed(2),
        ...expectedAverages(point.start, point.end, supply, events, volume),
      });
      supply += inside.reduce((sum, event) => sum + event.change, 0n);
      expect(point.supplyAtEnd).toBe((Number(supply) / 100).toFixed(2));
    }
    const sum = (pick: (point: Figures) => string) =>
      view.series.reduce((total, point) => total + BigInt(pick(point).replace('.', '')), 0n);
    expect(sum((point) => point.volume)).toBe(1000n);
    expect(sum((point) => point.issued)).toBe(1000n);
    expect(sum((point) => point.redeemed)).toBe(100n);
    expect(view.series.reduce((total, point) => total + point.transferCount, 0)).toBe(2);
    expect(view.series.slice(0, 2)).toEqual(
      [0, 1].map((index) => ({
        start: index === 0 ? from : midnights[0],
        end: midnights[index],
        issued: '0.00',
        redeemed: '0.00',
        volume: '0.00',
        transferCount: 0,
        activeAccounts: 0,
        supplyAtStart: '0.00',
        supplyAtEnd: '0.00',
        averageSupply: '0.00',
        velocity: null,
      })),
    );
  });

  it('gives a weekly series on Mondays, and picks weeks itself for a long period', async () => {
    const books = await openBooks(app, members);
    const { reversal } = await history(books);
    const to = shift(reversal.postedAt, 1000);
    const from = shift(to, -20 * DAY_MS);
    const weekly = await circulationOk(books, { from, to, interval: 'WEEK' });
    expect(weekly.interval).toBe('WEEK');
    expect(weekly.series[0].start).toBe(from);
    for (const point of weekly.series.slice(1)) {
      const start = new Date(point.start);
      expect([start.getUTCDay(), start.getUTCHours(), start.getUTCMinutes()]).toEqual([1, 0, 0]);
    }
    expect(weekly.series.length).toBeGreaterThanOrEqual(3);
    expect(weekly.series.length).toBeLessThanOrEqual(4);
    expect(weekly.series[weekly.series.length - 1]).toMatchObject({
      end: to,
      supplyAtEnd: '15.00',
    });

    const long = await circulationOk(books, { from: shift(to, -500 * DAY_MS), to });
    expect(long.interval).toBe('WEEK');
    expect(long).toMatchObject({ volume: '10.00', supplyAtEnd: '15.00' });
    const refused = await circulation(books.steward, {
      currencyCode: books.currency,
      from: shift(to, -500 * DAY_MS),
      to,
      interval: 'DAY',
    });
    expect(codeOf(refused)).toBe('BAD_USER_INPUT');
  });

  it('is for stewards of the currency’s community', async () => {
    const books = await openBooks(app, members);
    expect(
      codeOf(await circulation(books.alice.user.token, { currencyCode: books.currency })),
    ).toBe('FORBIDDEN');
    const other = await createCommunity(app);
    expect(codeOf(await circulation(other.steward.token, { currencyCode: books.currency }))).toBe(
      'NOT_FOUND',
    );
    expect(codeOf(await gql(app, CIRCULATION, { currencyCode: books.currency }))).toBe(
      'UNAUTHENTICATED',
    );
    const now = new Date().toISOString();
    expect(
      codeOf(
        await circulation(books.steward, { currencyCode: books.currency, from: now, to: now }),
      ),
    ).toBe('BAD_USER_INPUT');
    expect(
      codeOf(
        await circulation(books.steward, {
          currencyCode: books.currency,
          to: '2001-01-01T00:00:00Z',
        }),
      ),
    ).toBe('BAD_USER_INPUT');
  });
});
