import { MAX_AMOUNT_MINOR } from './amount';
import { LedgerError } from './ledger-error';
import {
  AccountLimitsState,
  Leg,
  MAX_BALANCE_MINOR,
  MAX_LEGS_PER_TRANSFER,
  PostingMode,
  availableBalanceMinor,
  feeTransferLegs,
  planPosting,
  reversalLegs,
  simpleTransferLegs,
  validateLegs,
} from './posting';

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal, but the call succeeded');
}

function refusalCode(action: () => unknown): string {
  const error = thrownBy(action);
  if (error instanceof LedgerError) return error.code;
  throw error;
}

function expectAssertion(action: () => unknown): void {
  const error = thrownBy(action);
  expect(error).not.toBeInstanceOf(LedgerError);
  expect(String(error)).toMatch(/Assertion failed/);
}

/** An open HOUR account at 0 with a mutual-credit floor of -10.00 hours and no ceiling. */
function account(id: string, overrides: Partial<AccountLimitsState> = {}): AccountLimitsState {
  return {
    id,
    currencyCode: 'HOUR',
    status: 'OPEN',
    balanceMinor: 0n,
    pendingDebitMinor: 0n,
    pendingCreditMinor: 0n,
    floorMinor: -1000n,
    ceilingMinor: null,
    ...overrides,
  };
}

function accountsOf(...states: AccountLimitsState[]): Map<string, AccountLimitsState> {
  return new Map(states.map((state) => [state.id, state]));
}

function plan(
  legs: Leg[],
  states: AccountLimitsState[],
  mode: PostingMode = 'POST',
  force = false,
): ReturnType<typeof planPosting> {
  return planPosting(legs, accountsOf(...states), mode, { force });
}

describe('simpleTransferLegs', () => {
  it('takes the amount from one account and gives it to the other', () => {
    expect(simpleTransferLegs('alice', 'bob', 150n)).toEqual([
      { accountId: 'alice', amountMinor: -150n },
      { accountId: 'bob', amountMinor: 150n },
    ]);
  });

  it('refuses a transfer from an account to itself', () => {
    const error = thrownBy(() => simpleTransferLegs('alice', 'alice', 150n));
    expect(error).toMatchObject({ code: 'SAME_ACCOUNT', details: { accountId: 'alice' } });
  });

  it.each([0n, -1n, -150n])('refuses the amount %p as not positive', (amountMinor) => {
    expect(refusalCode(() => simpleTransferLegs('alice', 'bob', amountMinor))).toBe(
      'AMOUNT_NOT_POSITIVE',
    );
  });

  it('refuses an amount above the largest single amount', () => {
    expect(refusalCode(() => simpleTransferLegs('alice', 'bob', MAX_AMOUNT_MINOR + 1n))).toBe(
      'AMOUNT_TOO_LARGE',
    );
  });
});

describe('validateLegs', () => {
  function balancedLegs(count: number): Leg[] {
    const legs: Leg[] = [{ accountId: 'payer', amountMinor: -BigInt(count - 1) }];
    for (let index = 1; index < count; index += 1) {
      legs.push({ accountId: `payee-${index}`, amountMinor: 1n });
    }
    return legs;
  }

  it('accepts up to the maximum number of legs', () => {
    expect(() => validateLegs(balancedLegs(MAX_LEGS_PER_TRANSFER))).not.toThrow();
  });

  it('refuses one leg more than the maximum', () => {
    const error = thrownBy(() => validateLegs(balancedLegs(MAX_LEGS_PER_TRANSFER + 1)));
    expect(error).toMatchObject({
      code: 'TOO_MANY_ENTRIES',
      details: { maxEntries: MAX_LEGS_PER_TRANSFER },
    });
  });

  it('refuses an account that appears twice', () => {
    const legs = [
      { accountId: 'payer', amountMinor: -2n },
      { accountId: 'payee', amountMinor: 1n },
      { accountId: 'payee', amountMinor: 1n },
    ];
    expect(thrownBy(() => validateLegs(legs))).toMatchObject({
      code: 'SAME_ACCOUNT',
      details: { accountId: 'payee' },
    });
  });

  it('refuses a leg larger than the largest single amount', () => {
    const legs = [
      { accountId: 'payer', amountMinor: -(MAX_AMOUNT_MINOR + 1n) },
      { accountId: 'payee', amountMinor: MAX_AMOUNT_MINOR + 1n },
    ];
    expect(refusalCode(() => validateLegs(legs))).toBe('AMOUNT_TOO_LARGE');
  });

  it('treats legs that do not sum to zero as a bug', () => {
    expectAssertion(() =>
      validateLegs([
        { accountId: 'payer', amountMinor: -100n },
        { accountId: 'payee', amountMinor: 99n },
      ]),
    );
  });

  it('treats fewer than two legs, a zero leg or a nameless account as a bug', () => {
    expectAssertion(() => validateLegs([]));
    expectAssertion(() => validateLegs([{ accountId: 'payer', amountMinor: 0n }]));
    expectAssertion(() =>
      validateLegs([
        { accountId: 'payer', amountMinor: -1n },
        { accountId: 'payee', amountMinor: 1n },
        { accountId: 'fees', amountMinor: 0n },
      ]),
    );
    expectAssertion(() =>
      validateLegs([
        { accountId: '', amountMinor: -1n },
        { accountId: 'payee', amountMinor: 1n },
      ]),
    );
  });
});

