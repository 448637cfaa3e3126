import { QueryFailedError } from 'typeorm';

/** SQLSTATE codes Mutua reacts to. */
export const UNIQUE_VIOLATION = '23505';
export const SERIALIZATION_FAILURE = '40001';
export const DEADLOCK_DETECTED = '40P01';

export function sqlState(error: unknown): string | undefined {
  const source = error instanceof QueryFailedError ? (error.driverError as unknown) : error;
  const code = (source as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function constraintName(error: unknown): string | undefined {
  const source = error instanceof QueryFailedError ? (error.driverError as unknown) : error;
  const name = (source as { constraint?: unknown } | null)?.constraint;
  return typeof name === 'string' ? name : undefined;
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  return (
    sqlState(error) === UNIQUE_VIOLATION &&
    (constraint === undefined || constraintName(error) === constraint)
  );
}

/** A serialization failure or deadlock: the transaction may succeed when run again. */
export function isTransientConflict(error: unknown): boolean {
  const state = sqlState(error);
  return state === SERIALIZATION_FAILURE || state === DEADLOCK_DETECTED;
}
