import { LedgerError } from './ledger-error';
import {
  TRANSFER_EVENTS,
  TRANSFER_STATUSES,
  TransferEvent,
  TransferStatus,
  isExpired,
  isFinal,
  nextStatus,
} from './transfer-state';

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal, but the call succeeded');
}

describe('nextStatus', () => {
  it.each([
    ['POST', 'POSTED'],
    ['VOID', 'VOIDED'],
    ['EXPIRE', 'EXPIRED'],
  ] as const)('moves a pending transfer on %s to %s', (event, status) => {
    expect(nextStatus('PENDING', event)).toBe(status);
  });

  const finalPairs: Array<[TransferStatus, TransferEvent]> = TRANSFER_STATUSES.filter(
    (status) => status !== 'PENDING',
  ).flatMap((status) =>
    TRANSFER_EVENTS.map((event): [TransferStatus, TransferEvent] => [status, event]),
  );

  it.each(finalPairs)('refuses to move a %s transfer on %s', (status, event) => {
    const error = thrownBy(() => nextStatus(status, event));
    expect(error).toBeInstanceOf(LedgerError);
    expect(error).toMatchObject({
      code: 'INVALID_STATE_TRANSITION',
      details: { from: status, event },
    });
  });

  it('refuses a second approval that races a rejection', () => {
    const rejected = nextStatus('PENDING', 'VOID');
    expect(() => nextStatus(rejected, 'POST')).toThrow(LedgerError);
  });
});

describe('isFinal', () => {
  it('holds for every status but PENDING', () => {
    expect(TRANSFER_STATUSES.filter(isFinal)).toEqual(['POSTED', 'VOIDED', 'EXPIRED']);
  });
});

describe('isExpired', () => {
  const noon = new Date('2024-03-01T12:00:00.000Z');

  it('never expires a transfer without a deadline', () => {
    expect(isExpired(null, new Date('2999-01-01T00:00:00.000Z'))).toBe(false);
  });

  it('is not expired a millisecond before the deadline, and is expired at it', () => {
    expect(isExpired(noon, new Date(noon.getTime() - 1))).toBe(false);
    expect(isExpired(noon, noon)).toBe(true);
    expect(isExpired(noon, new Date(noon.getTime() + 1))).toBe(true);
  });

  it('treats an invalid instant as a bug', () => {
    expect(() => isExpired(new Date('nonsense'), noon)).toThrow(/Assertion failed/);
    expect(() => isExpired(noon, new Date(NaN))).toThrow(/Assertion failed/);
  });
});
