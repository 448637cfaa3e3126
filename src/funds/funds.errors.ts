import type { ApiErrorCode } from '../common/errors/api-error-code';
import type { ErrorTable } from '../common/errors/error-codes';

/** Fund disbursements and their stewards' votes (src/funds/). */
export const FUNDS_ERROR_TABLE = {
  NOT_A_FUND: 'POLICY_VIOLATION',
  NOT_A_DISBURSEMENT: 'POLICY_VIOLATION',
  TOO_FEW_OTHER_STEWARDS: 'POLICY_VIOLATION',
  TOO_MANY_OPEN_REQUESTS: 'LIMIT_EXCEEDED',
  REQUEST_SHARE_EXCEEDED: 'LIMIT_EXCEEDED',
  NOT_A_FUND_STEWARD: 'FORBIDDEN',
  OWN_REQUEST: 'FORBIDDEN',
  ALREADY_VOTED: 'CONFLICT',
  DISBURSEMENT_DECIDED: 'CONFLICT',
  DISBURSEMENT_EXPIRED: 'CONFLICT',
} as const satisfies ErrorTable;

declare module '../common/errors/error-codes' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodes extends Record<keyof typeof FUNDS_ERROR_TABLE, ApiErrorCode> {}
}
