import fc from 'fast-check';
import { PostingCommand, TransferCommand } from './commands';
import { GENESIS_HASH, HashedEntry, transferDigest, verifyAccountChain } from './hash-chain';
import { AccountWrite, CommandResult, planGroup, PlannedEntryRow } from './planner';
import { LedgerPolicy, readPolicy } from './policy';
import { AccountSnapshot, keyOf, LedgerSnapshot, StoredTransfer } from './snapshot';

/**
 * The planner against a simple oracle. fast-check generates command
 * sequences (transfers, holds, posts and voids of holds, retries of earlier
 * idempotency keys with the same or a different request) and cuts them into
 * groups at random. The planner runs each group against a snapshot of an
 * in-memory ledger and its writes are applied to it; the oracle (the model
 * below, written from DESIGN.md's rules, one command at a time) says what
 * each command must do. They must agree on every outcome and refusal code,
 * every balance and pending total, and the entries must form intact hash
 * chains with running balances and totals, whatever the grouping.
 */

const COMMUNITY = 'community-1';
const STEWARD = 'steward';
const USERS = ['ana', 'ben', 'cai'] as const;
const FEES = 'fees';
const UNKNOWN = 'no-such-account';
const FEE_MINOR = 5n;
const DAILY_LIMIT_MINOR = 8000n;
const EARNED_PERCENT = 50n;
const EARNED_CAP_MINOR = 800n;

const POLICY: LedgerPolicy = readPolicy(1, {
  mode: 'MUTUAL_CREDIT',
  defaultFloorMinor: '-2000',
  defaultCeilingMinor: null,
  reserveCurrencyCode: null,
  mintRate: null,
  backingRatio: null,
  redemptionFeePercent: null,
  transactionFeeFixedMinor: FEE_MINOR.toString(),
  transactionFeePaidBy: 'PAYER',
  transactionFeeAccountId: FEES,
  dailyOutflowLimitMinor: DAILY_LIMIT_MINOR.toString(),
  earnedCredit: { percent: EARNED_PERCENT.toString(), capMinor: EARNED_CAP_MINOR.toString() },
});

interface Limits {
  floor: bigint | null;
  ceiling: bigint | null;
}

const ACCOUNT_LIMITS: Record<string, Limits> = {
  ana: { floor: -2000n, ceiling: null },
  ben: { floor: -500n, ceiling: 3000n },
  cai: { floor: 0n, ceiling: 1500n },
  [FEES]: { floor: 0n, ceiling: null },
};

// ---- the oracle -------------------------------------------------------------

interface ModelAccount extends Limits {
  balance: bigint;
  pendingDebit: bigint;
  pendingCredit: bigint;
  received: bigint;
  totalOut: bigint;
}

interface ModelHold {
  from: string;
  to: string;
  amount: bigint;
  fee: bigint;
  status: 'PENDING' | 'POSTED' | 'VOIDED';
  /** Known to the system once the group that made it has run. */
  flushed: boolean;
  id: string | null;
}

type Expected = { outcome: 'APPLIED' | 'REPLAYED' } | { outcome: 'REFUSED'; code: string };

class Model {
  accounts = new Map<string, ModelAccount>();
  keys = new Map<string, { fingerprint: string; hold: number | null }>();
  holds: ModelHold[] = [];

  constructor() {
    for (const [id, limits] of Object.entries(ACCOUNT_LIMITS)) {
      this.accounts.set(id, {
        ...limits,
        balance: 0n,
        pendingDebit: 0n,
        pendingCredit: 0n,
        received: 0n,
        totalOut: 0n,
      });
    }
  }

  private floorOf(account: ModelAccount): bigint | null {
    if (account.floor === null) return null;
    const earnedRaw = (account.received * EARNED_PERCENT + 50n) / 100n;
    return account.floor - (earnedRaw < EARNED_CAP_MINOR ? earnedRaw : EARNED_CAP_MINOR);
  }

