import { INestApplication } from '@nestjs/common';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createCommunity, expectData, registerUser } from '../support/factories';
import { createTestApp, gql } from '../support/test-app';
import { JournalExportService } from '../../src/reports/journal-export.service';
import {
  addHolder,
  between,
  Books,
  codeOf,
  createMembers,
  Members,
  openBooks,
  pause,
  post,
  reverse,
  shift,
  uniqueCode,
} from './report-helpers';

const EXPORT = `query($currencyCode: String!, $from: DateTime, $to: DateTime, $format: JournalFormat!) {
  exportJournal(currencyCode: $currencyCode, from: $from, to: $to, format: $format)
}`;

const TRIAL_BALANCE = `query($currencyCode: String!, $at: DateTime) {
  trialBalance(currencyCode: $currencyCode, at: $at, first: 100) {
    total accountCount accounts { edges { node { balance account { id } } } pageInfo { hasNextPage } }
  }
}`;

/**
 * hledger, found on the PATH or installed with apt-get (as CI does in
 * .ci/run). Without it the agreement tests are skipped, saying why.
 */
function findHledger(): string | null {
  const which = () => spawnSync('sh', ['-c', 'command -v hledger'], { encoding: 'utf8' });
  let found = which();
  if (found.status !== 0 && process.getuid?.() === 0) {
    spawnSync('sh', ['-c', 'apt-get update -qq && apt-get install -y -qq hledger'], {
      stdio: 'ignore',
      timeout: 300_000,
    });
    found = which();
  }
  return found.status === 0 ? found.stdout.trim() : null;
}

const HLEDGER = findHledger();
if (HLEDGER === null) {
  process.stderr.write(
    'exports.e2e.spec: hledger is not installed and could not be installed with apt-get; the hledger agreement tests are SKIPPED\n',
  );
}
const withHledger = HLEDGER === null ? it.skip : it;

