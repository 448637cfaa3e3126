import fc from 'fast-check';
import { formatAmount, MAX_SCALE, parseAmount } from './amount';
import { entryHash, GENESIS_HASH, HashedEntry, verifyAccountChain } from './hash-chain';
import { LedgerError } from './ledger-error';
import {
  AccountLimitsState,
  AccountStatus,
  Leg,
  PostingMode,
  planPosting,
  simpleTransferLegs,
} from './posting';

/**
 * Model-based tests of the ledger core. Random sequences of operations run
 * both through planPosting and through a deliberately naive model written
 * here, and after every step the two must agree on every balance, every
 * pending total and every refusal, while the invariants of DESIGN.md hold.
 */

const HOUR_ACCOUNT_IDS = ['issuance', 'alice', 'bob', 'carol'] as const;
const ACCOUNT_IDS = [...HOUR_ACCOUNT_IDS, 'shop'] as const;
type AccountId = (typeof ACCOUNT_IDS)[number];

interface ModelAccount {
  currency: string;
  status: AccountStatus;
  balance: bigint;
  reservedOut: bigint;
  reservedIn: bigint;
  floor: bigint | null;
  ceiling: bigint | null;
}

type Operation =
  | { kind: 'transfer'; from: AccountId; to: AccountId; amountMinor: bigint; force: boolean }
  | { kind: 'split'; from: AccountId; to: [AccountId, AccountId]; amountsMinor: [bigint, bigint] }
  | { kind: 'hold'; from: AccountId; to: AccountId; amountMinor: bigint }
  | { kind: 'postHeld'; pick: number }
  | { kind: 'releaseHeld'; pick: number }
  | { kind: 'setStatus'; account: AccountId; status: AccountStatus };

interface Scenario {
  limits: Record<AccountId, { floor: bigint | null; ceiling: bigint | null }>;
  operations: Operation[];
}

const accountId = fc.constantFrom(...ACCOUNT_IDS);
const amountMinor = fc.bigInt({ min: 1n, max: 3000n });

function operationArbitrary(allowForce: boolean): fc.Arbitrary<Operation> {
  return fc.oneof(
    {
      weight: 5,
      arbitrary: fc.record({
        kind: fc.constant('transfer' as const),
        from: accountId,
        to: accountId,
        amountMinor,
        force: allowForce ? fc.boolean() : fc.constant(false),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('split' as const),
        from: accountId,
        to: fc.tuple(accountId, accountId),
        amountsMinor: fc.tuple(amountMinor, amountMinor),
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('hold' as const),
        from: accountId,
        to: accountId,
        amountMinor,
      }),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('postHeld' as const), pick: fc.nat() }) },
    {
      weight: 2,
      arbitrary: fc.record({ kind: fc.constant('releaseHeld' as const), pick: fc.nat() }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('setStatus' as const),
        account: accountId,
        status: fc.constantFrom<AccountStatus>('OPEN', 'OPEN', 'FROZEN', 'CLOSED'),
      }),
    },
  );
}

const memberLimits = fc.record({
  floor: fc.option(fc.bigInt({ min: -2000n, max: 0n }), { nil: null, freq: 5 }),
  ceiling: fc.option(fc.bigInt({ min: 0n, max: 5000n }), { nil: null, freq: 2 }),
});

function scenarioArbitrary(allowForce: boolean): fc.Arbitrary<Scenario> {
  return fc.record({
    limits: fc.record({
      issuance: fc.constant({ floor: null, ceiling: null }),
      alice: memberLimits,
      bob: memberLimits,
      carol: memberLimits,
      shop: memberLimits,
    }),
    operations: fc.array(operationArbitrary(allowForce), { minLength: 1, maxLength: 60 }),
  });
}

/** The naive model: one function per operation, returning a refusal code or null. */
class Model {
  readonly accounts = new Map<AccountId, ModelAccount>();
  readonly holds: Array<{ legs: Leg[]; open: boolean }> = [];

