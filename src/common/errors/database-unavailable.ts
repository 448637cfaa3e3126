import { QueryFailedError } from 'typeorm';

/**
 * Whether an error means "the database cannot be reached right now" rather
 * than "this request is wrong" or "Mutua has a bug": the connection was
 * refused, reset or timed out, the pool could not hand out a connection in
 * time, or PostgreSQL is shutting down, starting up or out of connections.
 * Such errors are answered SERVICE_UNAVAILABLE (HTTP 503, Retry-After): the
 * same request may succeed a few seconds later.
 */
const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** SQLSTATEs of a server that is going away, not yet ready, or full. */
const UNAVAILABLE_STATES: ReadonlySet<string> = new Set([
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
]);

/** What node-postgres says when a connection dies or the pool waits too long. */
const CONNECTION_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|connection error and is not queryable|Connection closed|the database system is (starting up|shutting down)/i;

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (error === null || typeof error !== 'object' || depth > 4) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code) || UNAVAILABLE_STATES.has(code)) return true;
    // Class 08: connection exceptions.
    if (/^08[0-9A-Z]{3}$/.test(code)) return true;
  }
  const message = (error as { message?: unknown }).message;
  if (typeof message === 'string' && CONNECTION_MESSAGES.test(message)) return true;
  // What wraps the error: TypeORM's QueryFailedError, an Error's cause, and
  // GraphQL's NonErrorThrown around a plain object (node-postgres rejects a
  // refused connection with one).
  const inner =
    error instanceof QueryFailedError
      ? (error.driverError as unknown)
      : ((error as { thrownValue?: unknown }).thrownValue ?? (error as { cause?: unknown }).cause);
  if (inner !== undefined && inner !== error) return isDatabaseUnavailable(inner, depth + 1);
  // An AggregateError (a connection attempt to each address of a host name).
  const errors = (error as { errors?: unknown }).errors;
  if (Array.isArray(errors)) return errors.some((each) => isDatabaseUnavailable(each, depth + 1));
  return false;
}
