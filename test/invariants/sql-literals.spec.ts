import fc from 'fast-check';
import { Client } from 'pg';
import { inlineParameters, sqlLiteral } from '../../src/transfers/command-statements';
import { testDatabaseUrl } from '../support/test-app';

/**
 * The ledger's write path sends its values inside the statement text (see
 * command-statements.ts). Whatever text a member types into a memo must come
 * back from PostgreSQL exactly as typed, alone or inside an array, and never
 * end the literal it is written in.
 */
describe('SQL literals of the ledger write path', () => {
  let client: Client;

  beforeAll(async () => {
    client = new Client({ connectionString: testDatabaseUrl() });
    await client.connect();
  });

  afterAll(async () => {
    await client.end();
  });

  /** Text PostgreSQL can store: any Unicode but NUL, with quotes and backslashes made likely. */
  const text = fc
    .oneof(
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.string({
        unit: fc.constantFrom("'", '"', '\\', '{', '}', ',', ' ', 'E', '$', ';', '\n', 'a'),
        maxLength: 40,
      }),
    )
    .filter((value) => !value.includes('\u0000'));

  it('reads any text back exactly, alone and in arrays with NULLs', async () => {
    await fc.assert(
      fc.asyncProperty(
        text,
        fc.array(fc.option(text, { nil: null }), { maxLength: 6 }),
        async (one, many) => {
          const result = await client.query(
            inlineParameters('SELECT $1::text AS one, $2::text[] AS many, 1 AS after', [one, many]),
          );
          expect(result.rows).toEqual([{ one, many, after: 1 }]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('writes numbers, booleans, dates and NULL as PostgreSQL reads them', async () => {
    const at = new Date('2026-11-25T12:34:56.789Z');
    const result = await client.query(
      inlineParameters(
        'SELECT $1::bigint AS big, $2::int AS small, $3::boolean AS yes, $4::timestamptz AS at, $5::uuid AS none, $6::boolean[] AS flags',
        [-9_007_199_254_740_993n, 42, true, at, null, [true, false, null]],
      ),
    );
    expect(result.rows).toEqual([
      {
        big: '-9007199254740993',
        small: 42,
        yes: true,
        at,
        none: null,
        flags: [true, false, null],
      },
    ]);
  });

  it('refuses NUL characters, objects and placeholders without a value', () => {
    expect(() => sqlLiteral('a\u0000b')).toThrow(/NUL/);
    expect(() => sqlLiteral(['ok', 'a\u0000'])).toThrow(/NUL/);
    expect(() => sqlLiteral({ a: 1 })).toThrow(/cannot write/);
    expect(() => sqlLiteral(Number.NaN)).toThrow(/cannot write/);
    expect(() => inlineParameters('SELECT $1, $2', ['x'])).toThrow(/no such parameter/);
  });
});