  constructor(limits: Scenario['limits']) {
    for (const id of ACCOUNT_IDS) {
      this.accounts.set(id, {
        currency: id === 'shop' ? 'BRK' : 'HOUR',
        status: 'OPEN',
        balance: 0n,
        reservedOut: 0n,
        reservedIn: 0n,
        floor: limits[id].floor,
        ceiling: limits[id].ceiling,
      });
    }
  }

  private get(id: string): ModelAccount {
    const found = this.accounts.get(id as AccountId);
    if (found === undefined) throw new Error(`model has no account ${id}`);
    return found;
  }

  /** Everything POST and HOLD check, in the order the ledger documents. */
  private refusalFor(legs: Leg[], force: boolean): string | null {
    const ids = legs.map((leg) => leg.accountId);
    if (new Set(ids).size !== ids.length) return 'SAME_ACCOUNT';
    const currencies = new Set(ids.map((id) => this.get(id).currency));
    if (currencies.size > 1) return 'CURRENCY_MISMATCH';
    if (ids.some((id) => this.get(id).status !== 'OPEN')) return 'ACCOUNT_NOT_OPEN';
    if (force) return null;
    for (const leg of legs) {
      const account = this.get(leg.accountId);
      const spendable = account.balance - account.reservedOut;
      if (leg.amountMinor < 0n && account.floor !== null) {
        if (spendable + leg.amountMinor < account.floor) return 'INSUFFICIENT_FUNDS';
      }
      const promised = account.balance + account.reservedIn;
      if (leg.amountMinor > 0n && account.ceiling !== null) {
        if (promised + leg.amountMinor > account.ceiling) return 'CEILING_EXCEEDED';
      }
    }
    return null;
  }

  post(legs: Leg[], force: boolean): string | null {
    const refusal = this.refusalFor(legs, force);
    if (refusal !== null) return refusal;
    for (const leg of legs) this.get(leg.accountId).balance += leg.amountMinor;
    return null;
  }

  hold(legs: Leg[]): string | null {
    const refusal = this.refusalFor(legs, false);
    if (refusal !== null) return refusal;
    for (const leg of legs) {
      const account = this.get(leg.accountId);
      if (leg.amountMinor < 0n) account.reservedOut -= leg.amountMinor;
      else account.reservedIn += leg.amountMinor;
    }
    this.holds.push({ legs, open: true });
    return null;
  }

  postHeld(index: number): string | null {
    const held = this.holds[index];
    if (held.legs.some((leg) => this.get(leg.accountId).status !== 'OPEN')) {
      return 'ACCOUNT_NOT_OPEN';
    }
    this.release(index);
    for (const leg of held.legs) this.get(leg.accountId).balance += leg.amountMinor;
    return null;
  }

  release(index: number): null {
    const held = this.holds[index];
    for (const leg of held.legs) {
      const account = this.get(leg.accountId);
      if (leg.amountMinor < 0n) account.reservedOut += leg.amountMinor;
      else account.reservedIn -= leg.amountMinor;
    }
    held.open = false;
    return null;
  }
}

function codeOf(action: () => void): string | null {
  try {
    action();
    return null;
  } catch (error) {
    if (error instanceof LedgerError) return error.code;
    throw error;
  }
}

function openHoldIndex(model: Model, pick: number): number | null {
  const open = model.holds.flatMap((held, index) => (held.open ? [index] : []));
  return open.length === 0 ? null : open[pick % open.length];
}

