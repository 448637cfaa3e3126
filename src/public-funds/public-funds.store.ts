import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** Months on a public page, the current one included. */
export const PUBLIC_MONTHS = 12;

/** Approved disbursements listed on a public page, newest first. */
export const MAX_PUBLIC_DISBURSEMENTS = 50;

/** Published funds listed for one community. */
export const MAX_PUBLIC_FUNDS = 100;

export interface PublishedFundRow {
  account_id: string;
  name: string;
  currency_code: string;
  currency_name: string;
  scale: number;
  balance_minor: string;
  published_at: Date;
  approvals_required: number;
  steward_count: number;
}

export interface FundMonthRow {
  month: string;
  money_in: string;
  money_out: string;
  transfers_in: number;
  transfers_out: number;
}

/**
 * Every statement of the public fund pages, with bound parameters only. The
 * reads take aggregates of one FUND account and never select a column that
 * names or identifies a member (owner, counterparty, memo).
 */
@Injectable()
export class PublicFundsStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async publish(communityId: string, accountId: string, userId: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO public_fund_pages (community_id, account_id, published_by)
       VALUES ($1, $2, $3) ON CONFLICT (community_id, account_id) DO NOTHING`,
      [communityId, accountId, userId],
    );
  }

  async withdraw(communityId: string, accountId: string): Promise<void> {
    await this.dataSource.query(
      'DELETE FROM public_fund_pages WHERE community_id = $1 AND account_id = $2',
      [communityId, accountId],
    );
  }

  async publishedAt(communityId: string, accountId: string): Promise<Date | null> {
    const rows = await this.dataSource.query<Array<{ published_at: Date }>>(
      'SELECT published_at FROM public_fund_pages WHERE community_id = $1 AND account_id = $2',
      [communityId, accountId],
    );
    return rows[0]?.published_at ?? null;
  }

  /** The published funds of a community (or the one named), by name. */
  async published(communityId: string, accountId?: string): Promise<PublishedFundRow[]> {
    return this.dataSource.query<PublishedFundRow[]>(
      `SELECT a.id AS account_id, a.name, a.currency_code, c.name AS currency_name, c.scale,
              a.balance_minor::text AS balance_minor, p.published_at, f.approvals_required,
              (SELECT count(*)::int FROM fund_stewards s
                WHERE s.community_id = f.community_id AND s.account_id = f.account_id) AS steward_count
         FROM public_fund_pages p
         JOIN funds f ON f.community_id = p.community_id AND f.account_id = p.account_id
         JOIN accounts a ON a.community_id = p.community_id AND a.id = p.account_id
         JOIN currencies c ON c.community_id = a.community_id AND c.code = a.currency_code
        WHERE p.community_id = $1 AND ($2::uuid IS NULL OR p.account_id = $2::uuid)
        ORDER BY a.name, a.id
        LIMIT ${MAX_PUBLIC_FUNDS}`,
      [communityId, accountId ?? null],
    );
  }

  /** Money in and out of the fund per UTC month, the last PUBLIC_MONTHS months. */
  async months(communityId: string, accountId: string): Promise<FundMonthRow[]> {
    return this.dataSource.query<FundMonthRow[]>(
      `SELECT to_char(m.month, 'YYYY-MM') AS month,
              coalesce(sum(e.amount_minor) FILTER (WHERE e.amount_minor > 0), 0)::text AS money_in,
              coalesce(-sum(e.amount_minor) FILTER (WHERE e.amount_minor < 0), 0)::text AS money_out,
              count(DISTINCT e.transfer_id) FILTER (WHERE e.amount_minor > 0)::int AS transfers_in,
              count(DISTINCT e.transfer_id) FILTER (WHERE e.amount_minor < 0)::int AS transfers_out
         FROM generate_series(
                date_trunc('month', now() AT TIME ZONE 'UTC') - interval '${PUBLIC_MONTHS - 1} months',
                date_trunc('month', now() AT TIME ZONE 'UTC'),
                interval '1 month') AS m(month)
         LEFT JOIN entries e
           ON e.community_id = $1 AND e.account_id = $2
          AND e.posted_at >= (m.month AT TIME ZONE 'UTC')
          AND e.posted_at < ((m.month + interval '1 month') AT TIME ZONE 'UTC')
        GROUP BY m.month
        ORDER BY m.month`,
      [communityId, accountId],
    );
  }

  async pending(
    communityId: string,
    accountId: string,
  ): Promise<{ count: number; totalMinor: bigint }> {
    const [row] = await this.dataSource.query<Array<{ count: number; total: string }>>(
      `SELECT count(*)::int AS count, coalesce(sum(amount_minor), 0)::text AS total
         FROM transfers
        WHERE community_id = $1 AND from_account_id = $2 AND status = 'PENDING'
          AND (expires_at IS NULL OR expires_at > now())`,
      [communityId, accountId],
    );
    return { count: row.count, totalMinor: BigInt(row.total) };
  }

  async disbursements(
    communityId: string,
    accountId: string,
  ): Promise<Array<{ postedAt: Date; amountMinor: bigint }>> {
    const rows = await this.dataSource.query<Array<{ posted_at: Date; amount: string }>>(
      `SELECT posted_at, amount_minor::text AS amount
         FROM transfers
        WHERE community_id = $1 AND from_account_id = $2
          AND kind = 'DISBURSEMENT' AND status = 'POSTED'
        ORDER BY posted_at DESC, id DESC
        LIMIT ${MAX_PUBLIC_DISBURSEMENTS}`,
      [communityId, accountId],
    );
    return rows.map((row) => ({ postedAt: row.posted_at, amountMinor: BigInt(row.amount) }));
  }
}
