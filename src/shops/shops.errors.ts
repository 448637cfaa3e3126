import type { ApiErrorCode } from '../common/errors/api-error-code';
import type { ErrorTable } from '../common/errors/error-codes';

/**
 * The specific reasons of shops' refusals and the API code each one carries
 * (gathered into the application's error table, src/error-table.ts).
 */
export const SHOPS_ERROR_TABLE = {
  /** A single-use request that someone has already paid. */
  PAYMENT_REQUEST_PAID: 'CONFLICT',
  PAYMENT_REQUEST_CANCELLED: 'CONFLICT',
  PAYMENT_REQUEST_EXPIRED: 'CONFLICT',
  /** Payment requests go to SHOP accounts only. */
  NOT_A_SHOP_ACCOUNT: 'POLICY_VIOLATION',
  /** A shop paying its own request. */
  OWN_PAYMENT_REQUEST: 'FORBIDDEN',
  /** An amount that differs from a fixed-amount request, or none for an open one. */
  PAYMENT_AMOUNT_MISMATCH: 'BAD_USER_INPUT',
  /** Refunds are of payments into a shop account only. */
  NOT_A_PAYMENT: 'POLICY_VIOLATION',
  /** More than is left of the payment after earlier refunds. */
  REFUND_EXCEEDS_PAYMENT: 'CONFLICT',
  TOO_MANY_OPEN_REQUESTS: 'LIMIT_EXCEEDED',
} as const satisfies ErrorTable;

export type ShopsErrorCode = keyof typeof SHOPS_ERROR_TABLE;

declare module '../common/errors/error-codes' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodes extends Record<ShopsErrorCode, ApiErrorCode> {}
}
