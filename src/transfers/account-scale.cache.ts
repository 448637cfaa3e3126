import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/**
 * The scale of each account's currency, remembered: an account never changes
 * currency (a trigger refuses it) and a currency never changes scale, so the
 * answer can be kept for ever. It spares the transfer hot path a query to
 * parse the amount before the accounts are locked. Bounded; the oldest half
 * is dropped when full.
 */
export const MAX_CACHED_ACCOUNTS = 200_000;

/** Ids that are not UUIDs name no account; the query would refuse them. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class AccountScaleCache {
  private readonly scales = new Map<string, number>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async scaleOf(communityId: string, accountId: string): Promise<number | undefined> {
    const cached = this.scales.get(`${communityId}/${accountId}`);
    if (cached !== undefined) return cached;
    await this.load(communityId, [accountId]);
    return this.scales.get(`${communityId}/${accountId}`);
  }

  /**
   * Looks up, in one statement, the accounts not yet remembered: a batch
   * of transfers calls this first, so that its items find their scales
   * without a query each. Unknown accounts are left out.
   */
  async load(communityId: string, accountIds: readonly string[]): Promise<void> {
    const missing = [
      ...new Set(accountIds.filter((id) => !this.scales.has(`${communityId}/${id}`))),
    ].filter((id) => UUID.test(id));
    if (missing.length === 0) return;
    const rows = await this.dataSource.query<Array<{ id: string; scale: number }>>(
      `SELECT a.id, c.scale FROM accounts a
         JOIN currencies c ON c.community_id = a.community_id AND c.code = a.currency_code
        WHERE a.community_id = $1 AND a.id = ANY($2::uuid[])`,
      [communityId, missing],
    );
    if (this.scales.size + rows.length > MAX_CACHED_ACCOUNTS) {
      let dropped = 0;
      for (const staleKey of this.scales.keys()) {
        this.scales.delete(staleKey);
        if ((dropped += 1) >= MAX_CACHED_ACCOUNTS / 2) break;
      }
    }
    for (const row of rows) this.scales.set(`${communityId}/${row.id}`, row.scale);
  }
}