/** Runs a scenario through the real ledger and the model side by side and checks every step. */
function runScenario(scenario: Scenario, checkLimits: boolean): void {
  const model = new Model(scenario.limits);
  let accounts = new Map<string, AccountLimitsState>(
    ACCOUNT_IDS.map((id) => [
      id,
      {
        id,
        currencyCode: id === 'shop' ? 'BRK' : 'HOUR',
        status: 'OPEN',
        balanceMinor: 0n,
        pendingDebitMinor: 0n,
        pendingCreditMinor: 0n,
        floorMinor: scenario.limits[id].floor,
        ceilingMinor: scenario.limits[id].ceiling,
      },
    ]),
  );
  const entriesByAccount = new Map<
    string,
    Array<{ amountMinor: bigint; balanceAfterMinor: bigint }>
  >(ACCOUNT_IDS.map((id) => [id, []]));

  const run = (legs: Leg[], mode: PostingMode, force = false): void => {
    const plan = planPosting(legs, accounts, mode, { force });
    const next = new Map(accounts);
    for (const [id, state] of plan.accounts) next.set(id, state);
    accounts = next;
    for (const entry of plan.entries) entriesByAccount.get(entry.accountId)?.push(entry);
    if (mode === 'POST' || mode === 'POST_HELD') {
      expect(plan.entries.map((entry) => entry.accountId)).toEqual(
        legs.map((leg) => leg.accountId),
      );
    } else {
      expect(plan.entries).toEqual([]);
    }
  };

  scenario.operations.forEach((operation, step) => {
    let expected: string | null;
    let actual: string | null;
    switch (operation.kind) {
      case 'transfer': {
        const legs = [
          { accountId: operation.from, amountMinor: -operation.amountMinor },
          { accountId: operation.to, amountMinor: operation.amountMinor },
        ];
        expected = model.post(legs, operation.force);
        actual = codeOf(() =>
          run(
            simpleTransferLegs(operation.from, operation.to, operation.amountMinor),
            'POST',
            operation.force,
          ),
        );
        break;
      }
      case 'split': {
        const [firstMinor, secondMinor] = operation.amountsMinor;
        const legs = [
          { accountId: operation.from, amountMinor: -(firstMinor + secondMinor) },
          { accountId: operation.to[0], amountMinor: firstMinor },
          { accountId: operation.to[1], amountMinor: secondMinor },
        ];
        expected = model.post(legs, false);
        actual = codeOf(() => run(legs, 'POST'));
        break;
      }
      case 'hold': {
        const legs = [
          { accountId: operation.from, amountMinor: -operation.amountMinor },
          { accountId: operation.to, amountMinor: operation.amountMinor },
        ];
        expected = model.hold(legs);
        actual = codeOf(() =>
          run(simpleTransferLegs(operation.from, operation.to, operation.amountMinor), 'HOLD'),
        );
        break;
      }
      case 'postHeld':
      case 'releaseHeld': {
        const index = openHoldIndex(model, operation.pick);
        if (index === null) return;
        const legs = model.holds[index].legs;
        const posting = operation.kind === 'postHeld';
        expected = posting ? model.postHeld(index) : model.release(index);
        actual = codeOf(() => run(legs, posting ? 'POST_HELD' : 'RELEASE_HELD'));
        break;
      }
      case 'setStatus': {
        // Freezing and closing are the service's business; both sides just record it.
        const state = accounts.get(operation.account);
        if (state === undefined) throw new Error('unknown account');
        accounts = new Map(accounts).set(operation.account, { ...state, status: operation.status });
        const modelAccount = model.accounts.get(operation.account);
        if (modelAccount === undefined) throw new Error('unknown account');
        modelAccount.status = operation.status;
        expected = null;
        actual = null;
        break;
      }
    }
    const context = `step ${step}: ${JSON.stringify(operation, (_key, value: unknown) =>
      typeof value === 'bigint' ? value.toString() : value,
    )}`;
    expect({ context, refusal: actual }).toEqual({ context, refusal: expected });

    // Same balances and reservations as the model.
    for (const id of ACCOUNT_IDS) {
      const real = accounts.get(id);
      const modelled = model.accounts.get(id);
      expect({
        context,
        id,
        state: real && [real.balanceMinor, real.pendingDebitMinor, real.pendingCreditMinor],
      }).toEqual({
        context,
        id,
        state: modelled && [modelled.balance, modelled.reservedOut, modelled.reservedIn],
      });
    }

    // Invariant 1: per currency, balances sum to zero.
    const sums = new Map<string, bigint>();
    for (const state of accounts.values()) {
      sums.set(state.currencyCode, (sums.get(state.currencyCode) ?? 0n) + state.balanceMinor);
    }
    for (const sum of sums.values()) expect(sum).toBe(0n);

    // Invariant 4: no balance below its floor or above its ceiling, pending debits
    // counting against the floor (only without forced transfers).
    if (checkLimits) {
      for (const state of accounts.values()) {
        if (state.floorMinor !== null) {
          expect(state.balanceMinor - state.pendingDebitMinor).toBeGreaterThanOrEqual(
            state.floorMinor,
          );
          expect(state.balanceMinor).toBeGreaterThanOrEqual(state.floorMinor);
        }
        if (state.ceilingMinor !== null) {
          expect(state.balanceMinor + state.pendingCreditMinor).toBeLessThanOrEqual(
            state.ceilingMinor,
          );
          expect(state.balanceMinor).toBeLessThanOrEqual(state.ceilingMinor);
        }
      }
    }
  });

  // Invariant 3: each entry's balance after is the running sum, and the balance is
  // the sum of the entries; invariant 8: the chain built from them verifies.
  for (const id of ACCOUNT_IDS) {
    const entries = entriesByAccount.get(id) ?? [];
    let runningMinor = 0n;
    let previousHash = GENESIS_HASH;
    const chained: HashedEntry[] = entries.map((entry, index) => {
      runningMinor += entry.amountMinor;
      expect(entry.balanceAfterMinor).toBe(runningMinor);
      const input = {
        communityId: 'comm-1',
        accountId: id,
        sequence: index + 1,
        transferId: `transfer-${index + 1}`,
        amountMinor: entry.amountMinor,
        balanceAfterMinor: entry.balanceAfterMinor,
        postedAt: new Date(Date.UTC(2024, 0, 1, 0, 0, 0, index)),
      };
      previousHash = entryHash(previousHash, input);
      return { ...input, hash: previousHash };
    });
    const balanceMinor = accounts.get(id)?.balanceMinor;
    expect(runningMinor).toBe(balanceMinor);
    expect(verifyAccountChain(chained, { accountId: id, balanceMinor: runningMinor })).toEqual([]);
  }
}