describe('feeTransferLegs', () => {
  it('takes the fee out of what the recipient receives', () => {
    expect(
      feeTransferLegs('shop', 'issuance', 1000n, [{ accountId: 'fees', feeMinor: 20n }]),
    ).toEqual([
      { accountId: 'shop', amountMinor: -1000n },
      { accountId: 'issuance', amountMinor: 980n },
      { accountId: 'fees', amountMinor: 20n },
    ]);
  });

  it('leaves a zero fee out rather than writing an empty entry', () => {
    expect(feeTransferLegs('alice', 'bob', 1n, [{ accountId: 'fees', feeMinor: 0n }])).toEqual([
      { accountId: 'alice', amountMinor: -1n },
      { accountId: 'bob', amountMinor: 1n },
    ]);
  });

  it('refuses fees that would take the whole amount', () => {
    const error = thrownBy(() =>
      feeTransferLegs('alice', 'bob', 50n, [{ accountId: 'fees', feeMinor: 50n }]),
    );
    expect(error).toMatchObject({
      code: 'FEE_EXCEEDS_AMOUNT',
      details: { amountMinor: '50', feeMinor: '50' },
    });
  });

  it('refuses a fee paid to the payer or recipient, and a transfer to oneself', () => {
    expect(
      refusalCode(() => feeTransferLegs('alice', 'bob', 50n, [{ accountId: 'bob', feeMinor: 1n }])),
    ).toBe('SAME_ACCOUNT');
    expect(refusalCode(() => feeTransferLegs('alice', 'alice', 50n, []))).toBe('SAME_ACCOUNT');
    expect(refusalCode(() => feeTransferLegs('alice', 'bob', 0n, []))).toBe('AMOUNT_NOT_POSITIVE');
  });

  it('treats a negative fee as a bug', () => {
    expectAssertion(() =>
      feeTransferLegs('alice', 'bob', 50n, [{ accountId: 'fees', feeMinor: -1n }]),
    );
  });
});

describe('reversalLegs', () => {
  it('negates every leg of the original transfer', () => {
    const original = feeTransferLegs('alice', 'bob', 100n, [{ accountId: 'fees', feeMinor: 3n }]);
    expect(reversalLegs(original)).toEqual([
      { accountId: 'alice', amountMinor: 100n },
      { accountId: 'bob', amountMinor: -97n },
      { accountId: 'fees', amountMinor: -3n },
    ]);
  });
});

