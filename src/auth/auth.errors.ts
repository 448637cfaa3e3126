import type { ApiErrorCode } from '../common/errors/api-error-code';
import type { ErrorTable } from '../common/errors/error-codes';

/** Sign-in, tokens and sign-up (src/auth/). */
export const AUTH_ERROR_TABLE = {
  INVALID_CREDENTIALS: 'UNAUTHENTICATED',
  TOKEN_INVALID: 'UNAUTHENTICATED',
  TOKEN_EXPIRED: 'UNAUTHENTICATED',
  TOKEN_REVOKED: 'UNAUTHENTICATED',
  LOGIN_LOCKED: 'FORBIDDEN',
  USER_SUSPENDED: 'FORBIDDEN',
  SIGNUP_CLOSED: 'FORBIDDEN',
  EMAIL_TAKEN: 'CONFLICT',
} as const satisfies ErrorTable;

declare module '../common/errors/error-codes' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodes extends Record<keyof typeof AUTH_ERROR_TABLE, ApiErrorCode> {}
}
