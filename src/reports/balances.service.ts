import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccountEntity } from '../accounts/account.entity';
import { Actor } from '../auth/actor';
import { AppError } from '../common/errors/app-error';
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
 */

/** The most accounts a trial balance lists; larger books are read through the export. */
export const MAX_TRIAL_BALANCE_ACCOUNTS = 10_000;

/** A point of an account's history: the newest entry up to some instant. */
export interface HistoryPoint {
  /** 0 when the account had no entry yet. */
  sequence: bigint;
  balanceAfterMinor: bigint;
}

const NO_HISTORY: HistoryPoint = { sequence: 0n, balanceAfterMinor: 0n };

export interface TrialBalanceResult {
  currency: CurrencyEntity;
  at: Date | null;
  lines: Array<{ account: AccountEntity; balanceMinor: bigint }>;
  totalMinor: bigint;
  problems: string[];
}

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
    return toPoint(rows[0]);
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
    return toPoint(rows[0]);
  }

  async balanceAsOf(actor: Actor, accountId: string, at: Date): Promise<string> {
    const { account, currency } = await this.scope.readableAccount(actor, accountId);
    const point = await this.pointAt(account.communityId, account.id, at, true);
    return formatAmount(point.balanceAfterMinor, currency.scale);
  }

  /**
   * Each account's balance as of `instant` (counting entries posted at it when
   * `inclusive`), or null for an account without an entry by then; one index
   * step per account.
   */
  async balancesAt(
    communityId: string,
    currencyCode: string,
    instant: Date,
    inclusive: boolean,
  ): Promise<Map<string, bigint | null>> {
    const rows = await this.dataSource.query<Array<{ id: string; balance: string | null }>>(
      `SELECT a.id, e.balance_after_minor AS balance
         FROM accounts a
         LEFT JOIN LATERAL (
           SELECT balance_after_minor FROM entries
            WHERE community_id = a.community_id AND account_id = a.id
              AND posted_at ${inclusive ? '<=' : '<'} $3
            ORDER BY posted_at DESC, sequence DESC LIMIT 1) e ON true
        WHERE a.community_id = $1 AND a.currency_code = $2`,
      [communityId, currencyCode, instant],
    );
    return new Map(rows.map((row) => [row.id, row.balance === null ? null : BigInt(row.balance)]));
  }

  async trialBalance(
    actor: Actor,
    currencyCode: string,
    at: Date | undefined,
  ): Promise<TrialBalanceResult> {
    const currency = await this.scope.currency(actor, currencyCode);
    const accounts = await this.dataSource.getRepository(AccountEntity).find({
      where: { communityId: actor.communityId, currencyCode: currency.code },
      order: { kind: 'ASC', name: 'ASC', id: 'ASC' },
      take: MAX_TRIAL_BALANCE_ACCOUNTS + 1,
    });
    if (accounts.length > MAX_TRIAL_BALANCE_ACCOUNTS) {
      throw new AppError(
        'INVALID_INPUT',
        `${currency.code} has more than ${MAX_TRIAL_BALANCE_ACCOUNTS} accounts: download the books from GET /exports/${currency.code}.csv instead`,
        { field: 'currencyCode', maxAccounts: MAX_TRIAL_BALANCE_ACCOUNTS },
      );
    }
    let lines: TrialBalanceResult['lines'];
    if (at === undefined) {
      lines = accounts.map((account) => ({ account, balanceMinor: BigInt(account.balanceMinor) }));
    } else {
      const balances = await this.balancesAt(actor.communityId, currency.code, at, true);
      lines = accounts
        .filter(
          (account) =>
            (balances.get(account.id) ?? null) !== null ||
            account.createdAt.getTime() <= at.getTime(),
        )
        .map((account) => ({ account, balanceMinor: balances.get(account.id) ?? 0n }));
    }
    const totalMinor = lines.reduce((sum, line) => sum + line.balanceMinor, 0n);
    const problems =
      totalMinor === 0n
        ? []
        : [
            `balances of ${currency.code}${at === undefined ? '' : ` as of ${at.toISOString()}`} sum to ${formatAmount(totalMinor, currency.scale)}, not zero`,
          ];
    return { currency, at: at ?? null, lines, totalMinor, problems };
  }
}

function toPoint(row: { sequence: string; balance_after_minor: string } | undefined): HistoryPoint {
  if (row === undefined) return NO_HISTORY;
  return { sequence: BigInt(row.sequence), balanceAfterMinor: BigInt(row.balance_after_minor) };
}
