import { ApiErrorCode } from './api-error-code';

/**
 * The one error vocabulary of Mutua, assembled from its modules. Each module
 * keeps its specific codes beside it in an `*.errors.ts`: a table from code to
 * the API code clients see, and an augmentation of `ErrorCodes` below that
 * makes those codes valid for `AppError`. The application's error table
 * (src/error-table.ts) gathers every module's table; the compiler rejects it
 * when a declared code is missing, and `installErrorTable` hands it to the
 * formatting here, so this folder never imports a feature.
 */
export const COMMON_ERROR_TABLE = {
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
} as const satisfies ErrorTable;

/** A module's codes and the API code each one answers with. */
export type ErrorTable = Readonly<Record<string, ApiErrorCode>>;

/**
 * Every specific code of every module, as keys. Modules add theirs with
 * `declare module '…/common/errors/error-codes' { interface ErrorCodes extends
 * Record<keyof typeof THEIR_TABLE, ApiErrorCode> {} }`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ErrorCodes extends Record<keyof typeof COMMON_ERROR_TABLE, ApiErrorCode> {}

export type ErrorCode = Extract<keyof ErrorCodes, string>;

/** The complete table: one API code for every code some module declares. */
export type CompleteErrorTable = { readonly [Code in ErrorCode]: ApiErrorCode };

/**
 * An expected refusal thrown by a module's own error class rather than
 * AppError (the ledger core's LedgerError, which knows nothing of the API).
 */
export interface Refusal extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, string | number | boolean>;
}

/** A class of refusals, as `instanceof` needs it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type RefusalClass = abstract new (...args: any[]) => Refusal;

let installed: Readonly<Record<string, ApiErrorCode>> = COMMON_ERROR_TABLE;
let refusalClasses: readonly RefusalClass[] = [];

/**
 * Called once by the application with the table gathered from every module
 * and the error classes other than AppError whose instances are refusals.
 */
export function installErrorTable(
  table: CompleteErrorTable,
  classes: readonly RefusalClass[] = [],
): void {
  installed = table;
  refusalClasses = classes;
}

/** Whether `error` is an instance of an installed refusal class. */
export function isInstalledRefusal(error: unknown): error is Refusal {
  return refusalClasses.some((refusal) => error instanceof refusal);
}

/**
 * The API code of a specific code. A code the installed table lacks is a bug
 * in Mutua (the application's table is complete by type) and answers as one.
 */
export function apiCodeFor(code: ErrorCode): ApiErrorCode {
  return installed[code] ?? 'INTERNAL_SERVER_ERROR';
}
