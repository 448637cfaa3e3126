import { ErrorCode, isInstalledRefusal, Refusal } from './error-codes';

/**
 * An expected failure that a client should hear about: bad input, a refused
 * act, a missing object. `code` is the specific reason (`AMOUNT_TOO_PRECISE`,
 * `ACCOUNT_FROZEN`); the error table turns it into the API's
 * `extensions.code`. `details` are safe to show (a field name, a limit), never
 * internal state.
 *
 * Bugs are not AppErrors: they are plain exceptions, logged with the request
 * id and answered as INTERNAL_SERVER_ERROR.
 */
export class AppError extends Error {
  override name = 'AppError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, string | number | boolean> = {},
  ) {
    super(message);
  }
}

/** Bad input naming the offending field, the most common AppError. */
export function invalidInput(field: string, message: string): AppError {
  return new AppError('INVALID_INPUT', message, { field });
}

/**
 * An expected refusal whose message Mutua wrote for the client: an AppError,
 * or an instance of a module's refusal class (see installErrorTable).
 */
export function isRefusal(error: unknown): error is AppError | Refusal {
  return error instanceof AppError || isInstalledRefusal(error);
}
