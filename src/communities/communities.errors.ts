import type { ApiErrorCode } from '../common/errors/api-error-code';
import type { ErrorTable } from '../common/errors/error-codes';

/** Communities (src/communities/). */
export const COMMUNITIES_ERROR_TABLE = {
  /** A slug another community has, or one Mutua reserves. */
  SLUG_TAKEN: 'CONFLICT',
} as const satisfies ErrorTable;

declare module '../common/errors/error-codes' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodes extends Record<keyof typeof COMMUNITIES_ERROR_TABLE, ApiErrorCode> {}
}
