/**
 * The `extensions.code` values a client of Mutua can receive. DESIGN.md fixes
 * this list; clients switch on it, so it only ever grows by decision.
 * INTERNAL_SERVER_ERROR is the one code for our own bugs: it never carries
 * details.
 */
export const API_ERROR_CODES = [
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'INSUFFICIENT_FUNDS',
  'LIMIT_EXCEEDED',
  'IDEMPOTENCY_CONFLICT',
  'POLICY_VIOLATION',
  'CONFLICT',
  'INTERNAL_SERVER_ERROR',
] as const;

export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export function isApiErrorCode(value: unknown): value is ApiErrorCode {
  return typeof value === 'string' && (API_ERROR_CODES as readonly string[]).includes(value);
}
