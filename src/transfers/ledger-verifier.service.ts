import { Injectable, Logger } from '@nestjs/common';
import { TransferRecordJson, transferRecordOf } from './ledger-store';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  ChainCheckpoint,
  EntryHashVersion,
  GENESIS_HASH,
  HashedEntry,
  transferDigest,
  verifyAccountChain,
} from '../ledger';

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
  total_in_minor: string | null;
  total_out_minor: string | null;
  posted_at: Date;
  hash: string;
  hash_version: number;
  /** The transfer of a version-2 entry, as stored now: its digest must match what the entry hashed. */
  transfer: TransferRecordJson | null;
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
        Array<{
          id: string;
          balance_minor: string;
          entry_count: string;
          last_hash: string;
          total_in_minor: string;
          total_out_minor: string;
        }>
      >(
        `SELECT id, balance_minor, entry_count, last_hash, total_in_minor, total_out_minor FROM accounts
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
    account: {
      id: string;
      balance_minor: string;
      entry_count: string;
      last_hash: string;
      total_in_minor: string;
      total_out_minor: string;
    },
    report: (problem: string) => void,
  ): Promise<number> {
    let checkpoint: ChainCheckpoint | undefined;
    let checked = 0;
    let last: { sequence: number; hash: string; totalIn: string; totalOut: string } = {
      sequence: 0,
      hash: GENESIS_HASH,
      totalIn: '0',
      totalOut: '0',
    };
    for (;;) {
      const rows = await this.dataSource.query<EntryRow[]>(
        `SELECT e.sequence, e.transfer_id, e.amount_minor, e.balance_after_minor, e.total_in_minor,
                e.total_out_minor, e.posted_at, e.hash, e.hash_version,
                CASE WHEN e.hash_version >= 2 THEN json_build_object(
                  'currency_code', t.currency_code, 'kind', t.kind, 'amount_minor', t.amount_minor::text,
                  'from_account_id', t.from_account_id, 'to_account_id', t.to_account_id, 'legs', t.legs,
                  'memo', t.memo, 'initiated_by', t.initiated_by, 'idempotency_key', t.idempotency_key,
                  'request_fingerprint', t.request_fingerprint, 'reversal_of', t.reversal_of,
                  'forced', t.forced, 'created_at', t.created_at, 'expires_at', t.expires_at,
                  'policy_version', t.policy_version, 'payment_request_id', t.payment_request_id,
                  'refund_of', t.refund_of) END AS transfer
           FROM entries e
           LEFT JOIN transfers t ON t.community_id = e.community_id AND t.id = e.transfer_id
          WHERE e.community_id = $1 AND e.account_id = $2 AND e.sequence > $3
          ORDER BY e.sequence LIMIT $4`,
        [communityId, account.id, last.sequence, ENTRIES_PER_PAGE],
      );
      const entries: HashedEntry[] = rows.map((row) => {
        const version = row.hash_version as EntryHashVersion;
        return {
          communityId,
          accountId: account.id,
          sequence: Number(row.sequence),
          transferId: row.transfer_id,
          amountMinor: BigInt(row.amount_minor),
          balanceAfterMinor: BigInt(row.balance_after_minor),
          // A missing total reads as -1, which no running sum equals: it is reported.
          totalInMinor: BigInt(row.total_in_minor ?? '-1'),
          totalOutMinor: BigInt(row.total_out_minor ?? '-1'),
          postedAt: row.posted_at,
          hash: row.hash,
          hashVersion: version,
          ...(version >= 2
            ? { transferDigest: digestOf(communityId, row.transfer_id, row.transfer) }
            : {}),
        };
      });
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
        last = {
          sequence: tail.sequence,
          hash: tail.hash,
          totalIn: String(tail.totalInMinor),
          totalOut: String(tail.totalOutMinor),
        };
        checkpoint = {
          hash: tail.hash,
          sequence: tail.sequence,
          balanceAfterMinor: tail.balanceAfterMinor,
          hashVersion: tail.hashVersion,
          totalInMinor: tail.totalInMinor,
          totalOutMinor: tail.totalOutMinor,
        };
      }
      if (final) break;
    }
    if (String(last.sequence) !== account.entry_count || last.hash !== account.last_hash) {
      report(
        `account ${account.id}: chain head (${account.entry_count}) does not match its newest entry (${last.sequence})`,
      );
    }
    if (last.totalIn !== account.total_in_minor || last.totalOut !== account.total_out_minor) {
      report(`account ${account.id}: its running totals disagree with its newest entry`);
    }
    return checked;
  }
}

/**
 * The digest of a transfer as stored now, for a version-2 entry. A missing
 * transfer gives a digest no entry can have hashed, so the entry is reported.
 */
function digestOf(communityId: string, transferId: string, row: TransferRecordJson | null): string {
  if (row === null) return '0'.repeat(64);
  return transferDigest(transferRecordOf(communityId, transferId, row));
}
