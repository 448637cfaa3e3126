import { randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { TransfersService } from '../../src/transfers/transfers.service';
import { expectData, unique } from '../support/factories';
import { createTestApp, errorCode, gql, GraphQLResponse } from '../support/test-app';
import {
  addMember,
  balances,
  createLedger,
  entriesByAccount,
  errorField,
  errorReason,
  Ledger,
  readAccount,
  setAccountLimits,
  sleep,
  snapshot,
  transfer,
  transferById,
  TRANSFER_FIELDS,
  TransferRequest,
  TransferView,
  transferOk,
} from './ledger-helpers';

const TRANSFER_BATCH = `mutation($input: TransferBatchInput!) {
  transferBatch(input: $input) {
    postedCount failedCount
    results { index transfer { ${TRANSFER_FIELDS} } error { code reason message } }
  }
}`;
const POST_TRANSFER = `mutation($id: ID!) { postTransfer(id: $id) { ${TRANSFER_FIELDS} } }`;
const VOID_TRANSFER = `mutation($id: ID!) { voidTransfer(id: $id) { ${TRANSFER_FIELDS} } }`;
const REVERSE_TRANSFER = `mutation($input: ReverseTransferInput!) {
  reverseTransfer(input: $input) { ${TRANSFER_FIELDS} }
}`;

interface BatchResult {
  postedCount: number;
  failedCount: number;
  results: Array<{
    index: number;
    transfer: TransferView | null;
    error: { code: string; reason: string; message: string } | null;
  }>;
}

function item(fromAccountId: string, toAccountId: string, amount: string) {
  return { fromAccountId, toAccountId, amount, kind: 'EXCHANGE', idempotencyKey: unique('b') };
}

describe('batches, pending transfers and reversals', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createTestApp();
  });

  afterAll(async () => {
    await app.close();
  });

  function batch(
    token: string,
    transfers: Array<Record<string, unknown>>,
    atomic?: boolean,
  ): Promise<GraphQLResponse<{ transferBatch: BatchResult }>> {
    return gql<{ transferBatch: BatchResult }>(
      app,
      TRANSFER_BATCH,
      { input: { transfers, ...(atomic !== undefined ? { atomic } : {}) } },
      token,
    );
  }

  function settle(
    token: string,
    id: string,
    action: 'post' | 'void',
  ): Promise<GraphQLResponse<{ postTransfer?: TransferView; voidTransfer?: TransferView }>> {
    return gql(app, action === 'post' ? POST_TRANSFER : VOID_TRANSFER, { id }, token);
  }

  function reverse(
    token: string,
    transferId: string,
    extra: Record<string, unknown> = {},
  ): Promise<GraphQLResponse<{ reverseTransfer: TransferView }>> {
    return gql<{ reverseTransfer: TransferView }>(
      app,
      REVERSE_TRANSFER,
      {
        input: { transferId, reason: 'Recorded by mistake', idempotencyKey: unique('r'), ...extra },
      },
      token,
    );
  }

  /** A pending transfer from alice to bob, held until `holdMs` from now. */
  function hold(
    ledger: Ledger,
    amount: string,
    holdMs = 3_600_000,
    request: Partial<TransferRequest> = {},
  ) {
    return transferOk(app, ledger.alice.user.token, {
      fromAccountId: ledger.alice.accountId,
      toAccountId: ledger.bob.accountId,
      amount,
      pendingUntil: new Date(Date.now() + holdMs).toISOString(),
      ...request,
    });
  }

  function bothAccounts(ledger: Ledger) {
    return snapshot(app, ledger.steward, [ledger.alice.accountId, ledger.bob.accountId]);
  }

  describe('transferBatch', () => {
    it('posts the good items of a non-atomic batch and reports each refusal at its index', async () => {
      const ledger = await createLedger(app);
      const carol = await addMember(app, ledger.community, ledger.currency);
      const { alice, bob } = ledger;
      const response = await batch(alice.user.token, [
        item(alice.accountId, bob.accountId, '1.00'),
        item(alice.accountId, bob.accountId, '0'),
        item(alice.accountId, bob.accountId, '20.00'),
        item(bob.accountId, alice.accountId, '1.00'),
        item(alice.accountId, carol.accountId, '2.00'),
        item(alice.accountId, alice.accountId, '1.00'),
        item(alice.accountId, carol.accountId, '1.001'),
      ]);
      const result = expectData(response).transferBatch;
      expect(result.postedCount).toBe(2);
      expect(result.failedCount).toBe(5);
      expect(result.results.map((entry) => entry.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
      expect(
        result.results.map((entry) => entry.error && [entry.error.code, entry.error.reason]),
      ).toEqual([
        null,
        ['BAD_USER_INPUT', 'AMOUNT_NOT_POSITIVE'],
        ['INSUFFICIENT_FUNDS', 'INSUFFICIENT_FUNDS'],
        ['FORBIDDEN', 'NOT_YOURS'],
        null,
        ['BAD_USER_INPUT', 'SAME_ACCOUNT'],
        ['BAD_USER_INPUT', 'AMOUNT_TOO_PRECISE'],
      ]);
      const posted = [result.results[0].transfer, result.results[4].transfer];
      expect(
        posted.map((entry) => entry && [entry.status, entry.amount, entry.toAccount.id]),
      ).toEqual([
        ['POSTED', '1.00', bob.accountId],
        ['POSTED', '2.00', carol.accountId],
      ]);
      expect(entriesByAccount(result.results[4].transfer!)[alice.accountId]).toEqual({
        amount: '-2.00',
        balanceAfter: '-3.00',
        sequence: 2,
      });
      expect(
        await balances(app, ledger.steward, [alice.accountId, bob.accountId, carol.accountId]),
      ).toEqual(['-3.00', '1.00', '2.00']);
    });

    it('refuses a whole atomic batch when one item breaks a floor, posting nothing', async () => {
      const ledger = await createLedger(app);
      const { alice, bob } = ledger;
      const before = await bothAccounts(ledger);
      const response = await batch(
        alice.user.token,
        [
          item(alice.accountId, bob.accountId, '4.00'),
          item(alice.accountId, bob.accountId, '4.00'),
          item(alice.accountId, bob.accountId, '4.00'),
        ],
        true,
      );
      expect(errorCode(response)).toBe('INSUFFICIENT_FUNDS');
      expect(response.data ?? null).toBeNull();
      expect(await bothAccounts(ledger)).toEqual(before);
    });

    it('refuses a whole atomic batch when one item is bad input, posting nothing', async () => {
      const ledger = await createLedger(app);
      const { alice, bob } = ledger;
      const before = await bothAccounts(ledger);
      const response = await batch(
        alice.user.token,
        [
          item(alice.accountId, bob.accountId, '1.00'),
          item(alice.accountId, bob.accountId, '1.234'),
        ],
        true,
      );
      expect(errorCode(response)).toBe('BAD_USER_INPUT');
      expect(errorReason(response)).toBe('AMOUNT_TOO_PRECISE');
      expect(await bothAccounts(ledger)).toEqual(before);
    });

    it('refuses a batch of 101 transfers, and an empty one, with BAD_USER_INPUT', async () => {
      const ledger = await createLedger(app);
      const { alice, bob } = ledger;
      const before = await bothAccounts(ledger);
      const tooMany = Array.from({ length: 101 }, () =>
        item(alice.accountId, bob.accountId, '0.01'),
      );
      for (const atomic of [false, true]) {
        const response = await batch(alice.user.token, tooMany, atomic);
        expect(errorCode(response)).toBe('BAD_USER_INPUT');
        expect(errorField(response)).toBe('transfers');
      }
      const empty = await batch(alice.user.token, []);
      expect(errorCode(empty)).toBe('BAD_USER_INPUT');
      expect(await bothAccounts(ledger)).toEqual(before);
    });

    it('posts a batch of exactly 100 transfers', async () => {
      const ledger = await createLedger(app);
      const { alice, bob } = ledger;
      const items = Array.from({ length: 100 }, () => item(alice.accountId, bob.accountId, '0.01'));
      const response = await gql<{ transferBatch: { postedCount: number; failedCount: number } }>(
        app,
        'mutation($input: TransferBatchInput!) { transferBatch(input: $input) { postedCount failedCount } }',
        { input: { transfers: items, atomic: true } },
        alice.user.token,
      );
      expect(expectData(response).transferBatch).toEqual({ postedCount: 100, failedCount: 0 });
      expect(await balances(app, ledger.steward, [alice.accountId, bob.accountId])).toEqual([
        '-1.00',
        '1.00',
      ]);
    });

    it('lets later items of a batch spend what earlier items brought in', async () => {
      const ledger = await createLedger(app);
      const carol = await addMember(app, ledger.community, ledger.currency);
      const { alice, bob } = ledger;
      expectData(
        await setAccountLimits(app, ledger.steward, { accountId: bob.accountId, floor: '0' }),
      );
      const accounts = [alice.accountId, bob.accountId, carol.accountId];

      const wrongOrder = await batch(
        ledger.steward,
        [
          item(bob.accountId, carol.accountId, '10.00'),
          item(alice.accountId, bob.accountId, '10.00'),
        ],
        true,
      );
      expect(errorCode(wrongOrder)).toBe('INSUFFICIENT_FUNDS');
      expect(await balances(app, ledger.steward, accounts)).toEqual(['0.00', '0.00', '0.00']);

      const response = await batch(
        ledger.steward,
        [
          item(alice.accountId, bob.accountId, '10.00'),
          item(bob.accountId, carol.accountId, '10.00'),
        ],
        true,
      );
      const result = expectData(response).transferBatch;
      expect(result.postedCount).toBe(2);
      expect(entriesByAccount(result.results[0].transfer!)[bob.accountId]).toEqual({
        amount: '10.00',
        balanceAfter: '10.00',
        sequence: 1,
      });
      expect(entriesByAccount(result.results[1].transfer!)[bob.accountId]).toEqual({
        amount: '-10.00',
        balanceAfter: '0.00',
        sequence: 2,
      });
      expect(await balances(app, ledger.steward, accounts)).toEqual(['-10.00', '0.00', '10.00']);
    });

    it('refuses a key used twice in one batch at the second use', async () => {
      const ledger = await createLedger(app);
      const { alice, bob } = ledger;
      const twice = item(alice.accountId, bob.accountId, '1.00');
      const result = expectData(await batch(alice.user.token, [twice, twice])).transferBatch;
      expect(result.results.map((entry) => entry.error?.code ?? null)).toEqual([
        null,
        'IDEMPOTENCY_CONFLICT',
      ]);
      expect(await balances(app, ledger.steward, [alice.accountId, bob.accountId])).toEqual([
        '-1.00',
        '1.00',
      ]);
    });
  });

  describe('pending transfers', () => {
    it("holds the payer's funds: available balance drops, balances stay, and the hold counts against the floor", async () => {
      const ledger = await createLedger(app);
      const { alice, bob } = ledger;
      const pending = await hold(ledger, '4.00');
      expect(pending).toMatchObject({
        status: 'PENDING',
        amount: '4.00',
        entries: [],
        fromAccount: { id: alice.accountId },
        toAccount: { id: bob.accountId },
      });
      expect(await readAccount(app, alice.user.token, alice.accountId)).toMatchObject({
        balance: '0.00',
        availableBalance: '-4.00',
      });
      expect(await readAccount(app, bob.user.token, bob.accountId)).toMatchObject({
        balance: '0.00',
        availableBalance: '0.00',
      });

      const before = await bothAccounts(ledger);
      const beyond = await transfer(app, alice.user.token, {
        fromAccountId: alice.accountId,
        toAccountId: bob.accountId,
        amount: '6.01',
      });
      expect(errorCode(beyond)).toBe('INSUFFICIENT_FUNDS');
      expect(await bothAccounts(ledger)).toEqual(before);
    });

    it('posts a pending transfer with its entries', async () => {
      const ledger = await createLedger(app);
      const { alice, bob } = ledger;
      const pending = await hold(ledger, '4.00');
      const posted = expectData(await settle(alice.user.token, pending.id, 'post')).postTransfer!;
      expect(posted).toMatchObject({ id: pending.id, status: 'POSTED', amount: '4.00' });
      expect(entriesByAccount(posted)).toEqual({
        [alice.accountId]: { amount: '-4.00', balanceAfter: '-4.00', sequence: 1 },
        // Bob's running balance and entry count are his own: his payer sees the entry without them.
        [bob.accountId]: { amount: '4.00', balanceAfter: null, sequence: null },
      });
      expect(await readAccount(app, ledger.steward, alice.accountId)).toMatchObject({
        balance: '-4.00',
        availableBalance: '-4.00',
      });
      expect(await readAccount(app, ledger.steward, bob.accountId)).toMatchObject({
        balance: '4.00',
        availableBalance: '4.00',
      });
    });

    it('voids a pending transfer, releasing its hold; a voided transfer cannot be posted or voided again', async () => {
      const ledger = await createLedger(app);
      const { alice } = ledger;
      const pending = await hold(ledger, '4.00');
      const voided = expectData(await settle(alice.user.token, pending.id, 'void')).voidTransfer!;
      expect(voided).toMatchObject({ id: pending.id, status: 'VOIDED', entries: [] });
      expect(await readAccount(app, alice.user.token, alice.accountId)).toMatchObject({
        balance: '0.00',
        availableBalance: '0.00',
      });
      const before = await bothAccounts(ledger);
      for (const action of ['post', 'void'] as const) {
        const again = await settle(alice.user.token, pending.id, action);
        expect(errorCode(again)).toBe('CONFLICT');
      }
      expect(await bothAccounts(ledger)).toEqual(before);
      expect(
        expectData(await transferById(app, alice.user.token, pending.id)).transferById.status,
      ).toBe('VOIDED');
    });

    it('lets only its creator or a steward settle a pending transfer', async () => {
      const ledger = await createLedger(app);
      const pending = await hold(ledger, '1.00');
      const byReceiver = await settle(ledger.bob.user.token, pending.id, 'post');
      expect(errorCode(byReceiver)).toBe('FORBIDDEN');
      expect((await readAccount(app, ledger.steward, ledger.bob.accountId)).balance).toBe('0.00');
      const bySteward = expectData(await settle(ledger.steward, pending.id, 'post')).postTransfer!;
      expect(bySteward.status).toBe('POSTED');
    });

    it.each([
      ['in the past', -1_000],
      ['more than 30 days ahead', 31 * 24 * 3_600_000],
    ])('refuses a pendingUntil %s with BAD_USER_INPUT', async (_label, offsetMs) => {
      const ledger = await createLedger(app);
      const before = await bothAccounts(ledger);
      const response = await transfer(app, ledger.alice.user.token, {
        fromAccountId: ledger.alice.accountId,
        toAccountId: ledger.bob.accountId,
        amount: '1.00',
        pendingUntil: new Date(Date.now() + offsetMs).toISOString(),
      });
      expect(errorCode(response)).toBe('BAD_USER_INPUT');
      expect(errorField(response)).toBe('pendingUntil');
      expect(await bothAccounts(ledger)).toEqual(before);
    });

    it('expires a pending transfer whose time passed: it reads as EXPIRED, its hold is released, it cannot be posted', async () => {
      // The sweeper (every 30 s) must not expire `posted` before the late
      // post does: a transfer it already expired answers CONFLICT, as below.
      const sweeps = jest.spyOn(app.get(TransfersService), 'expireDue').mockResolvedValue(0);
      try {
        await expiresWhenReadOrPostedLate();
      } finally {
        sweeps.mockRestore();
      }
    });

    async function expiresWhenReadOrPostedLate(): Promise<void> {
      const ledger = await createLedger(app);
      const { alice, bob } = ledger;
      const [read, posted] = await Promise.all([
        hold(ledger, '3.00', 1_500),
        hold(ledger, '2.00', 1_500),
      ]);
      expect((await readAccount(app, alice.user.token, alice.accountId)).availableBalance).toBe(
        '-5.00',
      );
      await sleep(1_700);

      const expired = expectData(await transferById(app, alice.user.token, read.id)).transferById;
      expect(expired).toMatchObject({ id: read.id, status: 'EXPIRED', entries: [] });
      const late = expectData(await settle(alice.user.token, posted.id, 'post')).postTransfer!;
      expect(late).toMatchObject({ id: posted.id, status: 'EXPIRED', entries: [] });

      expect(await readAccount(app, alice.user.token, alice.accountId)).toMatchObject({
        balance: '0.00',
        availableBalance: '0.00',
      });
      expect((await readAccount(app, bob.user.token, bob.accountId)).balance).toBe('0.00');
      const again = await settle(alice.user.token, read.id, 'post');
      expect(errorCode(again)).toBe('CONFLICT');
    }

    // A hold past its deadline holds its money until something expires it: the
    // planner expires such holds when they stand in the way of a debit, before the
    // sweeper (every 30 s) or a read gets to them.
    it('lets the payer spend funds whose hold has expired, before anything reads it', async () => {
      const ledger = await createLedger(app);
      const { alice, bob } = ledger;
      await hold(ledger, '8.00', 1_500);
      await sleep(1_700);
      const spend = await transfer(app, alice.user.token, {
        fromAccountId: alice.accountId,
        toAccountId: bob.accountId,
        amount: '10.00',
      });
      expect(spend.errors).toBeUndefined();
      expect(await balances(app, ledger.steward, [alice.accountId, bob.accountId])).toEqual([
        '-10.00',
        '10.00',
      ]);
    });

    it('lets exactly one of a concurrent post and void of one pending transfer win', async () => {
      const ledger = await createLedger(app);
      const { alice, bob } = ledger;
      let postedMinor = 0;
      for (let round = 0; round < 4; round += 1) {
        const pending = await hold(ledger, '1.00');
        const [post, voided] = await Promise.all([
          settle(alice.user.token, pending.id, 'post'),
          settle(alice.user.token, pending.id, 'void'),
        ]);
        const winners = [post, voided].filter((response) => response.errors === undefined);
        expect(winners).toHaveLength(1);
        const loser = post.errors === undefined ? voided : post;
        expect(errorCode(loser)).toBe('CONFLICT');
        const final = expectData(
          await transferById(app, alice.user.token, pending.id),
        ).transferById;
        if (post.errors === undefined) {
          expect(final.status).toBe('POSTED');
          expect(final.entries).toHaveLength(2);
          postedMinor += 100;
        } else {
          expect(final.status).toBe('VOIDED');
          expect(final.entries).toEqual([]);
        }
      }
      const expected = (postedMinor / 100).toFixed(2);
      expect(await readAccount(app, ledger.steward, alice.accountId)).toMatchObject({
        balance: postedMinor === 0 ? '0.00' : `-${expected}`,
        availableBalance: postedMinor === 0 ? '0.00' : `-${expected}`,
      });
      expect(await readAccount(app, ledger.steward, bob.accountId)).toMatchObject({
        balance: expected,
        availableBalance: expected,
      });
      const check = await gql<{ verifyLedger: { ok: boolean; problems: string[] } }>(
        app,
        'query($code: String!) { verifyLedger(currencyCode: $code) { ok problems } }',
        { code: ledger.currency },
        ledger.steward,
      );
      expect(expectData(check).verifyLedger).toEqual({ ok: true, problems: [] });
    });
  });

  describe('reverseTransfer', () => {
    it('restores both balances through a REVERSAL that names the original, which names it back', async () => {
      const ledger = await createLedger(app);
      const { alice, bob } = ledger;
      const original = await transferOk(app, alice.user.token, {
        fromAccountId: alice.accountId,
        toAccountId: bob.accountId,
        amount: '3.00',
      });
      const reversal = expectData(await reverse(ledger.steward, original.id)).reverseTransfer;
      expect(reversal).toMatchObject({
        kind: 'REVERSAL',
        status: 'POSTED',
        amount: '3.00',
        memo: 'Recorded by mistake',
        forced: false,
        fromAccount: { id: bob.accountId },
        toAccount: { id: alice.accountId },
        reversalOf: { id: original.id },
        reversedBy: null,
      });
      expect(entriesByAccount(reversal)).toEqual({
        [alice.accountId]: { amount: '3.00', balanceAfter: '0.00', sequence: 2 },
        [bob.accountId]: { amount: '-3.00', balanceAfter: '0.00', sequence: 2 },
      });
      expect(await balances(app, ledger.steward, [alice.accountId, bob.accountId])).toEqual([
        '0.00',
        '0.00',
      ]);
      const reread = expectData(await transferById(app, alice.user.token, original.id));
      expect(reread.transferById).toMatchObject({
        status: 'POSTED',
        reversedBy: { id: reversal.id },
      });
    });

    it('reverses a transfer only once: a second reversal is refused with CONFLICT', async () => {
      const ledger = await createLedger(app);
      const original = await transferOk(app, ledger.alice.user.token, {
        fromAccountId: ledger.alice.accountId,
        toAccountId: ledger.bob.accountId,
        amount: '3.00',
      });
      const reversal = expectData(await reverse(ledger.steward, original.id)).reverseTransfer;
      const before = await bothAccounts(ledger);
      const twice = await reverse(ledger.steward, original.id);
      expect(errorCode(twice)).toBe('CONFLICT');
      const ofReversal = await reverse(ledger.steward, reversal.id);
      expect(errorCode(ofReversal)).toBe('CONFLICT');
      expect(await bothAccounts(ledger)).toEqual(before);
    });

    it('refuses to reverse a pending transfer with CONFLICT', async () => {
      const ledger = await createLedger(app);
      const pending = await hold(ledger, '2.00');
      const before = await bothAccounts(ledger);
      const response = await reverse(ledger.steward, pending.id);
      expect(errorCode(response)).toBe('CONFLICT');
      expect(await bothAccounts(ledger)).toEqual(before);
    });

    it('answers an unknown transfer with NOT_FOUND', async () => {
      const ledger = await createLedger(app);
      const response = await reverse(ledger.steward, randomUUID());
      expect(errorCode(response)).toBe('NOT_FOUND');
    });

    it('refuses a member with FORBIDDEN', async () => {
      const ledger = await createLedger(app);
      const original = await transferOk(app, ledger.alice.user.token, {
        fromAccountId: ledger.alice.accountId,
        toAccountId: ledger.bob.accountId,
        amount: '3.00',
      });
      const before = await bothAccounts(ledger);
      for (const member of [ledger.alice, ledger.bob]) {
        const response = await reverse(member.user.token, original.id);
        expect(errorCode(response)).toBe('FORBIDDEN');
      }
      expect(await bothAccounts(ledger)).toEqual(before);
    });

    it("refuses a reversal past the receiver's floor with INSUFFICIENT_FUNDS unless forced, which is recorded", async () => {
      const ledger = await createLedger(app);
      const carol = await addMember(app, ledger.community, ledger.currency);
      const { alice, bob } = ledger;
      const original = await transferOk(app, alice.user.token, {
        fromAccountId: alice.accountId,
        toAccountId: bob.accountId,
        amount: '10.00',
      });
      await transferOk(app, bob.user.token, {
        fromAccountId: bob.accountId,
        toAccountId: carol.accountId,
        amount: '20.00',
      });
      const accounts = [alice.accountId, bob.accountId, carol.accountId];
      const before = await snapshot(app, ledger.steward, accounts);

      const refused = await reverse(ledger.steward, original.id);
      expect(errorCode(refused)).toBe('INSUFFICIENT_FUNDS');
      expect(await snapshot(app, ledger.steward, accounts)).toEqual(before);

      const forced = expectData(
        await reverse(ledger.steward, original.id, { force: true }),
      ).reverseTransfer;
      expect(forced).toMatchObject({
        kind: 'REVERSAL',
        status: 'POSTED',
        forced: true,
        reversalOf: { id: original.id },
      });
      expect(entriesByAccount(forced)[bob.accountId]).toEqual({
        amount: '-10.00',
        balanceAfter: '-20.00',
        sequence: 3,
      });
      expect(await balances(app, ledger.steward, accounts)).toEqual(['0.00', '-20.00', '20.00']);
      expect(
        expectData(await transferById(app, ledger.steward, original.id)).transferById.reversedBy,
      ).toEqual({ id: forced.id });
    });
  });
});