  transfer(step: TransferStep): Expected {
    const key = keyOf(step.user, step.key);
    const used = this.keys.get(key);
    if (used !== undefined) {
      return used.fingerprint === step.fingerprint
        ? { outcome: 'REPLAYED' }
        : { outcome: 'REFUSED', code: 'IDEMPOTENCY_KEY_REUSED' };
    }
    const refusal = this.refusal(step);
    if (refusal !== null) return { outcome: 'REFUSED', code: refusal };
    const from = this.accounts.get(step.from)!;
    const to = this.accounts.get(step.to)!;
    const fees = this.accounts.get(FEES)!;
    const fee = feeOf(step);
    if (step.hold) {
      from.pendingDebit += step.amount + fee;
      to.pendingCredit += step.amount;
      if (fee > 0n) fees.pendingCredit += fee;
      this.holds.push({
        from: step.from,
        to: step.to,
        amount: step.amount,
        fee,
        status: 'PENDING',
        flushed: false,
        id: null,
      });
      this.keys.set(key, { fingerprint: step.fingerprint, hold: this.holds.length - 1 });
    } else {
      this.post(from, to, fees, step.amount, fee);
      this.keys.set(key, { fingerprint: step.fingerprint, hold: null });
    }
    return { outcome: 'APPLIED' };
  }

  private refusal(step: TransferStep): string | null {
    if (!this.accounts.has(step.to)) return 'ACCOUNT_NOT_FOUND';
    if (step.user !== STEWARD && step.user !== step.from) return 'NOT_YOURS';
    const from = this.accounts.get(step.from)!;
    const to = this.accounts.get(step.to)!;
    const outflow = step.amount + feeOf(step);
    if (from.totalOut + outflow > DAILY_LIMIT_MINOR) return 'DAILY_LIMIT_EXCEEDED';
    const floor = this.floorOf(from);
    if (floor !== null && from.balance - from.pendingDebit - outflow < floor) {
      return 'INSUFFICIENT_FUNDS';
    }
    if (to.ceiling !== null && to.balance + to.pendingCredit + step.amount > to.ceiling) {
      return 'CEILING_EXCEEDED';
    }
    return null;
  }

  private post(
    from: ModelAccount,
    to: ModelAccount,
    fees: ModelAccount,
    amount: bigint,
    fee: bigint,
  ): void {
    from.balance -= amount + fee;
    from.totalOut += amount + fee;
    to.balance += amount;
    // Every credit of a trade counts as received, the fee's too.
    to.received += amount;
    fees.balance += fee;
    fees.received += fee;
  }

  settle(index: number, event: 'POST' | 'VOID'): Expected {
    const hold = this.holds[index];
    if (hold.status !== 'PENDING') return { outcome: 'REFUSED', code: 'INVALID_STATE_TRANSITION' };
    const from = this.accounts.get(hold.from)!;
    const to = this.accounts.get(hold.to)!;
    const fees = this.accounts.get(FEES)!;
    from.pendingDebit -= hold.amount + hold.fee;
    to.pendingCredit -= hold.amount;
    fees.pendingCredit -= hold.fee;
    if (event === 'POST') this.post(from, to, fees, hold.amount, hold.fee);
    hold.status = event === 'POST' ? 'POSTED' : 'VOIDED';
    return { outcome: 'APPLIED' };
  }
}

/** The fixed fee, which the fee account does not pay to itself. */
function feeOf(step: TransferStep): bigint {
  return step.to === FEES ? 0n : FEE_MINOR;
}

// ---- the system: the planner over an in-memory ledger -----------------------

interface StoredEntry extends PlannedEntryRow {
  transferId: string;
}

class Ledger {
  accounts = new Map<string, AccountSnapshot>();
  transfers = new Map<string, StoredTransfer>();
  entries = new Map<string, StoredEntry[]>();
  private nextId = 0;

  constructor() {
    for (const [id, limits] of Object.entries(ACCOUNT_LIMITS)) {
      this.accounts.set(id, {
        id,
        currencyCode: 'HOUR',
        kind: id === FEES ? 'FEES' : 'MEMBER',
        name: `${id} HOUR`,
        ownerId: id === FEES ? null : id,
        ownerName: id === FEES ? null : id,
        status: 'OPEN',
        balanceMinor: 0n,
        pendingDebitMinor: 0n,
        pendingCreditMinor: 0n,
        floorMinor: limits.floor,
        ceilingMinor: limits.ceiling,
        warningMinor: null,
        receivedMinor: 0n,
        totalInMinor: 0n,
        totalOutMinor: 0n,
        entryCount: 0n,
        lastHash: GENESIS_HASH,
        windowStartOutMinor: 0n,
      });
      this.entries.set(id, []);
    }
  }