describe('planPosting POST', () => {
  it('moves an hour between two time-bank members and reports the balances after', () => {
    const alice = account('alice');
    const bob = account('bob', { balanceMinor: 200n });
    const result = plan(simpleTransferLegs('alice', 'bob', 100n), [alice, bob]);
    expect(result.entries).toEqual([
      { accountId: 'alice', amountMinor: -100n, balanceAfterMinor: -100n },
      { accountId: 'bob', amountMinor: 100n, balanceAfterMinor: 300n },
    ]);
    expect(result.accounts.get('alice')?.balanceMinor).toBe(-100n);
    expect(result.accounts.get('bob')?.balanceMinor).toBe(300n);
    expect(result.warnings).toEqual([]);
  });

  it('returns entries in leg order and states only for the accounts of the transfer', () => {
    const legs = feeTransferLegs('alice', 'bob', 100n, [{ accountId: 'fees', feeMinor: 5n }]);
    const states = [account('fees'), account('bob'), account('alice'), account('carol')];
    const result = plan(legs, states);
    expect(result.entries.map((entry) => entry.accountId)).toEqual(['alice', 'bob', 'fees']);
    expect([...result.accounts.keys()].sort()).toEqual(['alice', 'bob', 'fees']);
  });

  it('never modifies the accounts or legs it was given', () => {
    const alice = account('alice', { balanceMinor: 500n });
    const bob = account('bob');
    const legs = simpleTransferLegs('alice', 'bob', 100n);
    const accounts = accountsOf(alice, bob);
    const snapshot = structuredClone({ alice, bob, legs });
    for (const mode of ['POST', 'HOLD'] as const) planPosting(legs, accounts, mode);
    expect({ alice, bob, legs }).toEqual(snapshot);
    expect(accounts.get('alice')).toBe(alice);
  });

  it('lets a member spend down to exactly the floor', () => {
    const result = plan(simpleTransferLegs('alice', 'bob', 1000n), [
      account('alice'),
      account('bob'),
    ]);
    expect(result.accounts.get('alice')?.balanceMinor).toBe(-1000n);
  });

  it('refuses one minor unit below the floor and says what was available', () => {
    const error = thrownBy(() =>
      plan(simpleTransferLegs('alice', 'bob', 1001n), [account('alice'), account('bob')]),
    );
    expect(error).toMatchObject({
      code: 'INSUFFICIENT_FUNDS',
      details: {
        accountId: 'alice',
        balanceMinor: '0',
        heldMinor: '0',
        floorMinor: '-1000',
        amountMinor: '1001',
      },
    });
  });

  it('refuses any overdraft of a LOCAL account with a floor of zero', () => {
    const shopper = account('shopper', { currencyCode: 'BRK', floorMinor: 0n, balanceMinor: 99n });
    const shop = account('shop', { currencyCode: 'BRK', floorMinor: 0n });
    expect(
      refusalCode(() => plan(simpleTransferLegs('shopper', 'shop', 100n), [shopper, shop])),
    ).toBe('INSUFFICIENT_FUNDS');
  });

  it('counts pending debits against the floor', () => {
    const alice = account('alice', { balanceMinor: 500n, pendingDebitMinor: 1400n });
    const error = thrownBy(() =>
      plan(simpleTransferLegs('alice', 'bob', 101n), [alice, account('bob')]),
    );
    expect(error).toMatchObject({
      code: 'INSUFFICIENT_FUNDS',
      details: { balanceMinor: '500', heldMinor: '1400' },
    });
    expect(
      plan(simpleTransferLegs('alice', 'bob', 100n), [alice, account('bob')]).accounts.get('alice')
        ?.balanceMinor,
    ).toBe(400n);
  });

  it('does not let pending credits be spent', () => {
    const alice = account('alice', { floorMinor: 0n, pendingCreditMinor: 10_000n });
    expect(
      refusalCode(() => plan(simpleTransferLegs('alice', 'bob', 1n), [alice, account('bob')])),
    ).toBe('INSUFFICIENT_FUNDS');
  });

  it('lets the ISSUANCE account, which has no floor, go as negative as policy mints', () => {
    const issuance = account('issuance', { floorMinor: null, balanceMinor: -(10n ** 16n) });
    const result = plan(simpleTransferLegs('issuance', 'alice', MAX_AMOUNT_MINOR), [
      issuance,
      account('alice'),
    ]);
    expect(result.accounts.get('issuance')?.balanceMinor).toBe(-(10n ** 16n) - MAX_AMOUNT_MINOR);
  });

  it('refuses a credit above the ceiling and does not reveal the recipient balance', () => {
    const bob = account('bob', { balanceMinor: 4000n, ceilingMinor: 5000n });
    const error = thrownBy(() =>
      plan(simpleTransferLegs('alice', 'bob', 1001n), [
        account('alice', { floorMinor: null }),
        bob,
      ]),
    );
    expect(error).toMatchObject({ code: 'CEILING_EXCEEDED', details: { accountId: 'bob' } });
    // What was asked, never what the recipient holds.
    expect((error as LedgerError).details).toEqual({ accountId: 'bob', amountMinor: '1001' });
    expect(
      plan(simpleTransferLegs('alice', 'bob', 1000n), [account('alice'), bob]).accounts.get('bob')
        ?.balanceMinor,
    ).toBe(5000n);
  });

  it('counts pending credits against the ceiling', () => {
    const bob = account('bob', { ceilingMinor: 1000n, pendingCreditMinor: 900n });
    expect(
      refusalCode(() => plan(simpleTransferLegs('alice', 'bob', 101n), [account('alice'), bob])),
    ).toBe('CEILING_EXCEEDED');
  });

  it('lets an account over its ceiling pay out, and one under its floor receive', () => {
    // A steward may lower a ceiling or raise a floor past the current balance;
    // the account can then only move back towards its limits.
    const rich = account('rich', { balanceMinor: 9000n, ceilingMinor: 5000n });
    const poor = account('poor', { balanceMinor: -2000n, floorMinor: -1000n });
    const result = plan(simpleTransferLegs('rich', 'poor', 500n), [rich, poor]);
    expect(result.accounts.get('rich')?.balanceMinor).toBe(8500n);
    expect(result.accounts.get('poor')?.balanceMinor).toBe(-1500n);
    expect(refusalCode(() => plan(simpleTransferLegs('poor', 'rich', 1n), [rich, poor]))).toBe(
      'INSUFFICIENT_FUNDS',
    );
  });

  it('refuses accounts of different currencies', () => {
    const error = thrownBy(() =>
      plan(simpleTransferLegs('alice', 'bob', 1n), [
        account('alice'),
        account('bob', { currencyCode: 'BRK' }),
      ]),
    );
    expect(error).toMatchObject({
      code: 'CURRENCY_MISMATCH',
      details: { accountId: 'bob', currencyCode: 'BRK', expectedCurrencyCode: 'HOUR' },
    });
  });

  it.each(['FROZEN', 'CLOSED'] as const)('refuses to debit or credit a %s account', (status) => {
    for (const [from, to] of [
      [account('alice', { status }), account('bob')],
      [account('alice'), account('bob', { status })],
    ]) {
      const error = thrownBy(() => plan(simpleTransferLegs('alice', 'bob', 1n), [from, to]));
      expect(error).toMatchObject({ code: 'ACCOUNT_NOT_OPEN', details: { status } });
    }
  });

  it('checks status before limits, and limits leg by leg', () => {
    const frozenPayee = account('bob', { status: 'FROZEN' });
    const brokePayer = account('alice', { floorMinor: 0n });
    expect(
      refusalCode(() => plan(simpleTransferLegs('alice', 'bob', 1n), [brokePayer, frozenPayee])),
    ).toBe('ACCOUNT_NOT_OPEN');
    const fullPayee = account('bob', { ceilingMinor: 0n });
    expect(
      refusalCode(() => plan(simpleTransferLegs('alice', 'bob', 1n), [brokePayer, fullPayee])),
    ).toBe('INSUFFICIENT_FUNDS');
    const creditFirst = [...simpleTransferLegs('alice', 'bob', 1n)].reverse();
    expect(refusalCode(() => plan(creditFirst, [brokePayer, fullPayee]))).toBe('CEILING_EXCEEDED');
  });

  it('lets a steward force a reversal past floor and ceiling', () => {
    const payee = account('bob', { balanceMinor: 0n, floorMinor: 0n });
    const payer = account('alice', { balanceMinor: 100n, ceilingMinor: 100n });
    const result = plan(simpleTransferLegs('bob', 'alice', 300n), [payer, payee], 'POST', true);
    expect(result.accounts.get('bob')?.balanceMinor).toBe(-300n);
    expect(result.accounts.get('alice')?.balanceMinor).toBe(400n);
  });

  it('never lets force move money through a frozen account or across currencies', () => {
    expect(
      refusalCode(() =>
        plan(
          simpleTransferLegs('alice', 'bob', 1n),
          [account('alice', { status: 'FROZEN' }), account('bob')],
          'POST',
          true,
        ),
      ),
    ).toBe('ACCOUNT_NOT_OPEN');
    expect(
      refusalCode(() =>
        plan(
          simpleTransferLegs('alice', 'bob', 1n),
          [account('alice'), account('bob', { currencyCode: 'BRK' })],
          'POST',
          true,
        ),
      ),
    ).toBe('CURRENCY_MISMATCH');
  });

  it('keeps every balance within the storage range even without limits or with force', () => {
    const issuance = account('issuance', {
      floorMinor: null,
      balanceMinor: -MAX_BALANCE_MINOR + 10n,
    });
    const holder = account('holder', { ceilingMinor: null, balanceMinor: MAX_BALANCE_MINOR - 10n });
    expect(
      plan(simpleTransferLegs('issuance', 'alice', 10n), [issuance, account('alice')]).accounts.get(
        'issuance',
      )?.balanceMinor,
    ).toBe(-MAX_BALANCE_MINOR);
    for (const force of [false, true]) {
      expect(
        refusalCode(() =>
          plan(
            simpleTransferLegs('issuance', 'alice', 11n),
            [issuance, account('alice')],
            'POST',
            force,
          ),
        ),
      ).toBe('BALANCE_OUT_OF_RANGE');
      expect(
        refusalCode(() =>
          plan(
            simpleTransferLegs('alice', 'holder', 11n),
            [account('alice'), holder],
            'POST',
            force,
          ),
        ),
      ).toBe('BALANCE_OUT_OF_RANGE');
    }
  });

  it('treats a missing account, a mislabelled account or negative pending totals as a bug', () => {
    const legs = simpleTransferLegs('alice', 'bob', 1n);
    expectAssertion(() => plan(legs, [account('alice')]));
    expectAssertion(() =>
      planPosting(
        legs,
        new Map([
          ['alice', account('alice')],
          ['bob', account('carol')],
        ]),
        'POST',
      ),
    );
    expectAssertion(() =>
      plan(legs, [account('alice', { pendingDebitMinor: -1n }), account('bob')]),
    );
    expectAssertion(() =>
      plan(legs, [account('alice'), account('bob', { pendingCreditMinor: -1n })]),
    );
  });
});

