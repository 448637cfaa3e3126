/**
 * Expected refusals of the ledger core. Each carries a code that the service
 * layer maps to the API's vocabulary (src/transfers/ledger.errors.ts).
 * Impossible states are not LedgerErrors: they fail an assertion.
 */
export const LEDGER_ERROR_CODES = [
  'AMOUNT_INVALID',
  'AMOUNT_NOT_POSITIVE',
  'AMOUNT_TOO_PRECISE',
  'AMOUNT_TOO_LARGE',
  'SAME_ACCOUNT',
  'CURRENCY_MISMATCH',
  'TOO_MANY_ENTRIES',
  'ACCOUNT_NOT_OPEN',
  'INSUFFICIENT_FUNDS',
  'CEILING_EXCEEDED',
  'INVALID_STATE_TRANSITION',
  'TRANSFER_LIMIT_EXCEEDED',
  'DAILY_LIMIT_EXCEEDED',
  'SUPPLY_CAP_EXCEEDED',
  'RATE_INVALID',
  'BALANCE_OUT_OF_RANGE',
  'FEE_EXCEEDS_AMOUNT',
  'ACCOUNT_NOT_FOUND',
  'TRANSFER_NOT_FOUND',
  'NOT_YOURS',
  'STEWARDS_ONLY',
  'SHOPS_ONLY',
  'POLICY_BYPASS',
  'SYSTEM_KIND',
  'SETTLED_BY_VOTE',
  'NOT_BACKED',
  'NO_FEE_ACCOUNT',
  'NOT_REVERSIBLE',
  'ALREADY_REVERSED',
  'IDEMPOTENCY_KEY_REUSED',
] as const;

export type LedgerErrorCode = (typeof LEDGER_ERROR_CODES)[number];

export class LedgerError extends Error {
  override name = 'LedgerError';

  constructor(
    readonly code: LedgerErrorCode,
    message: string,
    readonly details: Record<string, string | number | boolean> = {},
  ) {
    super(message);
  }
}

/**
 * Reads one field a client sent; a LedgerError the reading throws comes back
 * with its own code, naming the field in its message and details
 * (`amount: …`, `{ field: 'amount' }`), so that a form can point at it.
 */
export function readField<T>(field: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof LedgerError) {
      throw new LedgerError(error.code, `${field}: ${error.message}`, { ...error.details, field });
    }
    throw error;
  }
}

/** For impossible states: a bug in Mutua, never a client's mistake. */
export function assert(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(`Assertion failed: ${message}`);
}
