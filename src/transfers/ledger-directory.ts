import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { LedgerPolicy, readPolicy, StoredPolicyRules } from '../ledger';

/**
 * What the posting path remembers between commands, because it never
 * changes or because a stale answer is corrected under the locks:
 *
 * - each account's currency (a trigger refuses a change of currency);
 * - each currency's scale and ISSUANCE account (both fixed at creation);
 * - each currency's newest policy, as last seen. It only decides which
 *   accounts a command asks to lock before reading the policy in force
 *   under the locks; when that one names an account the stale one did not,
 *   the store locks it too (ledger-store.ts).
 *
 * Bounded: when full, the oldest half of the accounts is forgotten.
 */
export const MAX_CACHED_ACCOUNTS = 200_000;

/** Ids that are not UUIDs name no account or transfer; PostgreSQL would refuse them. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface CurrencyInfo {
  code: string;
  scale: number;
  issuanceAccountId: string | null;
  policy: LedgerPolicy | null;
}

/**
 * How the directory reads what it does not know yet. Inside a transaction it
 * must be that transaction's own connection: waiting for a second one from
 * the pool while holding row locks can stall every community (the locks may
 * be what the pool's other connections are queued on).
 */
export type Query = <T>(text: string, values: unknown[]) => Promise<T[]>;

@Injectable()
export class LedgerDirectory {
  private readonly accounts = new Map<string, string>();
  private readonly currencies = new Map<string, CurrencyInfo>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Reads on a pooled connection: for callers that hold no transaction. */
  private readonly poolQuery: Query = <T>(text: string, values: unknown[]) =>
    this.dataSource.query<T[]>(text, values);

  currencyOf(communityId: string, accountId: string): string | undefined {
    return this.accounts.get(`${communityId}/${accountId}`);
  }

  currency(communityId: string, code: string): CurrencyInfo | undefined {
    return this.currencies.get(`${communityId}/${code}`);
  }

  /** The scale of an account's currency, looked up once. */
  async scaleOf(communityId: string, accountId: string): Promise<number | undefined> {
    await this.load(communityId, [accountId]);
    const code = this.currencyOf(communityId, accountId);
    return code === undefined ? undefined : this.currency(communityId, code)?.scale;
  }

  /**
   * Learns, in one statement, the accounts not yet known and their
   * currencies (scale, ISSUANCE account, newest policy). Unknown ids are
   * left out.
   */
  async load(
    communityId: string,
    accountIds: readonly string[],
    query: Query = this.poolQuery,
  ): Promise<void> {
    const missing = [
      ...new Set(accountIds.filter((id) => !this.accounts.has(`${communityId}/${id}`))),
    ].filter((id) => UUID.test(id));
    if (missing.length === 0) return;
    const rows = await query<{ id: string; currency_code: string }>(
      'SELECT id, currency_code FROM accounts WHERE community_id = $1 AND id = ANY($2::uuid[])',
      [communityId, missing],
    );
    if (this.accounts.size + rows.length > MAX_CACHED_ACCOUNTS) {
      let dropped = 0;
      for (const staleKey of this.accounts.keys()) {
        this.accounts.delete(staleKey);
        if ((dropped += 1) >= MAX_CACHED_ACCOUNTS / 2) break;
      }
    }
    for (const row of rows) this.accounts.set(`${communityId}/${row.id}`, row.currency_code);
    await this.loadCurrencies(
      communityId,
      rows.map((row) => row.currency_code),
      query,
    );
  }

  /** Learns currencies not yet known, and the reserve currencies their policies name. */
  async loadCurrencies(
    communityId: string,
    codes: readonly string[],
    query: Query = this.poolQuery,
  ): Promise<void> {
    let wanted = [...new Set(codes)].filter(
      (code) => !this.currencies.has(`${communityId}/${code}`),
    );
    // A backed currency names its reserve currency: two rounds at most.
    for (let round = 0; round < 2 && wanted.length > 0; round += 1) {
      const rows = await query<{
        code: string;
        scale: number;
        issuance_account_id: string | null;
        version: number | null;
        rules: StoredPolicyRules | null;
      }>(
        `SELECT c.code, c.scale,
                (SELECT a.id FROM accounts a
                  WHERE a.community_id = c.community_id AND a.currency_code = c.code AND a.kind = 'ISSUANCE'
                  LIMIT 1) AS issuance_account_id,
                p.version, p.rules
           FROM currencies c
           LEFT JOIN LATERAL (
             SELECT version, rules FROM currency_policies cp
              WHERE cp.community_id = c.community_id AND cp.currency_code = c.code
              ORDER BY version DESC LIMIT 1) p ON true
          WHERE c.community_id = $1 AND c.code = ANY($2::varchar[])`,
        [communityId, wanted],
      );
      for (const row of rows) this.remember(communityId, row);
      wanted = rows
        .map((row) => row.rules?.reserveCurrencyCode ?? null)
        .filter((code): code is string => code !== null)
        .filter((code) => !this.currencies.has(`${communityId}/${code}`));
    }
  }

  /** Remembers a currency as read, e.g. with a newer policy seen under the locks. */
  remember(
    communityId: string,
    row: {
      code: string;
      scale: number;
      issuance_account_id: string | null;
      version: number | null;
      rules: StoredPolicyRules | null;
    },
  ): CurrencyInfo {
    const info: CurrencyInfo = {
      code: row.code,
      scale: row.scale,
      issuanceAccountId: row.issuance_account_id,
      policy:
        row.version === null || row.rules === null ? null : readPolicy(row.version, row.rules),
    };
    this.currencies.set(`${communityId}/${row.code}`, info);
    return info;
  }

  /** A currency's ISSUANCE account appears with the currency; forget a currency read before it. */
  forgetCurrency(communityId: string, code: string): void {
    this.currencies.delete(`${communityId}/${code}`);
  }
}
