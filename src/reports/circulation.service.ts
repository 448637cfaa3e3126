import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import Decimal from 'decimal.js';
import { DataSource } from 'typeorm';
import { AccountEntity } from '../accounts/account.entity';
import { AccountKind } from '../ledger';
import { Actor } from '../access/actor';
import { invalidInput } from '../common/errors/app-error';
import { CurrencyEntity } from '../currencies/currency.entity';
import { TransferKind } from '../transfers/transfer.entity';
import { MAX_PENDING_MS } from '../transfers/transfers.service';
import {
  addExact,
  averageSupplyMinor,
  Bucket,
  defaultInterval,
  extendWeightedChanges,
  intervalSql,
  MAX_SERIES_POINTS,
  SERIES_ORIGIN,
  SeriesInterval,
  seriesBuckets,
} from './circulation-math';
import { checkPeriod, ReportScope } from './report-scope';

/**
 * Circulation of a currency over the period [from, to): `from` defaults to
 * the currency's creation, `to` to now.
 *
 * - supply at an instant: the money in circulation, the sum of the positive
 *   balances of all the currency's accounts (which, balances summing to
 *   zero, equals minus the sum of the negative ones). In a backed currency
 *   only the ISSUANCE account is below zero, so supply is what has been
 *   minted and not redeemed; in mutual credit it is the credit that members
 *   below zero have extended to the others. supplyAtStart counts entries
 *   before `from`, supplyAtEnd those before `to`.
 * - issued: every amount that left the ISSUANCE account in the period (money
 *   created); redeemed: every amount that entered it (money destroyed, by
 *   redemption or by reversing an issuance).
 * - volume and transferCount: the amounts and number of posted transfers of
 *   the period that circulate money, i.e. of every kind except ISSUANCE and
 *   REDEMPTION (which create and destroy it) and REVERSAL (which undoes a
 *   transfer). A transfer that is later reversed still counts in the period
 *   it was posted, so a closed period's figures never change.
 * - activeAccounts: MEMBER, SHOP and FUND accounts with at least one entry
 *   posted in the period.
 * - averageSupply: the time-weighted average of supply over the period:
 *   ∫ supply(t) dt ÷ (to − from), supply being constant between postings.
 *   Shown at the currency's scale, rounded half away from zero.
 * - velocity = volume ÷ averageSupply: how many times the average unit in
 *   circulation changed hands during the period (not annualised). Given to
 *   four decimal places, rounded half away from zero, from the exact average;
 *   null when the average supply is zero.
 * - series: the same figures per UTC day or per week (Monday to Monday,
 *   UTC), the first and last buckets clipped to the period, every bucket
 *   present even when nothing happened in it; supplyAtEnd is the supply at
 *   the bucket's end.
 *
 * A transfer belongs to the period it was posted in. Transfers are found
 * through ix_transfers_created: a transfer is created at most MAX_PENDING_MS
 * before it posts, so the transfers posted in [from, to) are among those
 * created in [from − MAX_PENDING_MS, to); their entries come through
 * ix_entries_transfer. Supply at an instant is one index step per account
 * (see balances.service.ts). The report asserts that supplyAtStart plus the
 * period's changes equals supplyAtEnd read directly.
 */

/** Transfer kinds that do not count as circulation (see volume above). */
const NOT_CIRCULATING = [TransferKind.ISSUANCE, TransferKind.REDEMPTION, TransferKind.REVERSAL];

/** Account kinds counted as active accounts. */
const ACTIVE_KINDS = [AccountKind.MEMBER, AccountKind.SHOP, AccountKind.FUND];

export interface CirculationFigures {
  start: Date;
  end: Date;
  issuedMinor: bigint;
  redeemedMinor: bigint;
  volumeMinor: bigint;
  transferCount: number;
  activeAccounts: number;
  supplyAtStartMinor: bigint;
  supplyAtEndMinor: bigint;
  averageSupplyMinor: Decimal;
}

export interface CirculationResult extends CirculationFigures {
  currency: CurrencyEntity;
  interval: SeriesInterval;
  series: CirculationFigures[];
}

interface TransferBucketRow {
  bucket: Date;
  transfer_count: number;
  volume: string;
}

interface EntryBucketRow {
  bucket: Date | null;
  issued: string;
  redeemed: string;
  supply_change: string;
  weighted_change: string;
  active_accounts: number;
}

