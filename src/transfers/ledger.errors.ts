import type { ApiErrorCode } from '../common/errors/api-error-code';
import type { LedgerErrorCode } from '../ledger/ledger-error';

/**
 * The ledger core's refusals (src/ledger/ledger-error.ts) and the API code of
 * each: the ledger knows nothing of the API, the module that serves it does.
 */
export const LEDGER_ERROR_TABLE = {
  AMOUNT_INVALID: 'BAD_USER_INPUT',
  AMOUNT_NOT_POSITIVE: 'BAD_USER_INPUT',
  AMOUNT_TOO_PRECISE: 'BAD_USER_INPUT',
  AMOUNT_TOO_LARGE: 'BAD_USER_INPUT',
  SAME_ACCOUNT: 'BAD_USER_INPUT',
  CURRENCY_MISMATCH: 'BAD_USER_INPUT',
  TOO_MANY_ENTRIES: 'BAD_USER_INPUT',
  ACCOUNT_NOT_OPEN: 'POLICY_VIOLATION',
  INSUFFICIENT_FUNDS: 'INSUFFICIENT_FUNDS',
  CEILING_EXCEEDED: 'LIMIT_EXCEEDED',
  INVALID_STATE_TRANSITION: 'CONFLICT',
  TRANSFER_LIMIT_EXCEEDED: 'LIMIT_EXCEEDED',
  DAILY_LIMIT_EXCEEDED: 'LIMIT_EXCEEDED',
  SUPPLY_CAP_EXCEEDED: 'POLICY_VIOLATION',
  RATE_INVALID: 'BAD_USER_INPUT',
  BALANCE_OUT_OF_RANGE: 'LIMIT_EXCEEDED',
  FEE_EXCEEDS_AMOUNT: 'POLICY_VIOLATION',
  ACCOUNT_NOT_FOUND: 'NOT_FOUND',
  TRANSFER_NOT_FOUND: 'NOT_FOUND',
  NOT_YOURS: 'FORBIDDEN',
  STEWARDS_ONLY: 'FORBIDDEN',
  SHOPS_ONLY: 'POLICY_VIOLATION',
  POLICY_BYPASS: 'POLICY_VIOLATION',
  SYSTEM_KIND: 'POLICY_VIOLATION',
  SETTLED_BY_VOTE: 'POLICY_VIOLATION',
  NOT_BACKED: 'POLICY_VIOLATION',
  NO_FEE_ACCOUNT: 'POLICY_VIOLATION',
  NOT_REVERSIBLE: 'CONFLICT',
  ALREADY_REVERSED: 'CONFLICT',
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_CONFLICT',
} as const satisfies Record<LedgerErrorCode, ApiErrorCode>;

declare module '../common/errors/error-codes' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodes extends Record<LedgerErrorCode, ApiErrorCode> {}
}