  run(commands: PostingCommand[]): CommandResult[] {
    const keyed = new Map<string, StoredTransfer>();
    for (const transfer of this.transfers.values()) {
      keyed.set(keyOf(transfer.record.initiatedBy, transfer.record.idempotencyKey), transfer);
    }
    const snapshot: LedgerSnapshot = {
      communityId: COMMUNITY,
      now: new Date(Date.UTC(2026, 0, 1, 12, 0, 0, this.nextId)),
      accounts: new Map(this.accounts),
      requestedAccountIds: new Set([...this.accounts.keys(), UNKNOWN]),
      currencies: new Map([
        ['HOUR', { code: 'HOUR', scale: 2, issuanceAccountId: null, policy: POLICY }],
      ]),
      keyed,
      referenced: new Map(this.transfers),
      reversed: new Set(),
      dueHolds: [],
    };
    const plan = planGroup(snapshot, commands, () => `transfer-${(this.nextId += 1)}`);
    for (const transfer of plan.inserts) this.transfers.set(transfer.record.id, transfer);
    for (const settled of plan.settlements) {
      const transfer = this.transfers.get(settled.transferId)!;
      this.transfers.set(settled.transferId, { ...transfer, ...settled });
    }
    for (const entry of plan.entries) this.entries.get(entry.accountId)!.push(entry);
    for (const write of plan.accounts) this.apply(write);
    return plan.results;
  }

  private apply(write: AccountWrite): void {
    const account = this.accounts.get(write.id)!;
    this.accounts.set(write.id, {
      ...account,
      balanceMinor: write.balanceMinor,
      pendingDebitMinor: write.pendingDebitMinor,
      pendingCreditMinor: write.pendingCreditMinor,
      receivedMinor: write.receivedMinor,
      totalInMinor: write.totalInMinor,
      totalOutMinor: write.totalOutMinor,
      entryCount: write.entryCount,
      lastHash: write.lastHash,
    });
  }
}

// ---- the steps ----------------------------------------------------------------

interface TransferStep {
  kind: 'transfer';
  user: string;
  from: string;
  to: string;
  amount: bigint;
  hold: boolean;
  key: string;
  fingerprint: string;
}

type Step =
  | TransferStep
  | { kind: 'retry'; of: number; changed: boolean }
  | { kind: 'settle'; hold: number; event: 'POST' | 'VOID' }
  | { kind: 'flush' };

const transferStep = fc
  .record({
    user: fc.constantFrom(...USERS, STEWARD),
    from: fc.constantFrom(...USERS),
    to: fc.constantFrom<string>(...USERS, FEES, UNKNOWN),
    amount: fc.bigInt({ min: 1n, max: 900n }),
    hold: fc.boolean(),
    key: fc.integer({ min: 0, max: 1_000_000 }),
  })
  .filter((step) => step.from !== step.to)
  .map((step): TransferStep => ({
    kind: 'transfer',
    ...step,
    key: `key-${step.key}`,
    fingerprint: `${step.from}>${step.to}:${step.amount}:${step.hold}`,
  }));

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: transferStep },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('retry' as const),
      of: fc.nat(),
      changed: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('settle' as const),
      hold: fc.nat(),
      event: fc.constantFrom('POST' as const, 'VOID' as const),
    }),
  },
  { weight: 2, arbitrary: fc.constant({ kind: 'flush' as const }) },
);

function commandOf(step: TransferStep): TransferCommand {
  return {
    type: 'TRANSFER',
    origin: 'USER',
    initiator: { userId: step.user, steward: step.user === STEWARD },
    idempotencyKey: step.key,
    fingerprint: step.fingerprint.padEnd(64, '0'),
    memo: null,
    kind: 'EXCHANGE',
    fromAccountId: step.from,
    toAccountId: step.to,
    amountMinor: step.amount,
    holdUntil: step.hold ? new Date(Date.UTC(2026, 0, 2)) : null,
  };
}

function outcomeOf(result: CommandResult): Expected | { outcome: 'NOTHING' } {
  if (result.outcome === 'REFUSED') return { outcome: 'REFUSED', code: result.error.code };
  return { outcome: result.outcome };
}