@Injectable()
export class CirculationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly scope: ReportScope,
  ) {}

  async report(
    actor: Actor,
    currencyCode: string,
    fromArg: Date | undefined,
    toArg: Date | undefined,
    intervalArg: SeriesInterval | undefined,
  ): Promise<CirculationResult> {
    checkPeriod(fromArg, toArg);
    const currency = await this.scope.currency(actor, currencyCode);
    const to = toArg ?? new Date();
    const from = fromArg ?? currency.createdAt;
    if (from.getTime() >= to.getTime()) {
      throw invalidInput(
        'to',
        `to: must be later than from (${currency.code} was created at ${currency.createdAt.toISOString()})`,
      );
    }
    const interval = intervalArg ?? defaultInterval(from, to);
    const buckets = seriesBuckets(from, to, interval);
    if (buckets === null) {
      throw invalidInput(
        'interval',
        `interval: a series has at most ${MAX_SERIES_POINTS} points; ask for WEEK or a shorter period`,
      );
    }
    const communityId = actor.communityId;
    const issuance = await this.dataSource.getRepository(AccountEntity).findOneBy({
      communityId,
      currencyCode: currency.code,
      kind: AccountKind.ISSUANCE,
    });
    const [supplyAtStartMinor, supplyAtEndMinor, transferRows, entryRows] = await Promise.all([
      this.supplyBefore(communityId, currency.code, from),
      this.supplyBefore(communityId, currency.code, to),
      this.transferBuckets(communityId, currency.code, from, to, interval),
      this.entryBuckets(communityId, currency.code, from, to, interval, issuance?.id ?? null),
    ]);

    const transfersByKey = new Map(transferRows.map((row) => [row.bucket.getTime(), row]));
    const entriesByKey = new Map<number, EntryBucketRow>();
    let periodRow: EntryBucketRow | undefined;
    for (const row of entryRows) {
      if (row.bucket === null) periodRow = row;
      else entriesByKey.set(row.bucket.getTime(), row);
    }

    const series: CirculationFigures[] = [];
    let supply = supplyAtStartMinor;
    let periodWeighted = '0';
    for (const bucket of buckets) {
      const figures = bucketFigures(
        bucket,
        supply,
        transfersByKey.get(bucket.key),
        entriesByKey.get(bucket.key),
      );
      const entries = entriesByKey.get(bucket.key);
      if (entries !== undefined) {
        periodWeighted = addExact(
          periodWeighted,
          extendWeightedChanges(
            entries.weighted_change,
            BigInt(entries.supply_change),
            bucket.end,
            to,
          ),
        );
      }
      series.push(figures);
      supply = figures.supplyAtEndMinor;
    }
    if (supply !== supplyAtEndMinor) {
      throw new Error(
        `circulation of ${currency.code}: supply ${supplyAtStartMinor} plus the period's changes is ${supply}, but ${supplyAtEndMinor} is held at ${to.toISOString()}`,
      );
    }
    return {
      currency,
      interval,
      start: from,
      end: to,
      issuedMinor: BigInt(periodRow?.issued ?? '0'),
      redeemedMinor: BigInt(periodRow?.redeemed ?? '0'),
      volumeMinor: series.reduce((sum, point) => sum + point.volumeMinor, 0n),
      transferCount: series.reduce((sum, point) => sum + point.transferCount, 0),
      activeAccounts: periodRow?.active_accounts ?? 0,
      supplyAtStartMinor,
      supplyAtEndMinor,
      averageSupplyMinor: averageSupplyMinor(supplyAtStartMinor, periodWeighted, from, to),
      series,
    };
  }

  /** Supply before `instant`: the positive balances after every entry posted strictly before it. */
  private async supplyBefore(
    communityId: string,
    currencyCode: string,
    instant: Date,
  ): Promise<bigint> {
    const [row] = await this.dataSource.query<Array<{ supply: string }>>(
      `SELECT coalesce(sum(greatest(e.balance_after_minor, 0)), 0)::text AS supply
         FROM accounts a
         CROSS JOIN LATERAL (
           SELECT balance_after_minor FROM entries
            WHERE community_id = a.community_id AND account_id = a.id AND posted_at < $3
            ORDER BY posted_at DESC, sequence DESC LIMIT 1) e
        WHERE a.community_id = $1 AND a.currency_code = $2`,
      [communityId, currencyCode, instant],
    );
    return BigInt(row.supply);
  }

  /** The posted transfers of the period, with their bucket ($6 interval, $7 origin). */
  private periodTransfersSql(): string {
    return `SELECT t.id, t.kind, t.amount_minor, t.posted_at,
                   date_bin($6::interval, t.posted_at, $7::timestamptz) AS bucket
              FROM transfers t
             WHERE t.community_id = $1 AND t.created_at >= $3 AND t.created_at < $5
               AND t.currency_code = $2 AND t.status = 'POSTED'
               AND t.posted_at >= $4 AND t.posted_at < $5`;
  }

  private periodParameters(
    communityId: string,
    currencyCode: string,
    from: Date,
    to: Date,
    interval: SeriesInterval,
  ): unknown[] {
    return [
      communityId,
      currencyCode,
      new Date(from.getTime() - MAX_PENDING_MS),
      from,
      to,
      intervalSql(interval),
      SERIES_ORIGIN,
    ];
  }

  private transferBuckets(
    communityId: string,
    currencyCode: string,
    from: Date,
    to: Date,
    interval: SeriesInterval,
  ): Promise<TransferBucketRow[]> {
    return this.dataSource.query<TransferBucketRow[]>(
      `WITH period AS (${this.periodTransfersSql()})
       SELECT bucket,
              count(*) FILTER (WHERE kind <> ALL($8::varchar[]))::int AS transfer_count,
              coalesce(sum(amount_minor) FILTER (WHERE kind <> ALL($8::varchar[])), 0)::text AS volume
         FROM period GROUP BY bucket`,
      [...this.periodParameters(communityId, currencyCode, from, to, interval), NOT_CIRCULATING],
    );
  }

  /**
   * Per bucket, and for the whole period (the row whose bucket is null): the
   * ISSUANCE account's flows, the change of supply and its weight in
   * minor-unit seconds until the bucket's end, and the active accounts.
   */
  private entryBuckets(
    communityId: string,
    currencyCode: string,
    from: Date,
    to: Date,
    interval: SeriesInterval,
    issuanceAccountId: string | null,
  ): Promise<EntryBucketRow[]> {
    return this.dataSource.query<EntryBucketRow[]>(
      `WITH period AS (${this.periodTransfersSql()}),
       moves AS (
         SELECT p.bucket, e.account_id, e.posted_at, e.amount_minor, a.kind AS account_kind,
                greatest(e.balance_after_minor, 0) - greatest(e.balance_after_minor - e.amount_minor, 0)
                  AS supply_change
           FROM period p
           JOIN entries e ON e.community_id = $1 AND e.transfer_id = p.id
           JOIN accounts a ON a.community_id = $1 AND a.id = e.account_id)
       SELECT bucket,
              coalesce(sum(-amount_minor) FILTER (WHERE account_id = $8::uuid AND amount_minor < 0), 0)::text
                AS issued,
              coalesce(sum(amount_minor) FILTER (WHERE account_id = $8::uuid AND amount_minor > 0), 0)::text
                AS redeemed,
              coalesce(sum(supply_change), 0)::text AS supply_change,
              coalesce(sum(supply_change * extract(epoch FROM
                least(bucket + $6::interval, $5::timestamptz) - posted_at)), 0)::text AS weighted_change,
              count(DISTINCT account_id) FILTER (WHERE account_kind = ANY($9::varchar[]))::int
                AS active_accounts
         FROM moves
        GROUP BY GROUPING SETS ((bucket), ())`,
      [
        ...this.periodParameters(communityId, currencyCode, from, to, interval),
        issuanceAccountId,
        ACTIVE_KINDS,
      ],
    );
  }
}

function bucketFigures(
  bucket: Bucket,
  supplyAtStartMinor: bigint,
  transfers: TransferBucketRow | undefined,
  entries: EntryBucketRow | undefined,
): CirculationFigures {
  const supplyChange = BigInt(entries?.supply_change ?? '0');
  return {
    start: bucket.start,
    end: bucket.end,
    issuedMinor: BigInt(entries?.issued ?? '0'),
    redeemedMinor: BigInt(entries?.redeemed ?? '0'),
    volumeMinor: BigInt(transfers?.volume ?? '0'),
    transferCount: transfers?.transfer_count ?? 0,
    activeAccounts: entries?.active_accounts ?? 0,
    supplyAtStartMinor,
    supplyAtEndMinor: supplyAtStartMinor + supplyChange,
    averageSupplyMinor: averageSupplyMinor(
      supplyAtStartMinor,
      entries?.weighted_change ?? '0',
      bucket.start,
      bucket.end,
    ),
  };
}
