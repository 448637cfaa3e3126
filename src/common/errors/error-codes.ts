import { LEDGER_ERROR_CODES, LedgerErrorCode } from '../../ledger/ledger-error';
import { SHOPS_ERROR_TABLE, ShopsErrorCode } from '../../shops/shops.errors';
import { ApiErrorCode } from './api-error-code';

/**
 * The one error vocabulary of Mutua. Every specific error code of every module
 * appears here exactly once with the API code clients see. The `satisfies`
 * clauses make the compiler reject a code that is missing from the table.
 */
const COMMON_ERROR_TABLE = {
  INVALID_INPUT: 'BAD_USER_INPUT',
  QUERY_TOO_COMPLEX: 'GRAPHQL_VALIDATION_FAILED',
  PAYLOAD_TOO_LARGE: 'BAD_USER_INPUT',
  TOO_MANY_OPERATIONS: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  RATE_LIMITED: 'RATE_LIMITED',
  DATABASE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  CONFLICT: 'CONFLICT',
  POLICY_VIOLATION: 'POLICY_VIOLATION',
  IDEMPOTENCY_CONFLICT: 'IDEMPOTENCY_CONFLICT',
} as const satisfies Record<string, ApiErrorCode>;

export type CommonErrorCode = keyof typeof COMMON_ERROR_TABLE;

const AUTH_ERROR_TABLE = {
  INVALID_CREDENTIALS: 'UNAUTHENTICATED',
  TOKEN_INVALID: 'UNAUTHENTICATED',
  TOKEN_EXPIRED: 'UNAUTHENTICATED',
  TOKEN_REVOKED: 'UNAUTHENTICATED',
  LOGIN_LOCKED: 'FORBIDDEN',
  USER_SUSPENDED: 'FORBIDDEN',
  SIGNUP_CLOSED: 'FORBIDDEN',
  EMAIL_TAKEN: 'CONFLICT',
  SLUG_TAKEN: 'CONFLICT',
  LAST_STEWARD: 'CONFLICT',
} as const satisfies Record<string, ApiErrorCode>;

export type AuthErrorCode = keyof typeof AUTH_ERROR_TABLE;

/** Fund disbursements and their stewards' votes (src/funds/). */
const FUNDS_ERROR_TABLE = {
  NOT_A_FUND: 'POLICY_VIOLATION',
  NOT_A_DISBURSEMENT: 'POLICY_VIOLATION',
  TOO_FEW_OTHER_STEWARDS: 'POLICY_VIOLATION',
  TOO_MANY_OPEN_REQUESTS: 'LIMIT_EXCEEDED',
  NOT_A_FUND_STEWARD: 'FORBIDDEN',
  OWN_REQUEST: 'FORBIDDEN',
  ALREADY_VOTED: 'CONFLICT',
  DISBURSEMENT_DECIDED: 'CONFLICT',
  DISBURSEMENT_EXPIRED: 'CONFLICT',
} as const satisfies Record<string, ApiErrorCode>;

export type FundsErrorCode = keyof typeof FUNDS_ERROR_TABLE;

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

export type ErrorCode =
  CommonErrorCode | AuthErrorCode | FundsErrorCode | ShopsErrorCode | LedgerErrorCode;

const ERROR_TABLE: Record<ErrorCode, ApiErrorCode> = {
  ...COMMON_ERROR_TABLE,
  ...AUTH_ERROR_TABLE,
  ...FUNDS_ERROR_TABLE,
  ...SHOPS_ERROR_TABLE,
  ...LEDGER_ERROR_TABLE,
};

export function apiCodeFor(code: ErrorCode): ApiErrorCode {
  return ERROR_TABLE[code];
}

/** Every specific code, for the test that checks the table is complete at run time too. */
export const ALL_ERROR_CODES: readonly ErrorCode[] = [
  ...(Object.keys(COMMON_ERROR_TABLE) as CommonErrorCode[]),
  ...(Object.keys(AUTH_ERROR_TABLE) as AuthErrorCode[]),
  ...(Object.keys(FUNDS_ERROR_TABLE) as FundsErrorCode[]),
  ...(Object.keys(SHOPS_ERROR_TABLE) as ShopsErrorCode[]),
  ...LEDGER_ERROR_CODES,
];
