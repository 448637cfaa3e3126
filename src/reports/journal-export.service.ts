import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryRunner } from 'typeorm';
import { AppError } from '../common/errors/app-error';
import { CurrencyEntity } from '../currencies/currency.entity';
import { formatAmount } from '../ledger';
import { TransferKind } from '../transfers/transfer.entity';
import { MAX_PENDING_MS } from '../transfers/transfers.service';
import {
  counterpartyOf,
  CSV_COLUMNS,
  csvRow,
  csvText,
  JournalAccount,
  ledgerAccountDirective,
  ledgerAccountNames,
  ledgerTransaction,
} from './journal-format';

/**
 * Exports of a currency's books for the period [from, to) (either end may be
 * left open): every posted transfer of the period with all its entries, as
 * CSV or as an hledger/ledger-cli journal (formats in journal-format.ts).
 *
 * An export is read inside one REPEATABLE READ, READ ONLY transaction, so it
 * is one consistent snapshot even while transfers keep posting: a LEDGER
 * export without `from` gives, through `hledger balance`, exactly the trial
 * balance as of its end. With `from`, a LEDGER export opens with an
 * "Opening balances" transaction dated `from` that carries every non-zero
 * balance before it (they sum to zero, so it balances), so `hledger balance`
 * still agrees with the trial balance; the CSV has entries only, and each row
 * carries its running balance.
 *
 * Nothing is held in memory but the currency's accounts (for their names)
 * and one page of EXPORT_PAGE_SIZE transfers: pages are keyset reads of
 * ix_transfers_created in (created_at, id) order, with each page's entries
 * read through ix_entries_transfer, and each page is written out before the
 * next is read. Transfers thus appear in the order they were created, each
 * dated by when it posted (the same instant, except for transfers that were
 * pending first); a transfer is created at most MAX_PENDING_MS before it
 * posts, which bounds how far back the read starts.
 */

export enum JournalFormat {
  CSV = 'CSV',
  LEDGER = 'LEDGER',
}

/** Transfers read per page. */
export const EXPORT_PAGE_SIZE = 2000;

/** Entries (CSV rows or postings) that exportJournal returns inline; larger exports are downloaded. */
export const MAX_INLINE_EXPORT_ENTRIES = 10_000;

const ACCOUNTS_PAGE_SIZE = 5000;

export interface JournalRequest {
  communityId: string;
  currency: CurrencyEntity;
  from: Date | undefined;
  to: Date | undefined;
  format: JournalFormat;
}

/** Receives the export's text in order; a returned promise holds the next page back until it resolves. */
export type JournalSink = (chunk: string) => Promise<void> | void;

interface TransferRow {
  id: string;
  kind: TransferKind;
  memo: string | null;
  from_account_id: string;
  to_account_id: string;
  reversal_of: string | null;
  posted_at: Date;
  created_key: string;
}

interface EntryRow {
  transfer_id: string;
  account_id: string;
  sequence: string;
  amount_minor: string;
  balance_after_minor: string;
}

/** The path that downloads the same export over HTTP. */
export function downloadPath(request: Omit<JournalRequest, 'communityId'>): string {
  const query = new URLSearchParams();
  if (request.from !== undefined) query.set('from', request.from.toISOString());
  if (request.to !== undefined) query.set('to', request.to.toISOString());
  const extension = request.format === JournalFormat.CSV ? 'csv' : 'journal';
  const search = query.toString();
  return `/exports/${request.currency.code}.${extension}${search === '' ? '' : `?${search}`}`;
}

@Injectable()
export class JournalExportService {
  /** Transfers per page and the inline limit; tests lower them to cross both boundaries cheaply. */
  pageSize = EXPORT_PAGE_SIZE;
  maxInlineEntries = MAX_INLINE_EXPORT_ENTRIES;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The whole export as one string, refused past maxInlineEntries entries. */
  async inline(request: JournalRequest): Promise<string> {
    const chunks: string[] = [];
    await this.write(
      request,
      (chunk) => {
        chunks.push(chunk);
      },
      this.maxInlineEntries,
    );
    return chunks.join('');
  }

