import { formatAmount } from '../ledger';

/**
 * The two text formats of the journal export, as pure functions of plain
 * values (the export service reads the rows and calls these).
 *
 * CSV: one row per entry under a header row, fields separated by commas and
 * rows ended by CRLF, as RFC 4180 has it. A field holding a comma, a double
 * quote, CR or LF is enclosed in double quotes, with inner quotes doubled.
 * Free text typed by people (account names, memos) that starts with = + - @,
 * a tab or CR is prefixed with a single quote, so that a spreadsheet opening
 * the file shows it as text instead of running it as a formula (OWASP's
 * advice on CSV injection); amounts and ids are never altered.
 *
 * LEDGER: a plain-text journal that hledger and ledger-cli both read. One
 * transaction per posted transfer, dated by the UTC day it was posted, with
 * the transfer kind as its code, the memo as its description, and the
 * transfer id and exact posting instant as tags; one posting per entry, with
 * the amount at the currency's scale followed by the currency code as
 * commodity (`-2.50 HOUR`). Account names are `kind:slug-xxxxxxxx`: the
 * account kind in lower case, the account's name reduced to lower-case
 * letters, digits and dashes (hledger ends an account name at two spaces and
 * gives meaning to ; ( ) [ ] and :), and the first eight hex digits of the
 * account id, so that two accounts called "Ana" stay apart and a name never
 * changes from one export to the next. Should two accounts of one export
 * still share a name, both use their whole id instead.
 */

export interface JournalAccount {
  id: string;
  kind: string;
  name: string;
}

/** Longest slug taken from an account's name, in characters. */
export const MAX_NAME_SLUG_LENGTH = 40;

/** Lower-case letters (any script), digits and single dashes; `account` when nothing is left. */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  const shortened = Array.from(slug).slice(0, MAX_NAME_SLUG_LENGTH).join('').replace(/-+$/, '');
  return shortened === '' ? 'account' : shortened;
}

function ledgerName(account: JournalAccount, idPart: string): string {
  return `${account.kind.toLowerCase()}:${slugify(account.name)}-${idPart}`;
}

/** The journal name of each account, unique within the given accounts. */
export function ledgerAccountNames(accounts: readonly JournalAccount[]): Map<string, string> {
  const short = new Map<string, string>();
  const holders = new Map<string, number>();
  for (const account of accounts) {
    const name = ledgerName(account, account.id.replace(/-/g, '').slice(0, 8));
    short.set(account.id, name);
    holders.set(name, (holders.get(name) ?? 0) + 1);
  }
  const names = new Map<string, string>();
  for (const account of accounts) {
    const name = short.get(account.id)!;
    names.set(
      account.id,
      holders.get(name) === 1 ? name : ledgerName(account, account.id.replace(/-/g, '')),
    );
  }
  return names;
}

/**
 * A commodity symbol as hledger and ledger-cli expect it: bare when it is
 * letters only, in double quotes when it holds digits (`"C12"`).
 */
export function ledgerCommodity(currencyCode: string): string {
  return /^[A-Za-z]+$/.test(currencyCode) ? currencyCode : `"${currencyCode}"`;
}

/** Text for a transaction's description: one line, no comment marker, no surrounding spaces. */
export function ledgerText(text: string): string {
  return text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/;/g, ',')
    .replace(/ {2,}/g, ' ')
    .trim();
}

export interface LedgerPosting {
  account: string;
  amountMinor: bigint;
}

export interface LedgerTransaction {
  date: Date;
  code: string;
  description: string;
  tags: ReadonlyArray<readonly [string, string]>;
  postings: readonly LedgerPosting[];
}

/** YYYY-MM-DD of the instant's UTC day. */
export function ledgerDate(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** One transaction, followed by a blank line. */
export function ledgerTransaction(
  transaction: LedgerTransaction,
  scale: number,
  currencyCode: string,
): string {
  const commodity = ledgerCommodity(currencyCode);
  const tags = transaction.tags.map(([name, value]) => `${name}:${ledgerText(value)}`).join(', ');
  const description = ledgerText(transaction.description);
  const head = `${ledgerDate(transaction.date)} * (${ledgerText(transaction.code)}) ${description}`;
  const lines = [tags === '' ? head.trimEnd() : `${head.trimEnd()}  ; ${tags}`];
  const width = Math.max(...transaction.postings.map((posting) => posting.account.length));
  for (const posting of transaction.postings) {
    const amount = formatAmount(posting.amountMinor, scale);
    lines.push(`    ${posting.account.padEnd(width)}  ${amount.padStart(16)} ${commodity}`);
  }
  return `${lines.join('\n')}\n\n`;
}

/** An `account` directive, declaring the name with the account's id and kind as tags. */
export function ledgerAccountDirective(name: string, account: JournalAccount): string {
  return `account ${name}  ; id:${account.id}, kind:${account.kind}\n`;
}

const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field as RFC 4180 writes it. */
export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Text typed by people, defused for spreadsheets (see the top of this file). */
export function csvText(value: string | null): string {
  if (value === null) return '';
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** One CSV record ended by CRLF. */
export function csvRow(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

export const CSV_COLUMNS = [
  'transfer_id',
  'posted_at',
  'kind',
  'currency',
  'account_id',
  'account_kind',
  'account_name',
  'counterparty_id',
  'amount',
  'balance_after',
  'sequence',
  'memo',
  'reversal_of',
] as const;

/**
 * The counterparty of an entry: for the transfer's source account its
 * destination, for the destination its source, and for any other leg (a fee
 * or a fund's share) the source, whose owner paid it.
 */
export function counterpartyOf(
  accountId: string,
  transfer: { fromAccountId: string; toAccountId: string },
): string {
  if (accountId === transfer.fromAccountId) return transfer.toAccountId;
  return transfer.fromAccountId;
}
