import { assert, LedgerError } from './ledger-error';

/**
 * The life of a transfer.
 *
 *              POST
 *            ┌──────▶ POSTED
 *            │  VOID
 *   PENDING ─┼──────▶ VOIDED
 *            │ EXPIRE
 *            └──────▶ EXPIRED
 *
 * A transfer posted at once is created POSTED and never passes through
 * PENDING. A pending transfer (a held payment, a fund disbursement awaiting
 * approvals) ends exactly once: it is posted, voided (rejected or cancelled)
 * or expires. POSTED, VOIDED and EXPIRED are final: history is append-only,
 * so a posted transfer is corrected by a new reversal transfer, never by a
 * change of status. Any other event is refused with INVALID_STATE_TRANSITION,
 * which is what a second approval racing a rejection receives.
 */

export type TransferStatus = 'PENDING' | 'POSTED' | 'VOIDED' | 'EXPIRED';
export type TransferEvent = 'POST' | 'VOID' | 'EXPIRE';

export const TRANSFER_STATUSES: readonly TransferStatus[] = [
  'PENDING',
  'POSTED',
  'VOIDED',
  'EXPIRED',
];
export const TRANSFER_EVENTS: readonly TransferEvent[] = ['POST', 'VOID', 'EXPIRE'];

function statusAfter(event: TransferEvent): TransferStatus {
  switch (event) {
    case 'POST':
      return 'POSTED';
    case 'VOID':
      return 'VOIDED';
    case 'EXPIRE':
      return 'EXPIRED';
  }
}

export function isFinal(status: TransferStatus): boolean {
  return status !== 'PENDING';
}

/** The status a transfer moves to on `event`, or INVALID_STATE_TRANSITION. */
export function nextStatus(status: TransferStatus, event: TransferEvent): TransferStatus {
  if (status !== 'PENDING') {
    throw new LedgerError(
      'INVALID_STATE_TRANSITION',
      `A ${status} transfer cannot take the event ${event}`,
      { from: status, event },
    );
  }
  return statusAfter(event);
}

/**
 * Whether a pending transfer with this deadline has expired at `now`. A null
 * deadline never expires. The deadline itself is already too late: a
 * transfer due to expire at noon cannot be posted at noon.
 */
export function isExpired(expiresAt: Date | null, now: Date): boolean {
  assert(!Number.isNaN(now.getTime()), 'now is a valid instant');
  if (expiresAt === null) return false;
  assert(!Number.isNaN(expiresAt.getTime()), 'expiresAt is a valid instant');
  return now.getTime() >= expiresAt.getTime();
}