  /** Writes the export to `sink` page by page; `maxEntries` refuses a larger export. */
  async write(
    request: JournalRequest,
    sink: JournalSink,
    maxEntries = Number.POSITIVE_INFINITY,
  ): Promise<void> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction('REPEATABLE READ');
      await runner.query('SET TRANSACTION READ ONLY');
      await this.writeSnapshot(runner, request, sink, maxEntries);
      await runner.commitTransaction();
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
  }

  private async writeSnapshot(
    runner: QueryRunner,
    request: JournalRequest,
    sink: JournalSink,
    maxEntries: number,
  ): Promise<void> {
    const { communityId, currency, format } = request;
    const accounts = await this.accounts(runner, communityId, currency.code);
    const byId = new Map(accounts.map((account) => [account.id, account]));
    const names = ledgerAccountNames(accounts);
    let written = 0;
    const count = (entries: number) => {
      written += entries;
      if (written > maxEntries) {
        throw new AppError(
          'INVALID_INPUT',
          `The export holds more than ${maxEntries} entries: download it from ${downloadPath(request)} (same Authorization header), or ask for a shorter period`,
          { field: 'to', maxEntries, downloadPath: downloadPath(request) },
        );
      }
    };

    if (format === JournalFormat.CSV) {
      await sink(csvRow(CSV_COLUMNS));
    } else {
      await sink(this.ledgerHeader(request, accounts, names));
      if (request.from !== undefined) {
        const opening = await this.openingBalances(runner, request, request.from);
        count(opening.length);
        if (opening.length > 0) {
          await sink(
            ledgerTransaction(
              {
                date: request.from,
                code: 'OPENING',
                description: 'Opening balances',
                tags: [['balances_before', request.from.toISOString()]],
                postings: opening.map((line) => ({
                  account: names.get(line.accountId)!,
                  amountMinor: line.balanceMinor,
                })),
              },
              currency.scale,
              currency.code,
            ),
          );
        }
      }
    }

    let cursor: [string, string] | null = null;
    for (;;) {
      const transfers = await this.transferPage(runner, request, cursor);
      if (transfers.length === 0) break;
      const entries = await this.entriesOf(runner, communityId, transfers);
      count([...entries.values()].reduce((sum, legs) => sum + legs.length, 0));
      let text = '';
      for (const transfer of transfers) {
        const legs = entries.get(transfer.id) ?? [];
        if (legs.length === 0) throw new Error(`posted transfer ${transfer.id} has no entries`);
        text +=
          format === JournalFormat.CSV
            ? this.csvRows(transfer, legs, byId, currency)
            : this.ledgerEntry(transfer, legs, names, currency);
      }
      await sink(text);
      const last = transfers[transfers.length - 1];
      cursor = [last.created_key, last.id];
      if (transfers.length < this.pageSize) break;
    }
  }

  private async accounts(
    runner: QueryRunner,
    communityId: string,
    currencyCode: string,
  ): Promise<JournalAccount[]> {
    const accounts: JournalAccount[] = [];
    let afterId = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows = await runner.manager.query<JournalAccount[]>(
        `SELECT id, kind, name FROM accounts
          WHERE community_id = $1 AND currency_code = $2 AND id > $3 ORDER BY id LIMIT $4`,
        [communityId, currencyCode, afterId, ACCOUNTS_PAGE_SIZE],
      );
      accounts.push(...rows);
      if (rows.length < ACCOUNTS_PAGE_SIZE) return accounts;
      afterId = rows[rows.length - 1].id;
    }
  }

  /** Every non-zero balance before `from`, by account id. */
  private async openingBalances(
    runner: QueryRunner,
    request: JournalRequest,
    from: Date,
  ): Promise<Array<{ accountId: string; balanceMinor: bigint }>> {
    const rows = await runner.manager.query<Array<{ id: string; balance: string }>>(
      `SELECT a.id, e.balance_after_minor AS balance
         FROM accounts a
         CROSS JOIN LATERAL (
           SELECT balance_after_minor FROM entries
            WHERE community_id = a.community_id AND account_id = a.id AND posted_at < $3
            ORDER BY posted_at DESC, sequence DESC LIMIT 1) e
        WHERE a.community_id = $1 AND a.currency_code = $2 AND e.balance_after_minor <> 0
        ORDER BY e.balance_after_minor, a.id`,
      [request.communityId, request.currency.code, from],
    );
    return rows.map((row) => ({ accountId: row.id, balanceMinor: BigInt(row.balance) }));
  }

  private transferPage(
    runner: QueryRunner,
    request: JournalRequest,
    cursor: [string, string] | null,
  ): Promise<TransferRow[]> {
    const parameters: unknown[] = [request.communityId, request.currency.code];
    const conditions = ['t.community_id = $1', 't.currency_code = $2', `t.status = 'POSTED'`];
    const add = (condition: (index: number) => string, ...values: unknown[]) => {
      conditions.push(condition(parameters.length + 1));
      parameters.push(...values);
    };
    if (request.from !== undefined) {
      add((i) => `t.created_at >= $${i}`, new Date(request.from.getTime() - MAX_PENDING_MS));
      add((i) => `t.posted_at >= $${i}`, request.from);
    }
    if (request.to !== undefined) {
      add((i) => `t.created_at < $${i}`, request.to);
      add((i) => `t.posted_at < $${i}`, request.to);
    }
    if (cursor !== null) {
      add((i) => `(t.created_at, t.id) > ($${i}::timestamptz, $${i + 1}::uuid)`, ...cursor);
    }
    parameters.push(this.pageSize);
    return runner.manager.query<TransferRow[]>(
      `SELECT t.id, t.kind, t.memo, t.from_account_id, t.to_account_id, t.reversal_of, t.posted_at,
              t.created_at::text AS created_key
         FROM transfers t
        WHERE ${conditions.join(' AND ')}
        ORDER BY t.created_at, t.id
        LIMIT $${parameters.length}`,
      parameters,
    );
  }

  private async entriesOf(
    runner: QueryRunner,
    communityId: string,
    transfers: TransferRow[],
  ): Promise<Map<string, EntryRow[]>> {
    const rows = await runner.manager.query<EntryRow[]>(
      `SELECT transfer_id, account_id, sequence, amount_minor, balance_after_minor
         FROM entries
        WHERE community_id = $1 AND transfer_id = ANY($2::uuid[])
        ORDER BY transfer_id, amount_minor, account_id`,
      [communityId, transfers.map((transfer) => transfer.id)],
    );
    const byTransfer = new Map<string, EntryRow[]>();
    for (const row of rows) {
      const legs = byTransfer.get(row.transfer_id) ?? [];
      legs.push(row);
      byTransfer.set(row.transfer_id, legs);
    }
    return byTransfer;
  }

  private ledgerHeader(
    request: JournalRequest,
    accounts: JournalAccount[],
    names: ReadonlyMap<string, string>,
  ): string {
    const { currency } = request;
    const lines = [
      `; Mutua journal of ${currency.code} (${currency.name.replace(/[\r\n]+/g, ' ')}), ${currency.scale} decimal places`,
      `; Transfers posted from ${request.from?.toISOString() ?? 'the beginning'} until ${request.to?.toISOString() ?? 'the time of export'}`,
      '; One transaction per transfer, one posting per entry; tags: transfer id, exact posting instant',
      '',
    ];
    const directives = [...accounts]
      .sort((a, b) => (names.get(a.id)! < names.get(b.id)! ? -1 : 1))
      .map((account) => ledgerAccountDirective(names.get(account.id)!, account));
    return `${lines.join('\n')}\n${directives.join('')}\n`;
  }

  private ledgerEntry(
    transfer: TransferRow,
    legs: EntryRow[],
    names: ReadonlyMap<string, string>,
    currency: CurrencyEntity,
  ): string {
    const tags: Array<[string, string]> = [
      ['transfer', transfer.id],
      ['posted', transfer.posted_at.toISOString()],
    ];
    if (transfer.reversal_of !== null) tags.push(['reverses', transfer.reversal_of]);
    return ledgerTransaction(
      {
        date: transfer.posted_at,
        code: transfer.kind,
        description: transfer.memo ?? '',
        tags,
        postings: legs.map((leg) => {
          const name = names.get(leg.account_id);
          if (name === undefined) throw new Error(`entry of unknown account ${leg.account_id}`);
          return { account: name, amountMinor: BigInt(leg.amount_minor) };
        }),
      },
      currency.scale,
      currency.code,
    );
  }

  private csvRows(
    transfer: TransferRow,
    legs: EntryRow[],
    accounts: ReadonlyMap<string, JournalAccount>,
    currency: CurrencyEntity,
  ): string {
    const ends = { fromAccountId: transfer.from_account_id, toAccountId: transfer.to_account_id };
    return legs
      .map((leg) => {
        const account = accounts.get(leg.account_id);
        if (account === undefined) throw new Error(`entry of unknown account ${leg.account_id}`);
        return csvRow([
          transfer.id,
          transfer.posted_at.toISOString(),
          transfer.kind,
          currency.code,
          account.id,
          account.kind,
          csvText(account.name),
          counterpartyOf(account.id, ends),
          formatAmount(BigInt(leg.amount_minor), currency.scale),
          formatAmount(BigInt(leg.balance_after_minor), currency.scale),
          leg.sequence,
          csvText(transfer.memo),
          transfer.reversal_of ?? '',
        ]);
      })
      .join('');
  }
}
