import fc from 'fast-check';
import {
  ChainCheckpoint,
  EntryHashInput,
  GENESIS_HASH,
  HashedEntry,
  MAX_PROBLEMS_PER_ACCOUNT,
  canonicalEntryText,
  entryHash,
  verifyAccountChain,
} from './hash-chain';

const firstEntry: EntryHashInput = {
  communityId: 'comm-1',
  accountId: 'acct-1',
  sequence: 1,
  transferId: 'tr-1',
  amountMinor: -150n,
  balanceAfterMinor: -150n,
  postedAt: new Date('2024-03-01T09:30:00.000Z'),
};

/** Chains entries of the given amounts for one account, as the service writes them. */
function chain(amountsMinor: bigint[], accountId = 'acct-1'): HashedEntry[] {
  const entries: HashedEntry[] = [];
  let previousHash = GENESIS_HASH;
  let balanceMinor = 0n;
  amountsMinor.forEach((amountMinor, index) => {
    balanceMinor += amountMinor;
    const entry: EntryHashInput = {
      communityId: 'comm-1',
      accountId,
      sequence: index + 1,
      transferId: `tr-${index + 1}`,
      amountMinor,
      balanceAfterMinor: balanceMinor,
      postedAt: new Date(Date.UTC(2024, 2, 1, 9, 30, 0, index)),
    };
    const hash = entryHash(previousHash, entry);
    entries.push({ ...entry, hash });
    previousHash = hash;
  });
  return entries;
}

describe('entryHash', () => {
  it('matches the test vector documented for auditors', () => {
    // Computed independently with: printf 'mutua-entry-v1\n000…000\ncomm-1\nacct-1\n1\ntr-1\n-150\n-150\n2024-03-01T09:30:00.000Z' | sha256sum
    expect(entryHash(GENESIS_HASH, firstEntry)).toBe(
      '82d596fa3d1d2dd727a959dffc30e01a5edaa1b573090b2c5eb97635089c5331',
    );
  });

  it('hashes the documented nine lines, without a final line feed', () => {
    expect(canonicalEntryText(GENESIS_HASH, firstEntry)).toBe(
      [
        'mutua-entry-v1',
        '0'.repeat(64),
        'comm-1',
        'acct-1',
        '1',
        'tr-1',
        '-150',
        '-150',
        '2024-03-01T09:30:00.000Z',
      ].join('\n'),
    );
  });

  it('depends on the previous hash', () => {
    expect(entryHash('f'.repeat(64), firstEntry)).not.toBe(entryHash(GENESIS_HASH, firstEntry));
  });

  it('writes postedAt in UTC with milliseconds whatever the Date was built from', () => {
    const sameInstant = { ...firstEntry, postedAt: new Date('2024-03-01T10:30:00+01:00') };
    expect(entryHash(GENESIS_HASH, sameInstant)).toBe(entryHash(GENESIS_HASH, firstEntry));
  });

  it.each([
    ['a previous hash that is not 64 lowercase hex digits', 'ABC', {}],
    ['an uppercase previous hash', 'F'.repeat(64), {}],
    ['an account id with a line feed', GENESIS_HASH, { accountId: 'a\nb' }],
    ['an empty transfer id', GENESIS_HASH, { transferId: '' }],
    ['sequence 0', GENESIS_HASH, { sequence: 0 }],
    ['a fractional sequence', GENESIS_HASH, { sequence: 1.5 }],
    ['an invalid postedAt', GENESIS_HASH, { postedAt: new Date('nonsense') }],
    [
      'a postedAt beyond year 9999',
      GENESIS_HASH,
      { postedAt: new Date('+010000-01-01T00:00:00Z') },
    ],
  ])('treats %s as a bug', (_name, previousHash, change) => {
    expect(() => entryHash(previousHash, { ...firstEntry, ...change })).toThrow(/Assertion failed/);
  });
});

