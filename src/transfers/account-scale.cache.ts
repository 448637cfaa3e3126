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

@Injectable()
export class AccountScaleCache {
  private readonly scales = new Map<string, number>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async scaleOf(communityId: string, accountId: string): Promise<number | undefined> {
    const key = `${communityId}/${accountId}`;
    const cached = this.scales.get(key);
    if (cached !== undefined) return cached;
    const rows = await this.dataSource.query<Array<{ scale: number }>>(
      `SELECT c.scale FROM accounts a
         JOIN currencies c ON c.community_id = a.community_id AND c.code = a.currency_code
        WHERE a.community_id = $1 AND a.id = $2`,
      [communityId, accountId],
    );
    const scale = rows[0]?.scale;
    if (scale === undefined) return undefined;
    if (this.scales.size >= MAX_CACHED_ACCOUNTS) {
      let dropped = 0;
      for (const staleKey of this.scales.keys()) {
        this.scales.delete(staleKey);
        if ((dropped += 1) >= MAX_CACHED_ACCOUNTS / 2) break;
      }
    }
    this.scales.set(key, scale);
    return scale;
  }
}