describe('planPosting warnings', () => {
  it('reports the crossing of the warning level, without refusing it', () => {
    const alice = account('alice', { balanceMinor: 100n, warningMinor: 0n });
    const result = plan(simpleTransferLegs('alice', 'bob', 101n), [alice, account('bob')]);
    expect(result.warnings).toEqual([{ accountId: 'alice', code: 'BELOW_WARNING_LEVEL' }]);
    expect(result.accounts.get('alice')?.balanceMinor).toBe(-1n);
  });

  it('is silent when the balance stays at the level or was already below it', () => {
    const atLevel = account('alice', { balanceMinor: 100n, warningMinor: 0n });
    expect(
      plan(simpleTransferLegs('alice', 'bob', 100n), [atLevel, account('bob')]).warnings,
    ).toEqual([]);
    const below = account('alice', { balanceMinor: -5n, warningMinor: 0n });
    expect(
      plan(simpleTransferLegs('alice', 'bob', 100n), [below, account('bob')]).warnings,
    ).toEqual([]);
    const noLevel = account('alice', { warningMinor: null });
    expect(
      plan(simpleTransferLegs('alice', 'bob', 100n), [noLevel, account('bob')]).warnings,
    ).toEqual([]);
  });

  it('warns when a hold reserves the funds, not again when the hold is posted', () => {
    const alice = account('alice', { balanceMinor: 100n, warningMinor: 50n });
    const legs = simpleTransferLegs('alice', 'bob', 60n);
    const held = plan(legs, [alice, account('bob')], 'HOLD');
    expect(held.warnings).toEqual([{ accountId: 'alice', code: 'BELOW_WARNING_LEVEL' }]);
    const posted = planPosting(legs, held.accounts, 'POST_HELD');
    expect(posted.warnings).toEqual([]);
  });
});