describe('verifyAccountChain', () => {
  it('finds nothing wrong with an intact chain and its stored balance', () => {
    const entries = chain([500n, -150n, -25n, 1n]);
    expect(verifyAccountChain(entries, { balanceMinor: 326n })).toEqual([]);
  });

  it('accepts an account without entries at a zero balance only', () => {
    expect(verifyAccountChain([], { accountId: 'acct-9', balanceMinor: 0n })).toEqual([]);
    expect(verifyAccountChain([], { accountId: 'acct-9', balanceMinor: 5n })).toEqual([
      'Account acct-9: stored balance 5 differs from the sum of its entries 0.',
    ]);
  });

  it('reports a stored balance that differs from the entries', () => {
    const problems = verifyAccountChain(chain([500n, -150n]), { balanceMinor: 400n });
    expect(problems).toEqual([
      'Account acct-1: stored balance 400 differs from the sum of its entries 350.',
    ]);
  });

  it('reports an altered amount where it is, naming the account and sequence', () => {
    const entries = chain([500n, -150n, -25n]);
    entries[1] = { ...entries[1], amountMinor: -15n };
    const problems = verifyAccountChain(entries, { balanceMinor: 325n });
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^Account acct-1 entry 2: hash mismatch/);
    expect(problems[1]).toBe(
      'Account acct-1 entry 2: balance after is 350 but the running sum is 485.',
    );
    expect(problems[2]).toMatch(/sum of its entries 460/);
  });

  it('reports an altered stored hash at its entry and at the next one', () => {
    const entries = chain([500n, -150n, -25n]);
    entries[1] = { ...entries[1], hash: 'a'.repeat(64) };
    const problems = verifyAccountChain(entries);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^Account acct-1 entry 2: hash mismatch: stored a{64}/);
    expect(problems[1]).toMatch(/^Account acct-1 entry 3: hash mismatch/);
  });

  it('reports a removed entry as a gap and a broken link', () => {
    const entries = chain([500n, -150n, -25n]);
    const problems = verifyAccountChain([entries[0], entries[2]], { balanceMinor: 325n });
    expect(problems).toContain('Account acct-1 entry 3: out of order: expected sequence 2.');
    expect(problems.some((problem) => /entry 3: hash mismatch/.test(problem))).toBe(true);
  });

  it('reports a chain that does not start at sequence 1', () => {
    const entries = chain([500n]).map((entry) => ({ ...entry, sequence: 2 }));
    expect(verifyAccountChain(entries)[0]).toBe(
      'Account acct-1 entry 2: out of order: expected sequence 1.',
    );
  });

  it('reports swapped entries', () => {
    const entries = chain([500n, -150n]);
    expect(verifyAccountChain([entries[1], entries[0]]).length).toBeGreaterThan(0);
  });

  it('reports an entry of another account or community mixed into the chain', () => {
    const entries = chain([500n, -150n]);
    const foreign = chain([500n, -150n], 'acct-2')[1];
    expect(verifyAccountChain([entries[0], foreign])).toContain(
      'Account acct-1 entry 2: belongs to account acct-2.',
    );
    const otherCommunity = { ...entries[1], communityId: 'comm-2' };
    expect(verifyAccountChain([entries[0], otherCommunity])).toContain(
      'Account acct-1 entry 2: belongs to community comm-2, not comm-1.',
    );
  });

  it('reports two entries of one transfer in an account', () => {
    const entries = chain([500n, -150n]);
    entries[1] = { ...entries[1], transferId: 'tr-1' };
    expect(verifyAccountChain(entries)).toContain(
      'Account acct-1 entry 2: a second entry for transfer tr-1.',
    );
  });

  it('reports damaged fields instead of throwing', () => {
    const entries = chain([500n, -150n]);
    entries[1] = { ...entries[1], postedAt: new Date('nonsense') };
    expect(verifyAccountChain(entries)).toEqual([
      'Account acct-1 entry 2: cannot be hashed: postedAt is not a valid instant.',
    ]);
  });

  it('reports a stored balance given for another account', () => {
    expect(verifyAccountChain(chain([1n]), { accountId: 'acct-2', balanceMinor: 1n })).toEqual([
      'Account acct-1: expected the entries of account acct-2.',
    ]);
  });

  it('verifies a long chain page by page with the same result as at once', () => {
    const entries = chain([500n, -150n, -25n, 7n, 8n, -9n]);
    const checkpoint: ChainCheckpoint = {
      hash: entries[2].hash,
      sequence: entries[2].sequence,
      balanceAfterMinor: entries[2].balanceAfterMinor,
    };
    expect(verifyAccountChain(entries.slice(0, 3))).toEqual([]);
    expect(verifyAccountChain(entries.slice(3), { balanceMinor: 331n }, checkpoint)).toEqual([]);
    expect(verifyAccountChain(entries.slice(4), { balanceMinor: 331n }, checkpoint)).not.toEqual(
      [],
    );
  });

  it('lists at most a bounded number of problems and counts the rest', () => {
    const entries = chain(Array.from({ length: 300 }, () => 1n)).map((entry) => ({
      ...entry,
      hash: 'b'.repeat(64),
    }));
    const problems = verifyAccountChain(entries);
    expect(problems).toHaveLength(MAX_PROBLEMS_PER_ACCOUNT + 1);
    expect(problems[MAX_PROBLEMS_PER_ACCOUNT]).toBe(
      'Account acct-1: 200 more problems not listed.',
    );
  });

  it('detects any single altered field of any entry', () => {
    const fieldChange = fc.oneof(
      fc.record({ field: fc.constant('communityId' as const), value: fc.string({ minLength: 1 }) }),
      fc.record({ field: fc.constant('accountId' as const), value: fc.string({ minLength: 1 }) }),
      fc.record({ field: fc.constant('transferId' as const), value: fc.string({ minLength: 1 }) }),
      fc.record({
        field: fc.constant('sequence' as const),
        value: fc.integer({ min: 1, max: 50 }),
      }),
      fc.record({
        field: fc.constant('amountMinor' as const),
        value: fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
      }),
      fc.record({
        field: fc.constant('balanceAfterMinor' as const),
        value: fc.bigInt({ min: -(10n ** 16n), max: 10n ** 16n }),
      }),
      fc.record({
        field: fc.constant('postedAt' as const),
        value: fc.date({ min: new Date(0), max: new Date('2100-01-01'), noInvalidDate: true }),
      }),
      fc.record({
        field: fc.constant('hash' as const),
        value: fc.stringMatching(/^[0-9a-f]{64}$/),
      }),
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.bigInt({ min: -(10n ** 6n), max: 10n ** 6n }).filter((x) => x !== 0n),
          {
            minLength: 1,
            maxLength: 12,
          },
        ),
        fc.nat(),
        fieldChange,
        (amountsMinor, position, change) => {
          const entries = chain(amountsMinor);
          const index = position % entries.length;
          const original = entries[index];
          const altered = { ...original, [change.field]: change.value };
          fc.pre(canonicalEntryFieldDiffers(original, altered));
          const balanceMinor = entries[entries.length - 1].balanceAfterMinor;
          expect(verifyAccountChain(entries, { balanceMinor })).toEqual([]);
          entries[index] = altered;
          expect(verifyAccountChain(entries, { balanceMinor }).length).toBeGreaterThan(0);
        },
      ),
    );
  });
});

function canonicalEntryFieldDiffers(original: HashedEntry, altered: HashedEntry): boolean {
  return (
    original.hash !== altered.hash ||
    original.communityId !== altered.communityId ||
    original.accountId !== altered.accountId ||
    original.transferId !== altered.transferId ||
    original.sequence !== altered.sequence ||
    original.amountMinor !== altered.amountMinor ||
    original.balanceAfterMinor !== altered.balanceAfterMinor ||
    original.postedAt.getTime() !== altered.postedAt.getTime()
  );
}
