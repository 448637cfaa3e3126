import { INestApplication } from '@nestjs/common';
import { expectData, unique } from '../support/factories';
import { createTestApp, errorCode, gql } from '../support/test-app';
import {
  addMember,
  balances,
  createLedger,
  errorField,
  Ledger,
  snapshot,
  transfer,
  TRANSFER_FIELDS,
  TransferRequest,
  TransferView,
  transferIdsOf,
  transferOk,
} from './ledger-helpers';

describe('idempotency keys', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createTestApp();
  });

  afterAll(async () => {
    await app.close();
  });

  function aliceToBob(ledger: Ledger, request: Partial<TransferRequest>) {
    return transfer(app, ledger.alice.user.token, {
      fromAccountId: ledger.alice.accountId,
      toAccountId: ledger.bob.accountId,
      amount: '2.00',
      ...request,
    });
  }

  function bothAccounts(ledger: Ledger) {
    return snapshot(app, ledger.steward, [ledger.alice.accountId, ledger.bob.accountId]);
  }

  it('answers a retry with the original transfer and posts it once', async () => {
    const ledger = await createLedger(app);
    const idempotencyKey = unique('retry');
    const first = expectData(await aliceToBob(ledger, { idempotencyKey, memo: 'Lesson' }));
    const retry = expectData(await aliceToBob(ledger, { idempotencyKey, memo: 'Lesson' }));
    expect(retry.transfer).toEqual(first.transfer);
    expect(
      await balances(app, ledger.steward, [ledger.alice.accountId, ledger.bob.accountId]),
    ).toEqual(['-2.00', '2.00']);
    expect(await transferIdsOf(app, ledger.steward, ledger.alice.accountId)).toEqual([
      first.transfer.id,
    ]);
  });

  it('treats "2", "2.0" and "2.00" as the same amount on a retry', async () => {
    const ledger = await createLedger(app);
    const idempotencyKey = unique('retry');
    const first = expectData(await aliceToBob(ledger, { idempotencyKey, amount: '2.00' }));
    for (const amount of ['2', '2.0']) {
      const retry = expectData(await aliceToBob(ledger, { idempotencyKey, amount }));
      expect(retry.transfer.id).toBe(first.transfer.id);
    }
    expect(
      await balances(app, ledger.steward, [ledger.alice.accountId, ledger.bob.accountId]),
    ).toEqual(['-2.00', '2.00']);
  });

  it.each([
    ['a different amount', { amount: '2.01' }],
    ['a different memo', { memo: 'something else' }],
    ['a different kind', { kind: 'PAYMENT' }],
  ])(
    'refuses the same key with %s with IDEMPOTENCY_CONFLICT and changes nothing',
    async (_label, change) => {
      const ledger = await createLedger(app);
      const idempotencyKey = unique('conflict');
      expectData(await aliceToBob(ledger, { idempotencyKey }));
      const before = await bothAccounts(ledger);
      const response = await aliceToBob(ledger, { idempotencyKey, ...change });
      expect(errorCode(response)).toBe('IDEMPOTENCY_CONFLICT');
      expect(errorField(response)).toBe('idempotencyKey');
      expect(await bothAccounts(ledger)).toEqual(before);
    },
  );

  it('refuses the same key to a different receiver with IDEMPOTENCY_CONFLICT', async () => {
    const ledger = await createLedger(app);
    const carol = await addMember(app, ledger.community, ledger.currency);
    const idempotencyKey = unique('conflict');
    expectData(await aliceToBob(ledger, { idempotencyKey }));
    const accounts = [ledger.alice.accountId, ledger.bob.accountId, carol.accountId];
    const before = await snapshot(app, ledger.steward, accounts);
    const response = await aliceToBob(ledger, { idempotencyKey, toAccountId: carol.accountId });
    expect(errorCode(response)).toBe('IDEMPOTENCY_CONFLICT');
    expect(await snapshot(app, ledger.steward, accounts)).toEqual(before);
  });

  it('keeps keys apart per user: the same key from two users makes two transfers', async () => {
    const ledger = await createLedger(app);
    const carol = await addMember(app, ledger.community, ledger.currency);
    const idempotencyKey = unique('shared');
    const fromAlice = await transferOk(app, ledger.alice.user.token, {
      fromAccountId: ledger.alice.accountId,
      toAccountId: carol.accountId,
      amount: '1.50',
      idempotencyKey,
    });
    const fromBob = await transferOk(app, ledger.bob.user.token, {
      fromAccountId: ledger.bob.accountId,
      toAccountId: carol.accountId,
      amount: '1.50',
      idempotencyKey,
    });
    expect(fromBob.id).not.toBe(fromAlice.id);
    expect(
      await balances(app, ledger.steward, [
        ledger.alice.accountId,
        ledger.bob.accountId,
        carol.accountId,
      ]),
    ).toEqual(['-1.50', '-1.50', '3.00']);
    expect((await transferIdsOf(app, ledger.steward, carol.accountId)).sort()).toEqual(
      [fromAlice.id, fromBob.id].sort(),
    );
  });

  it('posts once when ten requests with one key arrive at the same time', async () => {
    const ledger = await createLedger(app);
    const idempotencyKey = unique('burst');
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => aliceToBob(ledger, { idempotencyKey, amount: '0.50' })),
    );
    const ids = responses.map((response) => expectData(response).transfer.id);
    expect(new Set(ids).size).toBe(1);
    expect(await transferIdsOf(app, ledger.steward, ledger.alice.accountId)).toEqual([ids[0]]);
    expect(
      await balances(app, ledger.steward, [ledger.alice.accountId, ledger.bob.accountId]),
    ).toEqual(['-0.50', '0.50']);
  });
  // transfer with the key only after an insert broke uq_transfers_idempotency, and plans
  // the transfer against the current balances first. Once the payer has spent down to
  // the floor, the retry of a transfer that was posted gets INSUFFICIENT_FUNDS instead of
  // the original (DESIGN.md invariant 6: a retry returns the original transfer).
  it('answers a retry with the original transfer even after the payer spent down to the floor', async () => {
    const ledger = await createLedger(app);
    const idempotencyKey = unique('late-retry');
    const first = expectData(await aliceToBob(ledger, { idempotencyKey, amount: '6.00' }));
    expectData(await aliceToBob(ledger, { amount: '4.00' }));
    const retry = await aliceToBob(ledger, { idempotencyKey, amount: '6.00' });
    expect(retry.errors).toBeUndefined();
    expect(expectData(retry).transfer.id).toBe(first.transfer.id);
    expect(
      await balances(app, ledger.steward, [ledger.alice.accountId, ledger.bob.accountId]),
    ).toEqual(['-10.00', '10.00']);
  });

  it('replays a key first used by `transfer` inside a batch, without posting again', async () => {
    const ledger = await createLedger(app);
    const idempotencyKey = unique('batch-retry');
    const first = expectData(await aliceToBob(ledger, { idempotencyKey })).transfer;
    const batch = await gql<{
      transferBatch: { postedCount: number; results: Array<{ transfer: { id: string } | null }> };
    }>(
      app,
      `mutation($input: TransferBatchInput!) {
        transferBatch(input: $input) { postedCount results { transfer { id } } }
      }`,
      {
        input: {
          transfers: [
            {
              fromAccountId: ledger.alice.accountId,
              toAccountId: ledger.bob.accountId,
              amount: '2.00',
              kind: 'EXCHANGE',
              idempotencyKey,
            },
          ],
        },
      },
      ledger.alice.user.token,
    );
    expect(expectData(batch).transferBatch.results[0].transfer?.id).toBe(first.id);
    expect(
      await balances(app, ledger.steward, [ledger.alice.accountId, ledger.bob.accountId]),
    ).toEqual(['-2.00', '2.00']);
  });

  it('answers a retried reversal with the original reversal, reversing once', async () => {
    const ledger = await createLedger(app);
    const paid = expectData(await aliceToBob(ledger, { amount: '3.00' })).transfer;
    const idempotencyKey = unique('reverse');
    const reverse = () =>
      gql<{ reverseTransfer: TransferView }>(
        app,
        `mutation($input: ReverseTransferInput!) { reverseTransfer(input: $input) { ${TRANSFER_FIELDS} } }`,
        { input: { transferId: paid.id, reason: 'Entered twice', idempotencyKey } },
        ledger.steward,
      );
    const first = expectData(await reverse()).reverseTransfer;
    const retry = expectData(await reverse()).reverseTransfer;
    expect(retry.id).toBe(first.id);
    expect(
      await balances(app, ledger.steward, [ledger.alice.accountId, ledger.bob.accountId]),
    ).toEqual(['0.00', '0.00']);
    expect(await transferIdsOf(app, ledger.steward, ledger.alice.accountId)).toHaveLength(2);
  });

  it('refuses a key reused for another operation with IDEMPOTENCY_CONFLICT', async () => {
    const ledger = await createLedger(app);
    const idempotencyKey = unique('reused');
    const paid = await transferOk(app, ledger.steward, {
      fromAccountId: ledger.alice.accountId,
      toAccountId: ledger.bob.accountId,
      amount: '1.00',
      idempotencyKey,
    });
    const before = await bothAccounts(ledger);
    const response = await gql(
      app,
      'mutation($input: ReverseTransferInput!) { reverseTransfer(input: $input) { id } }',
      { input: { transferId: paid.id, reason: 'Mistake', idempotencyKey } },
      ledger.steward,
    );
    expect(errorCode(response)).toBe('IDEMPOTENCY_CONFLICT');
    expect(await bothAccounts(ledger)).toEqual(before);
  });
});