describe('planPosting holds', () => {
  const legs = simpleTransferLegs('fund', 'member', 300n);
  const fund = account('fund', { balanceMinor: 1000n, floorMinor: 0n });
  const member = account('member', { ceilingMinor: 500n });

  it('reserves funds on both sides without moving balances or writing entries', () => {
    const held = plan(legs, [fund, member], 'HOLD');
    expect(held.entries).toEqual([]);
    expect(held.accounts.get('fund')).toMatchObject({
      balanceMinor: 1000n,
      pendingDebitMinor: 300n,
    });
    expect(held.accounts.get('member')).toMatchObject({
      balanceMinor: 0n,
      pendingCreditMinor: 300n,
    });
    expect(availableBalanceMinor(held.accounts.get('fund')!)).toBe(700n);
  });

  it('applies floor and ceiling checks when holding', () => {
    expect(
      refusalCode(() =>
        plan(simpleTransferLegs('fund', 'member', 1001n), [fund, account('member')], 'HOLD'),
      ),
    ).toBe('INSUFFICIENT_FUNDS');
    expect(
      refusalCode(() => plan(simpleTransferLegs('fund', 'member', 501n), [fund, member], 'HOLD')),
    ).toBe('CEILING_EXCEEDED');
    expect(
      refusalCode(() => plan(legs, [fund, account('member', { status: 'FROZEN' })], 'HOLD')),
    ).toBe('ACCOUNT_NOT_OPEN');
  });

  it('posts a held transfer: releases the reservation and moves the balances', () => {
    const held = plan(legs, [fund, member], 'HOLD');
    const posted = planPosting(legs, held.accounts, 'POST_HELD');
    expect(posted.entries).toEqual([
      { accountId: 'fund', amountMinor: -300n, balanceAfterMinor: 700n },
      { accountId: 'member', amountMinor: 300n, balanceAfterMinor: 300n },
    ]);
    expect(posted.accounts.get('fund')).toMatchObject({
      balanceMinor: 700n,
      pendingDebitMinor: 0n,
    });
    expect(posted.accounts.get('member')).toMatchObject({
      balanceMinor: 300n,
      pendingCreditMinor: 0n,
    });
  });

  it('keeps the promise of a hold even after a steward raises the floor or lowers the ceiling', () => {
    const held = plan(legs, [fund, member], 'HOLD');
    const changed = new Map(held.accounts);
    changed.set('fund', { ...changed.get('fund')!, floorMinor: 900n });
    changed.set('member', { ...changed.get('member')!, ceilingMinor: 0n });
    const posted = planPosting(legs, changed, 'POST_HELD');
    expect(posted.accounts.get('fund')?.balanceMinor).toBe(700n);
    expect(posted.accounts.get('member')?.balanceMinor).toBe(300n);
  });

  it('refuses to post a held transfer through an account frozen since the hold', () => {
    const held = plan(legs, [fund, member], 'HOLD');
    const frozen = new Map(held.accounts);
    frozen.set('member', { ...frozen.get('member')!, status: 'FROZEN' });
    expect(thrownBy(() => planPosting(legs, frozen, 'POST_HELD'))).toMatchObject({
      code: 'ACCOUNT_NOT_OPEN',
      details: { accountId: 'member', status: 'FROZEN' },
    });
  });

  it('always releases a hold, even on a frozen or closed account', () => {
    const held = plan(legs, [fund, member], 'HOLD');
    const closed = new Map(held.accounts);
    closed.set('fund', { ...closed.get('fund')!, status: 'CLOSED' });
    const released = planPosting(legs, closed, 'RELEASE_HELD');
    expect(released.entries).toEqual([]);
    expect(released.accounts.get('fund')).toMatchObject({
      balanceMinor: 1000n,
      pendingDebitMinor: 0n,
    });
    expect(released.accounts.get('member')).toMatchObject({
      balanceMinor: 0n,
      pendingCreditMinor: 0n,
    });
  });

  it('treats posting or releasing without a reservation as a bug', () => {
    expectAssertion(() => plan(legs, [fund, member], 'POST_HELD'));
    expectAssertion(() => plan(legs, [fund, member], 'RELEASE_HELD'));
    const held = plan(legs, [fund, member], 'HOLD');
    const twice = planPosting(legs, held.accounts, 'POST_HELD');
    expectAssertion(() => planPosting(legs, twice.accounts, 'POST_HELD'));
  });

  it('treats a held transfer across currencies as a bug', () => {
    const held = plan(legs, [fund, member], 'HOLD');
    const changed = new Map(held.accounts);
    changed.set('member', { ...changed.get('member')!, currencyCode: 'BRK' });
    expectAssertion(() => planPosting(legs, changed, 'RELEASE_HELD'));
  });

  it('refuses a second hold that the first one already made impossible', () => {
    const first = plan(
      simpleTransferLegs('fund', 'member', 600n),
      [fund, account('member')],
      'HOLD',
    );
    expect(
      refusalCode(() =>
        planPosting(simpleTransferLegs('fund', 'member', 401n), first.accounts, 'HOLD'),
      ),
    ).toBe('INSUFFICIENT_FUNDS');
    expect(
      refusalCode(() =>
        planPosting(simpleTransferLegs('fund', 'member', 401n), first.accounts, 'POST'),
      ),
    ).toBe('INSUFFICIENT_FUNDS');
  });
});