describe('ledger model', () => {
  it('agrees with a naive model and keeps every invariant over random operations', () => {
    fc.assert(
      fc.property(scenarioArbitrary(false), (scenario) => runScenario(scenario, true)),
      { numRuns: 300 },
    );
  });

  it('agrees with the model when stewards force transfers past the limits', () => {
    fc.assert(
      fc.property(scenarioArbitrary(true), (scenario) => runScenario(scenario, false)),
      { numRuns: 200 },
    );
  });

  it('never lets a hold be spent twice: holds and posts together respect the floor', () => {
    // A fixed scenario that a random search finds only rarely.
    runScenario(
      {
        limits: {
          issuance: { floor: null, ceiling: null },
          alice: { floor: 0n, ceiling: null },
          bob: { floor: 0n, ceiling: 1000n },
          carol: { floor: -500n, ceiling: null },
          shop: { floor: 0n, ceiling: null },
        },
        operations: [
          { kind: 'transfer', from: 'issuance', to: 'alice', amountMinor: 1000n, force: false },
          { kind: 'hold', from: 'alice', to: 'bob', amountMinor: 700n },
          { kind: 'transfer', from: 'alice', to: 'carol', amountMinor: 301n, force: false },
          { kind: 'transfer', from: 'alice', to: 'carol', amountMinor: 300n, force: false },
          { kind: 'transfer', from: 'carol', to: 'bob', amountMinor: 301n, force: false },
          { kind: 'setStatus', account: 'bob', status: 'FROZEN' },
          { kind: 'postHeld', pick: 0 },
          { kind: 'setStatus', account: 'bob', status: 'OPEN' },
          { kind: 'postHeld', pick: 0 },
          { kind: 'transfer', from: 'alice', to: 'carol', amountMinor: 1n, force: false },
        ],
      },
      true,
    );
  });
});

describe('amount text round trip', () => {
  it('parseAmount(formatAmount(x, scale), scale) is x for every valid x and scale 0..8', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 15n }),
        fc.integer({ min: 0, max: MAX_SCALE }),
        (minor, scale) => {
          expect(parseAmount(formatAmount(minor, scale), scale)).toBe(minor);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
