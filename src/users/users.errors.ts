import type { ApiErrorCode } from '../common/errors/api-error-code';
import type { ErrorTable } from '../common/errors/error-codes';

/** Members and their roles (src/users/). */
export const USERS_ERROR_TABLE = {
  /** Demoting or suspending the community's last steward. */
  LAST_STEWARD: 'CONFLICT',
} as const satisfies ErrorTable;

declare module '../common/errors/error-codes' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodes extends Record<keyof typeof USERS_ERROR_TABLE, ApiErrorCode> {}
}
