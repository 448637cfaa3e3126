import fc from 'fast-check';
import {
  ChainHead,
  checkpointBody,
  compareWithCheckpoint,
  merkleRoot,
  readSignedCheckpoint,
} from './checkpoint';

const hex = (seed: number) => seed.toString(16).padStart(64, '0');
const head = (accountId: string, entryCount: number, seed: number): ChainHead => ({
  accountId,
  entryCount,
  hash: hex(seed),
});

describe('merkleRoot', () => {
  it('does not depend on the order the heads come in', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.uuid(), { minLength: 0, maxLength: 20 }),
        fc.nat(),
        (ids, seed) => {
          const heads = ids.map((id, index) => head(id, index, seed + index));
          expect(merkleRoot([...heads].reverse())).toBe(merkleRoot(heads));
        },
      ),
    );
  });

  it('changes when any head changes', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.uuid(), { minLength: 1, maxLength: 20 }),
        fc.nat(),
        fc.nat(),
        (ids, seed, which) => {
          const heads = ids.map((id, index) => head(id, index + 1, seed + index));
          const changed = heads.map((item, index) =>
            index === which % heads.length ? { ...item, entryCount: item.entryCount + 1 } : item,
          );
          expect(merkleRoot(changed)).not.toBe(merkleRoot(heads));
        },
      ),
    );
  });

  it('has a fixed root for no accounts and pairs an odd last node with itself', () => {
    expect(merkleRoot([])).toMatch(/^[0-9a-f]{64}$/);
    expect(merkleRoot([head('a', 1, 1)])).not.toBe(merkleRoot([]));
    expect(merkleRoot([head('a', 1, 1), head('b', 1, 2), head('c', 1, 3)])).toMatch(
      /^[0-9a-f]{64}$/,
    );
  });
});

describe('compareWithCheckpoint', () => {
  const body = checkpointBody('community', 'HOUR', new Date('2026-01-01T00:00:00Z'), [
    head('a', 3, 1),
    head('b', 0, 0),
    head('c', 5, 7),
  ]);

  it('finds nothing when every recorded entry is still there as it was', () => {
    const now: Record<string, string> = { a: hex(1), c: hex(7) };
    expect(compareWithCheckpoint(body, (id) => now[id] ?? null)).toEqual([]);
  });

  it('names each account whose recorded entry differs, is missing, or that is gone', () => {
    const problems = compareWithCheckpoint(body, (id) =>
      id === 'a' ? hex(2) : id === 'b' ? undefined : null,
    );
    expect(problems).toEqual([
      expect.stringMatching(/^Account a: entry 3 differs .* rewritten/),
      expect.stringMatching(/^Account b: it no longer exists/),
      expect.stringMatching(/^Account c: entry 5 is missing/),
    ]);
  });

  it('notices heads edited after signing that no longer give the root', () => {
    const edited = { ...body, heads: body.heads.map((item) => ({ ...item, hash: hex(9) })) };
    expect(compareWithCheckpoint(edited, () => hex(9))[0]).toMatch(/was edited/);
  });
});

describe('readSignedCheckpoint', () => {
  it.each([
    ['not JSON', 'nope', /not JSON/],
    ['without a signature', JSON.stringify({ checkpoint: {} }), /signature/],
    [
      'of another format',
      JSON.stringify({ checkpoint: { format: 'x' }, signature: 's', publicKey: 'k' }),
      /format/,
    ],
    [
      'with a malformed head',
      JSON.stringify({
        checkpoint: { ...checkpointBody('c', 'HOUR', new Date(), []), heads: [{ accountId: 1 }] },
        signature: 's',
        publicKey: 'k',
      }),
      /fields/,
    ],
  ])('refuses text %s, saying why', (_name, text, why) => {
    const read = readSignedCheckpoint(text);
    expect(typeof read).toBe('string');
    expect(read).toMatch(why);
  });
});