/** Runs steps through the model and the planner, checking them against each other. */
function check(steps: Step[]): void {
  const model = new Model();
  const ledger = new Ledger();
  const transfers: TransferStep[] = [];
  let buffer: Array<{ command: PostingCommand; expected: Expected; hold: number | null }> = [];

  const flush = () => {
    if (buffer.length === 0) return;
    const results = ledger.run(buffer.map((item) => item.command));
    results.forEach((result, index) => {
      const item = buffer[index];
      expect({ index, ...outcomeOf(result) }).toEqual({ index, ...item.expected });
      if (item.hold !== null && result.outcome === 'APPLIED') {
        const hold = model.holds[item.hold];
        hold.flushed = true;
        hold.id = result.transfers[0].record.id;
      }
    });
    buffer = [];
  };

  for (const current of steps) {
    switch (current.kind) {
      case 'transfer': {
        const before = model.holds.length;
        const expected = model.transfer(current);
        transfers.push(current);
        buffer.push({
          command: commandOf(current),
          expected,
          hold: model.holds.length > before ? before : null,
        });
        break;
      }
      case 'retry': {
        if (transfers.length === 0) break;
        const original = transfers[current.of % transfers.length];
        const retry: TransferStep = current.changed
          ? { ...original, amount: original.amount + 1n, fingerprint: `${original.fingerprint}+1` }
          : original;
        buffer.push({ command: commandOf(retry), expected: model.transfer(retry), hold: null });
        break;
      }
      case 'settle': {
        const known = model.holds.filter((hold) => hold.flushed);
        if (known.length === 0) break;
        const hold = known[current.hold % known.length];
        const index = model.holds.indexOf(hold);
        buffer.push({
          command: {
            type: 'SETTLE',
            transferId: hold.id!,
            event: current.event,
            authority: { by: 'USER', initiator: { userId: STEWARD, steward: true } },
          },
          expected: model.settle(index, current.event),
          hold: null,
        });
        break;
      }
      case 'flush':
        flush();
        break;
    }
  }
  flush();

  for (const [id, expected] of model.accounts) {
    const actual = ledger.accounts.get(id)!;
    expect({
      id,
      balance: actual.balanceMinor,
      pendingDebit: actual.pendingDebitMinor,
      pendingCredit: actual.pendingCreditMinor,
      received: actual.receivedMinor,
    }).toEqual({
      id,
      balance: expected.balance,
      pendingDebit: expected.pendingDebit,
      pendingCredit: expected.pendingCredit,
      received: expected.received,
    });
    const entries: HashedEntry[] = ledger.entries.get(id)!.map((entry) => ({
      communityId: COMMUNITY,
      accountId: id,
      sequence: Number(entry.sequence),
      transferId: entry.transferId,
      amountMinor: entry.amountMinor,
      balanceAfterMinor: entry.balanceAfterMinor,
      totalInMinor: entry.totalInMinor,
      totalOutMinor: entry.totalOutMinor,
      postedAt: entry.postedAt,
      hash: entry.hash,
      hashVersion: entry.hashVersion,
      transferDigest: transferDigest(ledger.transfers.get(entry.transferId)!.record),
    }));
    expect(verifyAccountChain(entries, { accountId: id, balanceMinor: expected.balance })).toEqual(
      [],
    );
  }
  let sum = 0n;
  for (const account of ledger.accounts.values()) sum += account.balanceMinor;
  expect(sum).toBe(0n);
}

describe('planGroup against the oracle', () => {
  it('agrees on outcomes, balances and entries for any commands cut into any groups', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => check(steps)),
      { numRuns: 300 },
    );
  });

  it('posts the same whether the commands come one group at a time or all in one', () => {
    fc.assert(
      fc.property(fc.array(transferStep, { minLength: 1, maxLength: 30 }), (steps) => {
        const one = new Ledger();
        const many = new Ledger();
        const together = one.run(steps.map(commandOf)).map(outcomeOf);
        const apart = steps.flatMap((item) => many.run([commandOf(item)])).map(outcomeOf);
        expect(together).toEqual(apart);
        for (const id of Object.keys(ACCOUNT_LIMITS)) {
          expect(one.accounts.get(id)!.balanceMinor).toBe(many.accounts.get(id)!.balanceMinor);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('never lets a refused command leave a trace: an atomic batch is all or none', () => {
    const ledger = new Ledger();
    const ok: TransferStep = {
      kind: 'transfer',
      user: 'ana',
      from: 'ana',
      to: 'ben',
      amount: 100n,
      hold: false,
      key: 'a',
      fingerprint: 'a',
    };
    const tooMuch: TransferStep = { ...ok, key: 'b', fingerprint: 'b', amount: 1700n, to: 'cai' };
    const [result] = ledger.run([
      { type: 'ATOMIC_BATCH', transfers: [commandOf(ok), commandOf(tooMuch)] },
    ]);
    expect(result).toMatchObject({ outcome: 'REFUSED', error: { code: 'CEILING_EXCEEDED' } });
    expect(ledger.accounts.get('ana')!.balanceMinor).toBe(0n);
    expect(ledger.entries.get('ana')).toEqual([]);
    // The refusal speaks in the currency's units and names the account.
    expect(result.outcome === 'REFUSED' && result.error.message).toBe(
      "Cai's HOUR account cannot receive 17.00 HOUR: it would pass the account's ceiling",
    );
  });
});
