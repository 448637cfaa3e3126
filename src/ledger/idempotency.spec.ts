import Decimal from 'decimal.js';
import fc from 'fast-check';
import { MAX_FINGERPRINT_DEPTH, canonicalJson, requestFingerprint } from './idempotency';

describe('requestFingerprint', () => {
  const transfer = {
    operation: 'transfer',
    fromAccountId: 'a1',
    toAccountId: 'a2',
    amountMinor: 150n,
    kind: 'EXCHANGE',
    memo: 'Gardening, 1.5 h',
  };

  it('matches a retry of the same payload built with its keys in another order', () => {
    const retry = {
      memo: 'Gardening, 1.5 h',
      kind: 'EXCHANGE',
      amountMinor: 150n,
      toAccountId: 'a2',
      fromAccountId: 'a1',
      operation: 'transfer',
    };
    expect(requestFingerprint(retry)).toBe(requestFingerprint(transfer));
  });

  it('differs when any field differs', () => {
    const original = requestFingerprint(transfer);
    expect(requestFingerprint({ ...transfer, amountMinor: 151n })).not.toBe(original);
    expect(requestFingerprint({ ...transfer, toAccountId: 'a3' })).not.toBe(original);
    expect(requestFingerprint({ ...transfer, memo: 'Gardening, 1.5 h ' })).not.toBe(original);
    expect(requestFingerprint({ ...transfer, operation: 'mint' })).not.toBe(original);
    expect(requestFingerprint({ ...transfer, extra: null })).not.toBe(original);
  });

  it('treats an omitted optional field and an explicit undefined alike, but not null', () => {
    const withoutMemo = { operation: 'transfer', amountMinor: 1n };
    expect(requestFingerprint({ ...withoutMemo, memo: undefined })).toBe(
      requestFingerprint(withoutMemo),
    );
    expect(requestFingerprint({ ...withoutMemo, memo: null })).not.toBe(
      requestFingerprint(withoutMemo),
    );
  });

  it('reads the same amount written with or without trailing zeros as one request', () => {
    expect(requestFingerprint({ amount: new Decimal('1.50') })).toBe(
      requestFingerprint({ amount: new Decimal('1.5') }),
    );
    expect(requestFingerprint({ amount: new Decimal('1.50') })).not.toBe(
      requestFingerprint({ amount: new Decimal('1.05') }),
    );
  });

  it('is 64 lowercase hex digits', () => {
    expect(requestFingerprint(transfer)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and writes bigints, dates and decimals as strings', () => {
    expect(
      canonicalJson({
        b: [{ z: 1, a: 2n }, undefined, null],
        a: new Date('2024-03-01T09:30:00Z'),
        c: new Decimal('1e21'),
        d: new Decimal('-0.000'),
        e: 'é"\n',
        f: true,
      }),
    ).toBe(
      '{"a":"2024-03-01T09:30:00.000Z","b":[{"a":"2","z":1},null,null],"c":"1000000000000000000000","d":"0","e":"é\\"\\n","f":true}',
    );
  });

  it('accepts objects without a prototype', () => {
    const bare = Object.create(null) as Record<string, unknown>;
    bare.b = 1;
    bare.a = 2;
    expect(canonicalJson(bare)).toBe('{"a":2,"b":1}');
  });

  it.each([
    ['a function', () => 1],
    ['a symbol', Symbol('s')],
    ['a Map', new Map()],
    ['a class instance', new (class Thing {})()],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['an invalid date', new Date('nonsense')],
    ['a NaN decimal', new Decimal(NaN)],
  ])('treats %s in a payload as a bug', (_name, value) => {
    expect(() => canonicalJson({ value })).toThrow(/Assertion failed/);
  });

  it('treats a cycle or absurd nesting as a bug instead of looping', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/Assertion failed/);
    let deep: unknown = 1;
    for (let depth = 0; depth <= MAX_FINGERPRINT_DEPTH; depth += 1) deep = [deep];
    expect(() => canonicalJson(deep)).toThrow(/Assertion failed/);
  });

  it('writes plain JSON values as JSON that reads back to the same value and text', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (value) => {
        const text = canonicalJson(value);
        const reread: unknown = JSON.parse(text);
        // JSON has no negative zero: -0 is written, like JSON.stringify writes it, as 0.
        expect(reread).toEqual(JSON.parse(JSON.stringify(value)));
        expect(canonicalJson(reread)).toBe(text);
      }),
    );
  });

  it('gives the same text for any order of the same keys', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.bigInt(), fc.integer())),
        (record) => {
          const reversed = Object.fromEntries(Object.entries(record).reverse());
          expect(canonicalJson(reversed)).toBe(canonicalJson(record));
        },
      ),
    );
  });
});