describe('exports', () => {
  let app: INestApplication;
  let members: Members;
  let folder: string;

  beforeAll(async () => {
    app = await createTestApp();
    members = await createMembers(app);
    folder = mkdtempSync(join(tmpdir(), 'mutua-journal-'));
  });

  afterAll(async () => {
    rmSync(folder, { recursive: true, force: true });
    await app.close();
  });

  async function exportJournal(
    token: string,
    variables: { currencyCode: string; format: string; from?: string; to?: string },
  ) {
    return gql<{ exportJournal: string }>(app, EXPORT, variables, token);
  }

  async function exportOk(
    books: Books,
    format: 'CSV' | 'LEDGER',
    period: { from?: string; to?: string } = {},
  ): Promise<string> {
    const response = await exportJournal(books.steward, {
      currencyCode: books.currency,
      format,
      ...period,
    });
    return expectData(response).exportJournal;
  }

  /** Non-zero balances by account id, as trialBalance gives them. */
  async function trialBalances(books: Books, at?: string): Promise<Record<string, string>> {
    const response = await gql<{
      trialBalance: {
        total: string;
        accountCount: number;
        accounts: {
          edges: Array<{ node: { balance: string; account: { id: string } } }>;
          pageInfo: { hasNextPage: boolean };
        };
      };
    }>(app, TRIAL_BALANCE, { currencyCode: books.currency, at }, books.steward);
    const { total, accountCount, accounts } = expectData(response).trialBalance;
    expect(Number(total)).toBe(0);
    // These books fit one page; the test would need to page otherwise.
    expect(accounts.pageInfo.hasNextPage).toBe(false);
    expect(accounts.edges).toHaveLength(accountCount);
    return Object.fromEntries(
      accounts.edges
        .map((edge) => edge.node)
        .filter((line) => Number(line.balance) !== 0)
        .map((line) => [line.account.id, line.balance]),
    );
  }

  /**
   * Non-zero balances by account id, as `hledger balance` computes them from
   * the journal (whose account directives carry the ids). Also checks that
   * every account used is declared, and that ledger-cli reads the file when
   * it is installed.
   */
  function hledgerBalances(journal: string, currencyCode: string): Record<string, string> {
    const file = join(folder, `${currencyCode}-${Date.now()}.journal`);
    writeFileSync(file, journal);
    execFileSync(HLEDGER!, ['-f', file, 'check', 'accounts']);
    const csv = execFileSync(HLEDGER!, ['-f', file, 'balance', '-O', 'csv', '--no-total'], {
      encoding: 'utf8',
    });
    if (spawnSync('sh', ['-c', 'command -v ledger']).status === 0) {
      execFileSync('ledger', ['-f', file, 'balance'], { encoding: 'utf8' });
    }
    const ids = new Map<string, string>();
    for (const match of journal.matchAll(/^account (\S+) {2}; id:([0-9a-f-]{36}),/gm)) {
      ids.set(match[1], match[2]);
    }
    const balances: Record<string, string> = {};
    for (const line of csv.trim().split('\n').slice(1)) {
      const [, name, amount] = /^"(.*)","(.*)"$/.exec(line.trim())!;
      if (amount === '0') continue;
      const id = ids.get(name);
      if (id === undefined) throw new Error(`hledger shows an undeclared account ${name}`);
      const commodity = /^[A-Za-z]+$/.test(currencyCode) ? currencyCode : `""${currencyCode}""`;
      expect(amount.endsWith(` ${commodity}`)).toBe(true);
      balances[id] = amount.slice(0, -commodity.length - 1);
    }
    return balances;
  }

  /** A varied history: odd names, a fee-less fund, a reversal, a pending transfer and another currency. */
  async function history(books: Books) {
    const { alice, bob, carol } = books;
    const fund = await gql<{ openAccount: { id: string } }>(
      app,
      'mutation($input: OpenAccountInput!) { openAccount(input: $input) { id } }',
      {
        input: {
          currencyCode: books.currency,
          kind: 'FUND',
          name: 'Aid ; (fund)  [x] "quoted": ok',
        },
      },
      books.steward,
    );
    const fundId = expectData(fund).openAccount.id;
    const shop = await addHolder(app, books.community, books.currency, 'Café Ñandú', 'SHOP');
    const first = await post(app, alice.user.token, alice.accountId, bob.accountId, '2.00', {
      memo: 'Gardening; two hours\nwith a line break',
    });
    const second = await post(app, bob.user.token, bob.accountId, fundId, '1.25', {
      kind: 'CONTRIBUTION',
    });
    const third = await post(app, carol.user.token, carol.accountId, shop.accountId, '3.10', {
      kind: 'PAYMENT',
      memo: '(bread) | rolls',
    });
    const reversal = await reverse(app, books.steward, first.id);
    await post(app, alice.user.token, alice.accountId, carol.accountId, '0.40', {
      pendingUntil: shift(new Date().toISOString(), 3600_000),
    });
    return { fundId, shop, first, second, third, reversal };
  }

  it('writes one CSV row per entry under a header, quoted as RFC 4180 says', async () => {
    const books = await openBooks(app, members);
    const { alice, bob, carol } = books;
    const first = await post(app, alice.user.token, alice.accountId, bob.accountId, '2.00', {
      memo: 'Gardening, "roses"\nand weeding',
    });
    const second = await post(app, bob.user.token, bob.accountId, carol.accountId, '0.50', {
      memo: '=SUM(A1:A9)',
      kind: 'PAYMENT',
    });
    const reversal = await reverse(app, books.steward, first.id, 'Never happened');
    const code = books.currency;
    const csv = await exportOk(books, 'CSV');
    expect(csv.split('\r\n')).toEqual([
      'transfer_id,posted_at,kind,currency,account_id,account_kind,account_name,counterparty_id,amount,balance_after,sequence,memo,reversal_of',
      `${first.id},${first.postedAt},EXCHANGE,${code},${alice.accountId},MEMBER,alice,${bob.accountId},-2.00,-2.00,1,"Gardening, ""roses""\nand weeding",`,
      `${first.id},${first.postedAt},EXCHANGE,${code},${bob.accountId},MEMBER,bob,${alice.accountId},2.00,2.00,1,"Gardening, ""roses""\nand weeding",`,
      `${second.id},${second.postedAt},PAYMENT,${code},${bob.accountId},MEMBER,bob,${carol.accountId},-0.50,1.50,2,'=SUM(A1:A9),`,
      `${second.id},${second.postedAt},PAYMENT,${code},${carol.accountId},MEMBER,carol,${bob.accountId},0.50,0.50,1,'=SUM(A1:A9),`,
      `${reversal.id},${reversal.postedAt},REVERSAL,${code},${bob.accountId},MEMBER,bob,${alice.accountId},-2.00,-0.50,3,Never happened,${first.id}`,
      `${reversal.id},${reversal.postedAt},REVERSAL,${code},${alice.accountId},MEMBER,alice,${bob.accountId},2.00,0.00,2,Never happened,${first.id}`,
      '',
    ]);
    const period = await exportOk(books, 'CSV', {
      from: between(first.postedAt, second.postedAt),
      to: between(second.postedAt, reversal.postedAt),
    });
    expect(period.split('\r\n').map((row) => row.split(',')[0])).toEqual([
      'transfer_id',
      second.id,
      second.id,
      '',
    ]);
    const empty = await exportOk(books, 'CSV', { to: first.postedAt });
    expect(empty.split('\r\n')).toHaveLength(2);
  });

  it('writes a journal with one transaction per transfer and one posting per entry', async () => {
    const books = await openBooks(app, members);
    const { first, reversal } = await history(books);
    const journal = await exportOk(books, 'LEDGER');
    const transactions = journal.split('\n').filter((line) => /^\d{4}-\d\d-\d\d /.test(line));
    expect(transactions).toHaveLength(4);
    expect(transactions[0]).toBe(
      `${first.postedAt.slice(0, 10)} * (EXCHANGE) Gardening, two hours with a line break  ; transfer:${first.id}, posted:${first.postedAt}`,
    );
    expect(transactions[3]).toContain(`(REVERSAL) Entered by mistake  ; transfer:${reversal.id}`);
    expect(transactions[3]).toContain(`reverses:${first.id}`);
    expect(journal).toMatch(/^account fund:aid-fund-x-quoted-ok-[0-9a-f]{8} {2}; id:/m);
    expect(journal).toMatch(/^account shop:café-ñandú-[0-9a-f]{8} {2}; id:/m);
    expect(journal).toContain(`-2.00 ${books.currency}\n`);
  });

  withHledger('agrees with the trial balance for every account, read by hledger', async () => {
    const books = await openBooks(app, members);
    await history(books);
    // Another currency of the same community stays out of this export.
    const other = await openBooks(app, members);
    await post(app, other.alice.user.token, other.alice.accountId, other.bob.accountId, '7.00');
    const expected = await trialBalances(books);
    expect(Object.keys(expected)).toHaveLength(4);
    expect(hledgerBalances(await exportOk(books, 'LEDGER'), books.currency)).toEqual(expected);
  });

  withHledger('agrees for a period too, opening with the balances before it', async () => {
    const books = await openBooks(app, members);
    const { alice, bob, carol } = books;
    // Created before the period, posted inside it: it belongs to the period.
    const held = await post(app, alice.user.token, alice.accountId, carol.accountId, '0.30', {
      pendingUntil: shift(new Date().toISOString(), 3600_000),
    });
    const { second, third, reversal } = await history(books);
    await pause(5);
    const posted = await gql<{ postTransfer: { postedAt: string } }>(
      app,
      'mutation($id: ID!) { postTransfer(id: $id) { postedAt } }',
      { id: held.id },
      alice.user.token,
    );
    const heldPostedAt = expectData(posted).postTransfer.postedAt;
    await post(app, bob.user.token, bob.accountId, alice.accountId, '0.05');
    const from = between(second.postedAt, third.postedAt);
    const to = shift(heldPostedAt, 1);
    const journal = await exportOk(books, 'LEDGER', { from, to });
    expect(journal).toContain(`(OPENING) Opening balances  ; balances_before:${from}`);
    expect(journal).toContain(`transfer:${held.id}`);
    expect(journal).toContain(`transfer:${reversal.id}`);
    expect(hledgerBalances(journal, books.currency)).toEqual(await trialBalances(books, to));
  });

  withHledger('agrees for a currency without decimals whose code holds a digit', async () => {
    const code = `${uniqueCode().slice(0, 8)}7`;
    const books = await openBooks(app, members, { code, scale: 0 });
    const { alice, bob, carol } = books;
    await post(app, alice.user.token, alice.accountId, bob.accountId, '3');
    await post(app, bob.user.token, bob.accountId, carol.accountId, '5');
    const journal = await exportOk(books, 'LEDGER');
    expect(journal).toContain(`-3 "${code}"`);
    expect(hledgerBalances(journal, code)).toEqual(await trialBalances(books));
  });

  describe('over HTTP', () => {
    function download(path: string, token?: string) {
      let call = request(app.getHttpServer() as never)
        .get(path)
        .buffer(true)
        .parse((response, callback) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () => callback(null, text));
        });
      if (token !== undefined) call = call.set('Authorization', `Bearer ${token}`);
      return call;
    }

    it('streams the same CSV and journal as exportJournal, to stewards', async () => {
      const books = await openBooks(app, members);
      const { first, reversal } = await history(books);
      const journal = await download(`/exports/${books.currency}.journal`, books.steward);
      expect(journal.status).toBe(200);
      expect(journal.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(journal.headers['content-disposition']).toBe(
        `attachment; filename="${books.currency}.journal"`,
      );
      expect(journal.body).toBe(await exportOk(books, 'LEDGER'));
      const from = between(first.postedAt, reversal.postedAt);
      const csv = await download(
        `/exports/${books.currency}.csv?from=${encodeURIComponent(from)}`,
        books.steward,
      );
      expect(csv.status).toBe(200);
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
      expect(csv.body).toBe(await exportOk(books, 'CSV', { from }));
    });

    it('refuses before the first byte: no token, not a steward, another community, bad names and bad instants', async () => {
      const books = await openBooks(app, members);
      const path = `/exports/${books.currency}.csv`;
      const other = await createCommunity(app);
      const shop = await registerUser(app, books.community, 'SHOP');
      const cases: Array<[string, string | undefined, number, string]> = [
        [path, undefined, 401, 'UNAUTHENTICATED'],
        [path, 'not-a-token', 401, 'UNAUTHENTICATED'],
        [path, books.alice.user.token, 403, 'FORBIDDEN'],
        [path, shop.token, 403, 'FORBIDDEN'],
        [path, other.steward.token, 404, 'NOT_FOUND'],
        ['/exports/NOPE.csv', books.steward, 404, 'NOT_FOUND'],
        [`/exports/${books.currency}.xlsx`, books.steward, 404, 'NOT_FOUND'],
        [`${path}?from=yesterday`, books.steward, 400, 'BAD_USER_INPUT'],
        [
          `${path}?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z`,
          books.steward,
          400,
          'BAD_USER_INPUT',
        ],
        [
          `${path}?from=2026-01-01T00:00:00Z&from=2026-01-02T00:00:00Z`,
          books.steward,
          400,
          'BAD_USER_INPUT',
        ],
      ];
      for (const [target, token, status, code] of cases) {
        const response = await download(target, token);
        const body = JSON.parse(String(response.body)) as {
          errors: Array<{ extensions: { code: string } }>;
        };
        expect({
          target,
          token,
          status: response.status,
          code: body.errors[0].extensions.code,
        }).toEqual({ target, token, status, code });
      }
    });

    it('pages through large exports, which exportJournal refuses past its limit', async () => {
      const books = await openBooks(app, members);
      const service = app.get(JournalExportService);
      const { pageSize, maxInlineEntries } = service;
      service.pageSize = 2;
      service.maxInlineEntries = 6;
      try {
        const { alice, bob } = books;
        const posted = [];
        for (let index = 1; index <= 5; index += 1) {
          posted.push(await post(app, alice.user.token, alice.accountId, bob.accountId, '0.10'));
        }
        const refused = await exportJournal(books.steward, {
          currencyCode: books.currency,
          format: 'CSV',
        });
        expect(codeOf(refused)).toBe('BAD_USER_INPUT');
        expect(refused.errors?.[0]?.extensions?.downloadPath).toBe(
          `/exports/${books.currency}.csv`,
        );
        const csv = await download(`/exports/${books.currency}.csv`, books.steward);
        const rows = String(csv.body).trim().split('\r\n').slice(1);
        expect(rows.map((row) => row.split(',')[0])).toEqual(
          posted.flatMap((transfer) => [transfer.id, transfer.id]),
        );
        expect(rows.map((row) => row.split(',')[9])).toEqual([
          '-0.10',
          '0.10',
          '-0.20',
          '0.20',
          '-0.30',
          '0.30',
          '-0.40',
          '0.40',
          '-0.50',
          '0.50',
        ]);
        // Three transfers (six entries) fit the limit.
        const three = await exportOk(books, 'LEDGER', { to: posted[3].postedAt });
        expect(three.match(/transfer:/g)).toHaveLength(3);
        if (HLEDGER !== null) {
          const journal = await download(`/exports/${books.currency}.journal`, books.steward);
          expect(hledgerBalances(String(journal.body), books.currency)).toEqual(
            await trialBalances(books),
          );
        }
      } finally {
        service.pageSize = pageSize;
        service.maxInlineEntries = maxInlineEntries;
      }
    });
  });

  it('is for stewards of the currency’s community', async () => {
    const books = await openBooks(app, members);
    const variables = { currencyCode: books.currency, format: 'LEDGER' };
    expect(codeOf(await exportJournal(books.alice.user.token, variables))).toBe('FORBIDDEN');
    const other = await createCommunity(app);
    expect(codeOf(await exportJournal(other.steward.token, variables))).toBe('NOT_FOUND');
    expect(codeOf(await gql(app, EXPORT, variables))).toBe('UNAUTHENTICATED');
    const xlsx = `{ exportJournal(currencyCode: "${books.currency}", format: XLSX) }`;
    expect(codeOf(await gql(app, xlsx, {}, books.steward))).toBe('GRAPHQL_VALIDATION_FAILED');
    const now = new Date().toISOString();
    expect(codeOf(await exportJournal(books.steward, { ...variables, from: now, to: now }))).toBe(
      'BAD_USER_INPUT',
    );
  });
});
