/**
 * The `extensions.code` values a client of Mutua can receive. DESIGN.md fixes
 * this list; clients switch on it, so it only ever grows by decision.
 * INTERNAL_SERVER_ERROR is the one code for our own bugs: it never carries
 * details.
 *
 * Most codes answer with HTTP 200 and the error beside whatever data could
 * be resolved, as GraphQL does. A few tell the client something about the
 * whole request and carry their own HTTP status (HTTP_STATUS_OF below): the
 * document could not be parsed or validated (400), the caller must slow down
 * (429, with Retry-After) or the database cannot be reached (503, with
 * Retry-After).
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
  'RATE_LIMITED',
  'SERVICE_UNAVAILABLE',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'INTERNAL_SERVER_ERROR',
] as const;

export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export function isApiErrorCode(value: unknown): value is ApiErrorCode {
  return typeof value === 'string' && (API_ERROR_CODES as readonly string[]).includes(value);
}

/**
 * The HTTP status of an answer whose error carries this code, where HTTP is
 * all there is (the export downloads) and, for the codes that concern the
 * whole request, for GraphQL too (see REQUEST_LEVEL_CODES).
 */
export const HTTP_STATUS_OF = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  INSUFFICIENT_FUNDS: 409,
  LIMIT_EXCEEDED: 409,
  IDEMPOTENCY_CONFLICT: 409,
  POLICY_VIOLATION: 409,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  SERVICE_UNAVAILABLE: 503,
  GRAPHQL_VALIDATION_FAILED: 400,
  GRAPHQL_PARSE_FAILED: 400,
  INTERNAL_SERVER_ERROR: 500,
} as const satisfies Record<ApiErrorCode, number>;

/**
 * Codes that change the HTTP status of a GraphQL answer even when they come
 * from one field: a client that sees 429 or 503 knows to wait for
 * Retry-After and send the same request again, whatever it asked for.
 */
export const REQUEST_LEVEL_CODES: ReadonlySet<ApiErrorCode> = new Set([
  'RATE_LIMITED',
  'SERVICE_UNAVAILABLE',
]);

/** Seconds a client should wait before retrying after SERVICE_UNAVAILABLE. */
export const SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS = 5;
