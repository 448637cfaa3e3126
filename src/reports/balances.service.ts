import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccountEntity } from '../accounts/account.entity';
import { Actor } from '../access/actor';
import { CurrencyEntity } from '../currencies/currency.entity';
import { formatAmount } from '../ledger';
import { ReportScope } from './report-scope';

/**
 * Balances at an instant.
 *
 * The balance of an account as of an instant `at` is its balance after the
 * last of its entries posted at or before `at`, and zero when there is none.
 * Every entry stores that running balance (`balance_after_minor`), so the
 * answer is one backward step along the (community_id, account_id,
 * posted_at) index however long the account's history is: no entry is ever
 * summed. That relies on an account's entries being posted in sequence order
 * (posted_at never decreases along the sequence), which holds because the
 * posting engine reads the clock only after locking the account's row;
 * entries posted at the same instant are ordered by their sequence.
 *
 * Periods are half-open, [from, to): an entry posted exactly at `from`
 * belongs to the period and one posted exactly at `to` to the next, so
 * consecutive periods never count an entry twice. The balance before a
 * period ("opening") therefore counts entries strictly before `from`.
 *
 * The trial balance of a currency as of `at` lists every account of the
 * currency that existed then (opened at or before `at`, or holding an entry
 * by then) with its balance as of `at`, and the total. Double entry makes
 * that total zero (DESIGN.md, invariant 1); a total that is not zero means a
 * broken ledger and is reported in `problems`, never hidden. Without `at`
 * the stored current balances are listed.
 *
 * A currency may have any number of accounts, so the lines come a page at a
 * time (by kind, then name, then id; the cursor is that key of the last line
 * shown), while the total and the count of accounts are summed in SQL over
 * every account, and only when asked for.
 */

/** A point of an account's history: the newest entry up to some instant. */
export interface HistoryPoint {
  /** 0 when the account had no entry yet. */
  sequence: bigint;
  balanceAfterMinor: bigint;
}

export const NO_HISTORY: HistoryPoint = { sequence: 0n, balanceAfterMinor: 0n };

/**
 * SQL for the point of the account aliased `account` at the instant bound to
 * `instantParameter` (as pointAt: strictly before it, or at or before it when
 * `inclusive`), or its newest entry of all without one: a scalar subquery of
 * one index step, giving `[sequence, balance_after_minor]` as text[] or NULL.
 * Lets a report read the point in the statement that reads the account.
 */
export function pointSql(instantParameter: string | undefined, inclusive = false): string {
  const bound =
    instantParameter === undefined
      ? ''
      : `AND e.posted_at ${inclusive ? '<=' : '<'} ${instantParameter}`;
  const order =
    instantParameter === undefined ? 'e.sequence DESC' : 'e.posted_at DESC, e.sequence DESC';
  return `(SELECT ARRAY[e.sequence, e.balance_after_minor]::text[] FROM entries e
            WHERE e.community_id = account.community_id AND e.account_id = account.id ${bound}
            ORDER BY ${order} LIMIT 1)`;
}

/** The point read by pointSql. */
export function toPoint(value: unknown): HistoryPoint {
  if (value === null || value === undefined) return NO_HISTORY;
  if (
    !Array.isArray(value) ||
    value.length !== 2 ||
    typeof value[0] !== 'string' ||
    typeof value[1] !== 'string'
  ) {
    throw new Error(`not a history point: ${JSON.stringify(value)}`);
  }
  return { sequence: BigInt(value[0]), balanceAfterMinor: BigInt(value[1]) };
}

/** Which trial balance: a currency of the caller's community, now (`at` null) or as of `at`. */
export interface TrialBalanceScope {
  communityId: string;
  currency: CurrencyEntity;
  at: Date | null;
}

export interface TrialBalanceLineResult {
  account: AccountEntity;
  balanceMinor: bigint;
}

export interface TrialBalanceTotals {
  totalMinor: bigint;
  accountCount: number;
  problems: string[];
}

/**
 * Whether an account of the alias `account` belongs in the trial balance as
 * of `:trialAt` (see the top of this file): opened by then, or holding an
 * entry by then.
 */
const EXISTED_AT = `(account.created_at <= :trialAt OR EXISTS (
  SELECT 1 FROM entries e
   WHERE e.community_id = account.community_id AND e.account_id = account.id
     AND e.posted_at <= :trialAt))`;

