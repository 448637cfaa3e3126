import { randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { createCurrency, expectData, openAccount } from '../support/factories';
import { createTestApp, errorCode, gql } from '../support/test-app';
import {
  addMember,
  balances,
  createLedger,
  entriesByAccount,
  errorField,
  errorReason,
  issuanceAccountId,
  Ledger,
  readAccount,
  setAccountLimits,
  setAccountStatus,
  snapshot,
  transfer,
  transferById,
  TransferRequest,
  transferOk,
} from './ledger-helpers';

describe('transfers', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createTestApp();
  });

  afterAll(async () => {
    await app.close();
  });

  /** alice → bob, as alice, with these overrides. */
  function aliceToBob(ledger: Ledger, request: Partial<TransferRequest> = {}) {
    return transfer(app, ledger.alice.user.token, {
      fromAccountId: ledger.alice.accountId,
      toAccountId: ledger.bob.accountId,
      amount: '1.00',
      ...request,
    });
  }

  function bothAccounts(ledger: Ledger) {
    return snapshot(app, ledger.steward, [ledger.alice.accountId, ledger.bob.accountId]);
  }

  describe('posting', () => {
    it('moves the amount with two entries carrying signed amounts, running balances and sequences', async () => {
      const ledger = await createLedger(app);
      const { alice, bob } = ledger;
      const first = await transferOk(app, alice.user.token, {
        fromAccountId: alice.accountId,
        toAccountId: bob.accountId,
        amount: '2.50',
        memo: 'Two and a half hours of gardening',
      });
      expect(first).toMatchObject({
        kind: 'EXCHANGE',
        status: 'POSTED',
        amount: '2.50',
        memo: 'Two and a half hours of gardening',
        forced: false,
        warnings: [],
        fromAccount: { id: alice.accountId },
        toAccount: { id: bob.accountId },
        reversalOf: null,
        reversedBy: null,
      });
      expect(first.entries).toHaveLength(2);
      expect(entriesByAccount(first)).toEqual({
        [alice.accountId]: { amount: '-2.50', balanceAfter: '-2.50', sequence: 1 },
        // Bob's running balance and entry count are his own: Alice sees his entry without them.
        [bob.accountId]: { amount: '2.50', balanceAfter: null, sequence: null },
      });

      const second = await transferOk(app, bob.user.token, {
        fromAccountId: bob.accountId,
        toAccountId: alice.accountId,
        amount: '1',
        kind: 'PAYMENT',
      });
      expect(second).toMatchObject({ kind: 'PAYMENT', status: 'POSTED', amount: '1.00' });
      expect(entriesByAccount(second)).toEqual({
        [alice.accountId]: { amount: '1.00', balanceAfter: null, sequence: null },
        [bob.accountId]: { amount: '-1.00', balanceAfter: '1.50', sequence: 2 },
      });

      expect(await readAccount(app, alice.user.token, alice.accountId)).toMatchObject({
        balance: '-1.50',
        availableBalance: '-1.50',
      });
      expect(await readAccount(app, bob.user.token, bob.accountId)).toMatchObject({
        balance: '1.50',
        availableBalance: '1.50',
      });
      const seenByBob = expectData(await transferById(app, bob.user.token, first.id));
      expect(entriesByAccount(seenByBob.transferById)).toEqual({
        [alice.accountId]: { amount: '-2.50', balanceAfter: null, sequence: null },
        [bob.accountId]: { amount: '2.50', balanceAfter: '2.50', sequence: 1 },
      });
      expect({ ...seenByBob.transferById, entries: [] }).toEqual({ ...first, entries: [] });
    });

    it('lets a member go down to the floor exactly, and not a cent below', async () => {
      const ledger = await createLedger(app);
      const atFloor = expectData(await aliceToBob(ledger, { amount: '10.00' })).transfer;
      expect(entriesByAccount(atFloor)[ledger.alice.accountId].balanceAfter).toBe('-10.00');
      const before = await bothAccounts(ledger);

      const below = await aliceToBob(ledger, { amount: '0.01' });
      expect(errorCode(below)).toBe('INSUFFICIENT_FUNDS');
      expect(errorReason(below)).toBe('INSUFFICIENT_FUNDS');
      expect(await bothAccounts(ledger)).toEqual(before);
      expect(
        await balances(app, ledger.steward, [ledger.alice.accountId, ledger.bob.accountId]),
      ).toEqual(['-10.00', '10.00']);
    });

    it('keeps the floor when many payments race for the last of the credit', async () => {
      const ledger = await createLedger(app);
      const responses = await Promise.all(
        Array.from({ length: 16 }, () => aliceToBob(ledger, { amount: '1.00' })),
      );
      const posted = responses.filter((response) => response.errors === undefined);
      expect(posted).toHaveLength(10);
      expect(
        responses.filter((response) => errorCode(response) === 'INSUFFICIENT_FUNDS'),
      ).toHaveLength(6);
      expect(
        await balances(app, ledger.steward, [ledger.alice.accountId, ledger.bob.accountId]),
      ).toEqual(['-10.00', '10.00']);
      const sequences = posted
        .map((response) => entriesByAccount(expectData(response).transfer))
        // Alice's own entries: she reads their place in her history.
        .map((entries) => entries[ledger.alice.accountId].sequence ?? 0)
        .sort((a, b) => a - b);
      expect(sequences).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    });

    it('refuses a payment beyond the floor in one go with INSUFFICIENT_FUNDS', async () => {
      const ledger = await createLedger(app);
      const before = await bothAccounts(ledger);
      const response = await aliceToBob(ledger, { amount: '10.01' });
      expect(errorCode(response)).toBe('INSUFFICIENT_FUNDS');
      expect(await bothAccounts(ledger)).toEqual(before);
    });

    it('refuses crossing the receiver ceiling with LIMIT_EXCEEDED (CEILING_EXCEEDED)', async () => {
      const ledger = await createLedger(app);
      expectData(
        await setAccountLimits(app, ledger.steward, {
          accountId: ledger.bob.accountId,
          ceiling: '5.00',
        }),
      );
      expectData(await aliceToBob(ledger, { amount: '5.00' }));
      const before = await bothAccounts(ledger);

      const over = await aliceToBob(ledger, { amount: '0.01' });
      expect(errorCode(over)).toBe('LIMIT_EXCEEDED');
      expect(errorReason(over)).toBe('CEILING_EXCEEDED');
      expect(await bothAccounts(ledger)).toEqual(before);
      expect(
        await balances(app, ledger.steward, [ledger.alice.accountId, ledger.bob.accountId]),
      ).toEqual(['-5.00', '5.00']);
    });

    it("applies the policy's default ceiling to new accounts", async () => {
      const ledger = await createLedger(app, { defaultCeiling: '3.00' });
      const over = await aliceToBob(ledger, { amount: '3.01' });
      expect(errorCode(over)).toBe('LIMIT_EXCEEDED');
      expect(
        await balances(app, ledger.steward, [ledger.alice.accountId, ledger.bob.accountId]),
      ).toEqual(['0.00', '0.00']);
    });

    it('reports crossing the warning level once, without refusing the transfer', async () => {
      const ledger = await createLedger(app);
      const alice = ledger.alice.accountId;
      expectData(
        await setAccountLimits(app, ledger.steward, { accountId: alice, warningLevel: '-5.00' }),
      );

      const above = expectData(await aliceToBob(ledger, { amount: '5.00' })).transfer;
      expect(above.warnings).toEqual([]);
      const crossing = expectData(await aliceToBob(ledger, { amount: '0.50' })).transfer;
      expect(crossing.status).toBe('POSTED');
      expect(crossing.warnings).toEqual([`BELOW_WARNING_LEVEL:${alice}`]);
      const further = expectData(await aliceToBob(ledger, { amount: '1.00' })).transfer;
      expect(further.warnings).toEqual([]);

      expect((await readAccount(app, ledger.steward, alice)).balance).toBe('-6.50');
      const reread = expectData(await transferById(app, ledger.alice.user.token, crossing.id));
      expect(reread.transferById.warnings).toEqual([`BELOW_WARNING_LEVEL:${alice}`]);
    });

    it("lets a steward move money out of a member's account", async () => {
      const ledger = await createLedger(app);
      const moved = await transferOk(app, ledger.steward, {
        fromAccountId: ledger.alice.accountId,
        toAccountId: ledger.bob.accountId,
        amount: '0.75',
      });
      expect(moved.status).toBe('POSTED');
      expect(
        await balances(app, ledger.steward, [ledger.alice.accountId, ledger.bob.accountId]),
      ).toEqual(['-0.75', '0.75']);
    });

    it('lets a steward post an ADJUSTMENT', async () => {
      const ledger = await createLedger(app);
      const adjusted = await transferOk(app, ledger.steward, {
        fromAccountId: ledger.alice.accountId,
        toAccountId: ledger.bob.accountId,
        amount: '0.10',
        kind: 'ADJUSTMENT',
      });
      expect(adjusted).toMatchObject({ kind: 'ADJUSTMENT', status: 'POSTED', amount: '0.10' });
    });

    it('accepts a memo of exactly 500 characters', async () => {
      const ledger = await createLedger(app);
      const memo = 'm'.repeat(500);
      const response = await aliceToBob(ledger, { memo });
      expect(expectData(response).transfer.memo).toBe(memo);
    });
  });

  describe('bad input', () => {
    it.each([
      ['a zero amount', '0', 'AMOUNT_NOT_POSITIVE'],
      ['a zero amount with decimals', '0.00', 'AMOUNT_NOT_POSITIVE'],
      ['a negative amount', '-1.00', 'AMOUNT_NOT_POSITIVE'],
      ['an amount with an exponent', '1e2', undefined],
      ['a non-numeric amount', 'ten', undefined],
      ['an empty amount', '', undefined],
      ['an amount with a leading plus', '+1.00', undefined],
      ['an amount with more decimals than the currency', '1.234', 'AMOUNT_TOO_PRECISE'],
      ['an amount beyond the largest allowed', '10000000000000000', 'AMOUNT_TOO_LARGE'],
      ['an amount given as a JSON float', 1.5, undefined],
    ])(
      'refuses %s with BAD_USER_INPUT and changes nothing',
      async (_label, amount: unknown, reason) => {
        const ledger = await createLedger(app);
        const before = await bothAccounts(ledger);
        const response = await aliceToBob(ledger, { amount });
        expect(errorCode(response)).toBe('BAD_USER_INPUT');
        if (reason !== undefined) {
          expect(errorReason(response)).toBe(reason);
          expect(errorField(response)).toBe('amount');
        }
        expect(response.data ?? null).toBeNull();
        expect(JSON.stringify(response.errors)).not.toMatch(/INTERNAL|stacktrace/);
        expect(await bothAccounts(ledger)).toEqual(before);
      },
    );

    it('refuses the same account on both sides with BAD_USER_INPUT (SAME_ACCOUNT)', async () => {
      const ledger = await createLedger(app);
      const before = await bothAccounts(ledger);
      const response = await aliceToBob(ledger, { toAccountId: ledger.alice.accountId });
      expect(errorCode(response)).toBe('BAD_USER_INPUT');
      expect(errorReason(response)).toBe('SAME_ACCOUNT');
      expect(await bothAccounts(ledger)).toEqual(before);
    });

    it('refuses accounts of two currencies with BAD_USER_INPUT (CURRENCY_MISMATCH)', async () => {
      const ledger = await createLedger(app);
      await createCurrency(app, ledger.community, { code: 'BRK', kind: 'LOCAL', scale: 2 });
      const bobBrk = await openAccount(app, ledger.bob.user.token, { currencyCode: 'BRK' });
      const accounts = [ledger.alice.accountId, ledger.bob.accountId, bobBrk];
      const before = await snapshot(app, ledger.steward, accounts);
      const response = await aliceToBob(ledger, { toAccountId: bobBrk });
      expect(errorCode(response)).toBe('BAD_USER_INPUT');
      expect(errorReason(response)).toBe('CURRENCY_MISMATCH');
      expect(await snapshot(app, ledger.steward, accounts)).toEqual(before);
    });

    it('answers an unknown receiving account with NOT_FOUND', async () => {
      const ledger = await createLedger(app);
      const before = await bothAccounts(ledger);
      const response = await aliceToBob(ledger, { toAccountId: randomUUID() });
      expect(errorCode(response)).toBe('NOT_FOUND');
      expect(await bothAccounts(ledger)).toEqual(before);
    });

    it('answers an unknown paying account with NOT_FOUND naming it', async () => {
      const ledger = await createLedger(app);
      const before = await bothAccounts(ledger);
      const response = await aliceToBob(ledger, { fromAccountId: randomUUID() });
      expect(errorCode(response)).toBe('NOT_FOUND');
      expect(errorField(response)).toBe('fromAccountId');
      expect(await bothAccounts(ledger)).toEqual(before);
    });

    it("answers another community's account with NOT_FOUND", async () => {
      const [ours, theirs] = await Promise.all([createLedger(app), createLedger(app)]);
      const before = await snapshot(app, theirs.steward, [theirs.alice.accountId]);
      const response = await aliceToBob(ours, { toAccountId: theirs.alice.accountId });
      expect(errorCode(response)).toBe('NOT_FOUND');
      expect(await snapshot(app, theirs.steward, [theirs.alice.accountId])).toEqual(before);
      expect((await readAccount(app, ours.steward, ours.alice.accountId)).balance).toBe('0.00');
    });

    it('refuses a frozen receiving account with POLICY_VIOLATION (ACCOUNT_NOT_OPEN)', async () => {
      const ledger = await createLedger(app);
      expectData(await setAccountStatus(app, ledger.steward, ledger.bob.accountId, 'FROZEN'));
      const before = await bothAccounts(ledger);
      const response = await aliceToBob(ledger);
      expect(errorCode(response)).toBe('POLICY_VIOLATION');
      expect(errorReason(response)).toBe('ACCOUNT_NOT_OPEN');
      expect(await bothAccounts(ledger)).toEqual(before);
    });

    it('refuses a closed receiving account with POLICY_VIOLATION (ACCOUNT_NOT_OPEN)', async () => {
      const ledger = await createLedger(app);
      expectData(await setAccountStatus(app, ledger.steward, ledger.bob.accountId, 'CLOSED'));
      const before = await bothAccounts(ledger);
      const response = await aliceToBob(ledger);
      expect(errorCode(response)).toBe('POLICY_VIOLATION');
      expect(errorReason(response)).toBe('ACCOUNT_NOT_OPEN');
      expect(await bothAccounts(ledger)).toEqual(before);
    });

    it('refuses a memo over 500 characters with BAD_USER_INPUT naming it', async () => {
      const ledger = await createLedger(app);
      const before = await bothAccounts(ledger);
      const response = await aliceToBob(ledger, { memo: 'm'.repeat(501) });
      expect(errorCode(response)).toBe('BAD_USER_INPUT');
      expect(errorField(response)).toBe('memo');
      expect(await bothAccounts(ledger)).toEqual(before);
    });

    it('refuses a memo holding a NUL character with BAD_USER_INPUT naming it', async () => {
      const ledger = await createLedger(app);
      const before = await bothAccounts(ledger);
      const response = await aliceToBob(ledger, { memo: 'rent\u0000' });
      expect(errorCode(response)).toBe('BAD_USER_INPUT');
      expect(errorField(response)).toBe('memo');
      expect(await bothAccounts(ledger)).toEqual(before);
    });

    it('refuses an idempotency key with spaces with BAD_USER_INPUT naming it', async () => {
      const ledger = await createLedger(app);
      const before = await bothAccounts(ledger);
      const response = await aliceToBob(ledger, { idempotencyKey: 'not a key' });
      expect(errorCode(response)).toBe('BAD_USER_INPUT');
      expect(errorField(response)).toBe('idempotencyKey');
      expect(await bothAccounts(ledger)).toEqual(before);
    });

    it('refuses the kinds made by their own operations (ISSUANCE, REDEMPTION, FEE, DEMURRAGE, DISBURSEMENT, REVERSAL) with POLICY_VIOLATION, even from a steward', async () => {
      const ledger = await createLedger(app);
      const before = await bothAccounts(ledger);
      for (const kind of [
        'ISSUANCE',
        'REDEMPTION',
        'FEE',
        'DEMURRAGE',
        'DISBURSEMENT',
        'REVERSAL',
      ]) {
        for (const token of [ledger.alice.user.token, ledger.steward]) {
          const response = await transfer(app, token, {
            fromAccountId: ledger.alice.accountId,
            toAccountId: ledger.bob.accountId,
            amount: '1.00',
            kind,
          });
          expect([kind, errorCode(response), errorField(response)]).toEqual([
            kind,
            'POLICY_VIOLATION',
            'kind',
          ]);
        }
      }
      expect(await bothAccounts(ledger)).toEqual(before);
    });

    it('refuses a transfer into or out of the ISSUANCE account with POLICY_VIOLATION', async () => {
      const ledger = await createLedger(app);
      const issuance = await issuanceAccountId(app, ledger.steward, ledger.currency);
      const accounts = [ledger.alice.accountId, issuance];
      const before = await snapshot(app, ledger.steward, accounts);
      const into = await aliceToBob(ledger, { toAccountId: issuance });
      expect(errorCode(into)).toBe('POLICY_VIOLATION');
      const out = await transfer(app, ledger.steward, {
        fromAccountId: issuance,
        toAccountId: ledger.alice.accountId,
        amount: '1.00',
      });
      expect(errorCode(out)).toBe('POLICY_VIOLATION');
      expect(await snapshot(app, ledger.steward, accounts)).toEqual(before);
    });

    it('refuses an ADJUSTMENT by a member with FORBIDDEN', async () => {
      const ledger = await createLedger(app);
      const before = await bothAccounts(ledger);
      const response = await aliceToBob(ledger, { kind: 'ADJUSTMENT' });
      expect(errorCode(response)).toBe('FORBIDDEN');
      expect(await bothAccounts(ledger)).toEqual(before);
    });

    it("refuses paying out of someone else's account with FORBIDDEN", async () => {
      const ledger = await createLedger(app);
      const before = await bothAccounts(ledger);
      const response = await transfer(app, ledger.alice.user.token, {
        fromAccountId: ledger.bob.accountId,
        toAccountId: ledger.alice.accountId,
        amount: '1.00',
      });
      expect(errorCode(response)).toBe('FORBIDDEN');
      expect(await bothAccounts(ledger)).toEqual(before);
    });

    it('refuses a caller without a token with UNAUTHENTICATED', async () => {
      const ledger = await createLedger(app);
      const before = await bothAccounts(ledger);
      const response = await gql(
        app,
        'mutation($input: TransferInput!) { transfer(input: $input) { id } }',
        {
          input: {
            fromAccountId: ledger.alice.accountId,
            toAccountId: ledger.bob.accountId,
            amount: '1.00',
            kind: 'EXCHANGE',
            idempotencyKey: 'anonymous-1',
          },
        },
      );
      expect(errorCode(response)).toBe('UNAUTHENTICATED');
      expect(await bothAccounts(ledger)).toEqual(before);
    });
  });

  describe('counterparty accounts', () => {
    it("shows a payer the receiving account's name but not its money", async () => {
      const ledger = await createLedger(app);
      const bobAccount = await readAccount(app, ledger.bob.user.token, ledger.bob.accountId);
      const paid = expectData(await aliceToBob(ledger, { amount: '1.00' })).transfer;

      const named = await gql<{
        transferById: { toAccount: { id: string; name: string; kind: string } };
      }>(
        app,
        'query($id: ID!) { transferById(id: $id) { toAccount { id name kind } } }',
        { id: paid.id },
        ledger.alice.user.token,
      );
      expect(expectData(named).transferById.toAccount).toEqual({
        id: ledger.bob.accountId,
        name: bobAccount.name,
        kind: 'MEMBER',
      });

      for (const field of ['balance', 'availableBalance', 'floor']) {
        const money = await gql(
          app,
          `query($id: ID!) { transferById(id: $id) { toAccount { name ${field} } } }`,
          { id: paid.id },
          ledger.alice.user.token,
        );
        expect(errorCode(money)).toBe('FORBIDDEN');
        expect(JSON.stringify(money.data ?? null)).not.toContain('1.00');
      }
    });

    it('refuses a member a transfer between two others with FORBIDDEN, and another community with NOT_FOUND', async () => {
      const ledger = await createLedger(app);
      const [carol, other] = await Promise.all([
        addMember(app, ledger.community, ledger.currency),
        createLedger(app),
      ]);
      const paid = expectData(await aliceToBob(ledger)).transfer;
      expect(expectData(await transferById(app, ledger.steward, paid.id)).transferById.id).toBe(
        paid.id,
      );
      expect(errorCode(await transferById(app, carol.user.token, paid.id))).toBe('FORBIDDEN');
      expect(errorCode(await transferById(app, other.alice.user.token, paid.id))).toBe('NOT_FOUND');
    });
  });
});
