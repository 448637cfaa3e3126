import fc from 'fast-check';
import {
  counterpartyOf,
  csvRow,
  csvText,
  ledgerAccountNames,
  ledgerCommodity,
  ledgerText,
  ledgerTransaction,
  MAX_NAME_SLUG_LENGTH,
  slugify,
} from './journal-format';

/** A strict RFC 4180 reader of one record, to check that csvRow writes what readers read back. */
function readRecord(text: string): string[] {
  expect(text.endsWith('\r\n')).toBe(true);
  const body = text.slice(0, -2);
  const fields: string[] = [];
  let index = 0;
  for (;;) {
    let field = '';
    if (body[index] === '"') {
      index += 1;
      for (;;) {
        const quote = body.indexOf('"', index);
        if (quote < 0) throw new Error('unterminated quoted field');
        field += body.slice(index, quote);
        if (body[quote + 1] === '"') {
          field += '"';
          index = quote + 2;
        } else {
          index = quote + 1;
          break;
        }
      }
    } else {
      const comma = body.indexOf(',', index);
      const end = comma < 0 ? body.length : comma;
      field = body.slice(index, end);
      expect(field).not.toMatch(/["\r\n]/);
      index = end;
    }
    fields.push(field);
    if (index >= body.length) return fields;
    expect(body[index]).toBe(',');
    index += 1;
  }
}

const uuid = fc.uuid();

describe('CSV', () => {
  it('quotes fields with commas, quotes and line breaks, and leaves others bare', () => {
    expect(csvRow(['a', 'b,c', 'say "hi"', 'two\nlines', 'cr\r', ''])).toBe(
      'a,"b,c","say ""hi""","two\nlines","cr\r",\r\n',
    );
  });

  it('reads back every record it writes, whatever the text', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'binary' }), { minLength: 1, maxLength: 8 }),
        (fields) => {
          expect(readRecord(csvRow(fields))).toEqual(fields);
        },
      ),
    );
  });

  it('defuses text a spreadsheet would run as a formula, and nothing else', () => {
    expect(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx'].map(csvText)).toEqual([
      "'=1+1",
      "'+1",
      "'-1",
      "'@SUM(A1)",
      "'\tx",
      "'\rx",
    ]);
    expect(['Bread', '1+1', 'a=b', ''].map(csvText)).toEqual(['Bread', '1+1', 'a=b', '']);
    expect(csvText(null)).toBe('');
  });
});

describe('ledger account names', () => {
  it('are the kind and a slug of the name, with the first eight hex digits of the id', () => {
    const names = ledgerAccountNames([
      { id: '1a2b3c4d-0000-4000-8000-000000000001', kind: 'MEMBER', name: 'Ana Hours' },
      { id: '5e6f7a8b-0000-4000-8000-000000000002', kind: 'FUND', name: ' Aid ; (fund)  [x] ' },
      { id: '9c0d1e2f-0000-4000-8000-000000000003', kind: 'SHOP', name: 'Café Ñandú' },
      { id: 'aaaabbbb-0000-4000-8000-000000000004', kind: 'ISSUANCE', name: '***' },
    ]);
    expect([...names.values()]).toEqual([
      'member:ana-hours-1a2b3c4d',
      'fund:aid-fund-x-5e6f7a8b',
      'shop:café-ñandú-9c0d1e2f',
      'issuance:account-aaaabbbb',
    ]);
  });

  it('fall back to the whole id when two accounts would share a name', () => {
    const names = ledgerAccountNames([
      { id: '1a2b3c4d-0000-4000-8000-000000000001', kind: 'MEMBER', name: 'Ana' },
      { id: '1a2b3c4d-0000-4000-8000-000000000002', kind: 'MEMBER', name: 'ana' },
      { id: '1a2b3c4d-0000-4000-8000-000000000003', kind: 'SHOP', name: 'Ana' },
    ]);
    expect([...names.values()]).toEqual([
      'member:ana-1a2b3c4d000040008000000000000001',
      'member:ana-1a2b3c4d000040008000000000000002',
      'shop:ana-1a2b3c4d',
    ]);
  });

  it('are unique, and hold nothing that ends or splits an hledger account name', () => {
    const account = fc.record({
      id: uuid,
      kind: fc.constantFrom('MEMBER', 'SHOP', 'FUND', 'ISSUANCE', 'RESERVE', 'FEES'),
      name: fc.string({ maxLength: 100, unit: 'grapheme' }),
    });
    fc.assert(
      fc.property(fc.uniqueArray(account, { selector: (a) => a.id, maxLength: 30 }), (accounts) => {
        const names = [...ledgerAccountNames(accounts).values()];
        expect(new Set(names).size).toBe(accounts.length);
        for (const name of names) {
          expect(name).toMatch(/^[a-z]+:[\p{L}\p{M}\p{N}]+(-[\p{L}\p{M}\p{N}]+)*$/u);
        }
      }),
    );
  });

  it('slug names to at most the set length', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (name) => {
        const slug = slugify(name);
        expect(Array.from(slug).length).toBeLessThanOrEqual(MAX_NAME_SLUG_LENGTH);
        expect(slug).toMatch(/^[\p{L}\p{M}\p{N}]+(-[\p{L}\p{M}\p{N}]+)*$/u);
      }),
    );
  });
});

describe('ledger transactions', () => {
  it('write date, code, description and tags, then one aligned posting per entry', () => {
    const text = ledgerTransaction(
      {
        date: new Date('2026-03-01T23:59:59.999Z'),
        code: 'EXCHANGE',
        description: 'Gardening;  two\nhours',
        tags: [
          ['transfer', 'abc'],
          ['posted', '2026-03-01T23:59:59.999Z'],
        ],
        postings: [
          { account: 'member:ana-1a2b3c4d', amountMinor: -250n },
          { account: 'member:bo-5e6f7a8b', amountMinor: 250n },
        ],
      },
      2,
      'HOUR',
    );
    expect(text).toBe(
      [
        '2026-03-01 * (EXCHANGE) Gardening, two hours  ; transfer:abc, posted:2026-03-01T23:59:59.999Z',
        '    member:ana-1a2b3c4d             -2.50 HOUR',
        '    member:bo-5e6f7a8b               2.50 HOUR',
        '',
        '',
      ].join('\n'),
    );
  });

  it('quote commodities that are not letters only', () => {
    expect(ledgerCommodity('HOUR')).toBe('HOUR');
    expect(ledgerCommodity('C12')).toBe('"C12"');
  });

  it('keep descriptions on one line without comment markers or double spaces', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const line = ledgerText(text);
        expect(line).not.toMatch(/[;\r\n\t]| {2}/);
        expect(line).toBe(line.trim());
      }),
    );
  });
});

describe('counterpartyOf', () => {
  const transfer = { fromAccountId: 'from', toAccountId: 'to' };

  it('is the destination for the source, and the source for every other account', () => {
    expect(counterpartyOf('from', transfer)).toBe('to');
    expect(counterpartyOf('to', transfer)).toBe('from');
    expect(counterpartyOf('fees', transfer)).toBe('from');
  });
});