@Injectable()
export class BalancesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly scope: ReportScope,
  ) {}

  /**
   * The newest entry posted at or before `instant` (`inclusive`) or strictly
   * before it: one index step backwards from `instant`.
   */
  async pointAt(
    communityId: string,
    accountId: string,
    instant: Date,
    inclusive: boolean,
  ): Promise<HistoryPoint> {
    const rows = await this.dataSource.query<
      Array<{ sequence: string; balance_after_minor: string }>
    >(
      `SELECT sequence, balance_after_minor FROM entries
        WHERE community_id = $1 AND account_id = $2 AND posted_at ${inclusive ? '<=' : '<'} $3
        ORDER BY posted_at DESC, sequence DESC LIMIT 1`,
      [communityId, accountId, instant],
    );
    return rowToPoint(rows[0]);
  }

  /** The account's newest entry of all, by its primary key. */
  async latestPoint(communityId: string, accountId: string): Promise<HistoryPoint> {
    const rows = await this.dataSource.query<
      Array<{ sequence: string; balance_after_minor: string }>
    >(
      `SELECT sequence, balance_after_minor FROM entries
        WHERE community_id = $1 AND account_id = $2
        ORDER BY sequence DESC LIMIT 1`,
      [communityId, accountId],
    );
    return rowToPoint(rows[0]);
  }

  async balanceAsOf(actor: Actor, accountId: string, at: Date): Promise<string> {
    const { currency, extras } = await this.scope.readableAccount(actor, accountId, {
      select: { point: pointSql(':balanceAt', true) },
      parameters: { balanceAt: at },
    });
    return formatAmount(toPoint(extras.point).balanceAfterMinor, currency.scale);
  }

  /** The trial balance of a currency of the caller's community (its lines and totals are read apart). */
  async trialBalance(
    actor: Actor,
    currencyCode: string,
    at: Date | undefined,
  ): Promise<TrialBalanceScope> {
    const currency = await this.scope.currency(actor, currencyCode);
    return { communityId: actor.communityId, currency, at: at ?? null };
  }

  /**
   * One page of the lines, with one extra line telling whether more follow:
   * a seek past `after` (kind, name, id of the last line shown) in that order.
   */
  async trialBalanceLines(
    scope: TrialBalanceScope,
    after: readonly [string, string, string] | undefined,
    size: number,
  ): Promise<TrialBalanceLineResult[]> {
    const query = this.dataSource
      .getRepository(AccountEntity)
      .createQueryBuilder('account')
      .where('account.communityId = :communityId AND account.currencyCode = :currencyCode', {
        communityId: scope.communityId,
        currencyCode: scope.currency.code,
      });
    if (after !== undefined) {
      query.andWhere(
        '(account.kind, account.name, account.id) > (:afterKind, :afterName, :afterId)',
        { afterKind: after[0], afterName: after[1], afterId: after[2] },
      );
    }
    if (scope.at !== null) {
      query
        .andWhere(EXISTED_AT)
        .addSelect(pointSql(':trialAt', true), 'point')
        .setParameter('trialAt', scope.at);
    }
    const { entities, raw } = await query
      .orderBy('account.kind', 'ASC')
      .addOrderBy('account.name', 'ASC')
      .addOrderBy('account.id', 'ASC')
      .limit(size + 1)
      .getRawAndEntities();
    if (scope.at === null) {
      return entities.map((account) => ({ account, balanceMinor: BigInt(account.balanceMinor) }));
    }
    const points = new Map(
      (raw as Array<{ account_id: string; point: unknown }>).map((row) => [
        row.account_id,
        toPoint(row.point),
      ]),
    );
    return entities.map((account) => ({
      account,
      balanceMinor: (points.get(account.id) ?? NO_HISTORY).balanceAfterMinor,
    }));
  }

  /** The total and the number of accounts, over every account of the trial balance. */
  async trialBalanceTotals(scope: TrialBalanceScope): Promise<TrialBalanceTotals> {
    const { currency, at } = scope;
    const query = this.dataSource
      .getRepository(AccountEntity)
      .createQueryBuilder('account')
      .select('count(*)::int', 'account_count')
      .where('account.communityId = :communityId AND account.currencyCode = :currencyCode', {
        communityId: scope.communityId,
        currencyCode: currency.code,
      });
    if (at === null) {
      query.addSelect('coalesce(sum(account.balance_minor), 0)::text', 'total');
    } else {
      query
        .addSelect(
          `coalesce(sum((SELECT e.balance_after_minor FROM entries e
              WHERE e.community_id = account.community_id AND e.account_id = account.id
                AND e.posted_at <= :trialAt
              ORDER BY e.posted_at DESC, e.sequence DESC LIMIT 1)), 0)::text`,
          'total',
        )
        .andWhere(EXISTED_AT)
        .setParameter('trialAt', at);
    }
    const row = await query.getRawOne<{ account_count: number; total: string }>();
    if (row === undefined) throw new Error('an aggregate without a row');
    const totalMinor = BigInt(row.total);
    const problems =
      totalMinor === 0n
        ? []
        : [
            `balances of ${currency.code}${at === null ? '' : ` as of ${at.toISOString()}`} sum to ${formatAmount(totalMinor, currency.scale)}, not zero`,
          ];
    return { totalMinor, accountCount: row.account_count, problems };
  }
}

function rowToPoint(
  row: { sequence: string; balance_after_minor: string } | undefined,
): HistoryPoint {
  if (row === undefined) return NO_HISTORY;
  return { sequence: BigInt(row.sequence), balanceAfterMinor: BigInt(row.balance_after_minor) };
}
