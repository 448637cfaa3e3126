import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ChainCheckpoint, GENESIS_HASH, HashedEntry, verifyAccountChain } from '../ledger';

/**
 * verifyLedger: proves, from the stored rows alone, DESIGN.md's invariants
 * 1 (a currency's balances sum to zero), 2 (each transfer's entries sum to
 * zero), 3 (each balance is the sum of its entries, each balance-after the
 * running sum) and 8 (each account's hash chain is intact), plus that pending
 * totals match the pending transfers. It reads entries in pages, so a large
 * ledger is checked in bounded memory, and logs a progress line per thousand
 * accounts.
 */
export const MAX_PROBLEMS = 1000;
const ACCOUNTS_PER_PAGE = 500;
const ENTRIES_PER_PAGE = 5000;

export interface LedgerCheckResult {
  ok: boolean;
  problems: string[];
  accountsChecked: number;
  entriesChecked: number;
}

interface EntryRow {
  sequence: string;
  transfer_id: string;
  amount_minor: string;
  balance_after_minor: string;
  posted_at: Date;
  hash: string;
}

@Injectable()
export class LedgerVerifier {
  private readonly logger = new Logger('verifyLedger');

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async verify(communityId: string, currencyCode: string): Promise<LedgerCheckResult> {
    const problems: string[] = [];
    const report = (problem: string) => {
      if (problems.length < MAX_PROBLEMS) problems.push(problem);
    };

    const [totals] = await this.dataSource.query<Array<{ total: string | null }>>(
      `SELECT sum(balance_minor)::text AS total FROM accounts WHERE community_id = $1 AND currency_code = $2`,
      [communityId, currencyCode],
    );
    if (totals !== undefined && totals.total !== null && totals.total !== '0') {
      report(`balances of ${currencyCode} sum to ${totals.total} minor units, not zero`);
    }

    const unbalanced = await this.dataSource.query<Array<{ transfer_id: string; total: string }>>(
      `SELECT e.transfer_id, sum(e.amount_minor)::text AS total
         FROM entries e JOIN transfers t ON t.community_id = e.community_id AND t.id = e.transfer_id
        WHERE e.community_id = $1 AND t.currency_code = $2
        GROUP BY e.transfer_id HAVING sum(e.amount_minor) <> 0 LIMIT 100`,
      [communityId, currencyCode],
    );
    for (const row of unbalanced)
      report(`transfer ${row.transfer_id}: entries sum to ${row.total}, not zero`);

    const postedWithout = await this.dataSource.query<Array<{ id: string }>>(
      `SELECT t.id FROM transfers t
        WHERE t.community_id = $1 AND t.currency_code = $2 AND t.status = 'POSTED'
          AND NOT EXISTS (SELECT 1 FROM entries e WHERE e.community_id = t.community_id AND e.transfer_id = t.id)
        LIMIT 100`,
      [communityId, currencyCode],
    );
    for (const row of postedWithout) report(`transfer ${row.id}: posted but has no entries`);

    const pendingMismatch = await this.dataSource.query<Array<{ id: string }>>(
      `WITH held AS (
         SELECT (leg->>'accountId')::uuid AS account_id,
                sum(CASE WHEN (leg->>'amountMinor')::bigint < 0 THEN -(leg->>'amountMinor')::bigint ELSE 0 END) AS debit,
                sum(CASE WHEN (leg->>'amountMinor')::bigint > 0 THEN (leg->>'amountMinor')::bigint ELSE 0 END) AS credit
           FROM transfers t, jsonb_array_elements(t.legs) AS leg
          WHERE t.community_id = $1 AND t.currency_code = $2 AND t.status = 'PENDING'
          GROUP BY 1)
       SELECT a.id FROM accounts a LEFT JOIN held h ON h.account_id = a.id
        WHERE a.community_id = $1 AND a.currency_code = $2
          AND (a.pending_debit_minor <> coalesce(h.debit, 0) OR a.pending_credit_minor <> coalesce(h.credit, 0))
        LIMIT 100`,
      [communityId, currencyCode],
    );
    for (const row of pendingMismatch)
      report(`account ${row.id}: pending totals disagree with its pending transfers`);

    // What each account received in trade, for "earn your limit": EXCHANGE and
    // PAYMENT credits less the debits of their reversals.
    const receivedMismatch = await this.dataSource.query<Array<{ id: string }>>(
      `WITH received AS (
         SELECT e.account_id, sum(e.amount_minor) AS total
           FROM entries e
           JOIN transfers t ON t.community_id = e.community_id AND t.id = e.transfer_id
           LEFT JOIN transfers o ON o.community_id = t.community_id AND o.id = t.reversal_of
          WHERE e.community_id = $1 AND t.currency_code = $2
            AND ((t.kind IN ('EXCHANGE', 'PAYMENT') AND e.amount_minor > 0)
              OR (t.kind = 'REVERSAL' AND o.kind IN ('EXCHANGE', 'PAYMENT') AND e.amount_minor < 0))
          GROUP BY e.account_id)
       SELECT a.id FROM accounts a LEFT JOIN received r ON r.account_id = a.id
        WHERE a.community_id = $1 AND a.currency_code = $2
          AND a.received_minor <> GREATEST(0, coalesce(r.total, 0))
        ORDER BY a.id LIMIT 100`,
      [communityId, currencyCode],
    );
    for (const row of receivedMismatch)
      report(`account ${row.id}: its total received in trade disagrees with its entries`);

    let accountsChecked = 0;
    let entriesChecked = 0;
    let afterId = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const accounts = await this.dataSource.query<
        Array<{ id: string; balance_minor: string; entry_count: string; last_hash: string }>
      >(
        `SELECT id, balance_minor, entry_count, last_hash FROM accounts
          WHERE community_id = $1 AND currency_code = $2 AND id > $3 ORDER BY id LIMIT $4`,
        [communityId, currencyCode, afterId, ACCOUNTS_PER_PAGE],
      );
      if (accounts.length === 0) break;
      for (const account of accounts) {
        entriesChecked += await this.verifyAccount(communityId, account, report);
        accountsChecked += 1;
        if (accountsChecked % 1000 === 0) {
          this.logger.log(
            `${currencyCode}: ${accountsChecked} accounts, ${entriesChecked} entries checked`,
          );
        }
      }
      afterId = accounts[accounts.length - 1].id;
    }
    return { ok: problems.length === 0, problems, accountsChecked, entriesChecked };
  }

  private async verifyAccount(
    communityId: string,
    account: { id: string; balance_minor: string; entry_count: string; last_hash: string },
    report: (problem: string) => void,
  ): Promise<number> {
    let checkpoint: ChainCheckpoint | undefined;
    let checked = 0;
    let last: { sequence: number; hash: string } = { sequence: 0, hash: GENESIS_HASH };
    for (;;) {
      const rows = await this.dataSource.query<EntryRow[]>(
        `SELECT sequence, transfer_id, amount_minor, balance_after_minor, posted_at, hash FROM entries
          WHERE community_id = $1 AND account_id = $2 AND sequence > $3 ORDER BY sequence LIMIT $4`,
        [communityId, account.id, last.sequence, ENTRIES_PER_PAGE],
      );
      const entries: HashedEntry[] = rows.map((row) => ({
        communityId,
        accountId: account.id,
        sequence: Number(row.sequence),
        transferId: row.transfer_id,
        amountMinor: BigInt(row.amount_minor),
        balanceAfterMinor: BigInt(row.balance_after_minor),
        postedAt: row.posted_at,
        hash: row.hash,
      }));
      const final = rows.length < ENTRIES_PER_PAGE;
      const problems = verifyAccountChain(
        entries,
        final ? { accountId: account.id, balanceMinor: BigInt(account.balance_minor) } : undefined,
        checkpoint,
      );
      problems.forEach(report);
      checked += entries.length;
      if (entries.length > 0) {
        const tail = entries[entries.length - 1];
        last = { sequence: tail.sequence, hash: tail.hash };
        checkpoint = {
          hash: tail.hash,
          sequence: tail.sequence,
          balanceAfterMinor: tail.balanceAfterMinor,
        };
      }
      if (final) break;
    }
    if (String(last.sequence) !== account.entry_count || last.hash !== account.last_hash) {
      report(
        `account ${account.id}: chain head (${account.entry_count}) does not match its newest entry (${last.sequence})`,
      );
    }
    return checked;
  }
}
