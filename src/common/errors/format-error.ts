import { unwrapResolverError } from '@apollo/server/errors';
import { HttpException } from '@nestjs/common';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import {
  ApiErrorCode,
  isApiErrorCode,
  SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS,
} from './api-error-code';
import { isRefusal } from './app-error';
import { isDatabaseUnavailable } from './database-unavailable';
import { apiCodeFor } from './error-codes';

/**
 * Turns any error raised while answering a GraphQL request into what the
 * client sees. Known errors keep their message and gain the API code;
 * GraphQL's own errors keep Apollo's codes for a document that does not
 * parse (GRAPHQL_PARSE_FAILED) or does not validate against the schema and
 * its limits (GRAPHQL_VALIDATION_FAILED), and become BAD_USER_INPUT for bad
 * variables and requests; a database that cannot be reached is
 * SERVICE_UNAVAILABLE; everything else is a bug and is answered with a fixed
 * message, no stack trace and no SQL (unless DEBUG_ERRORS=1 on a development
 * machine). The request id that ties the answer to the log line is added by
 * the error-reporting plugin.
 */

export const INTERNAL_MESSAGE = 'Internal server error';

export const DATABASE_UNAVAILABLE_MESSAGE =
  'The database cannot be reached right now: try again in a few seconds';

/** Apollo's own codes for a request it refused, and what the client sees of each. */
const GRAPHQL_REQUEST_CODES: Record<string, ApiErrorCode> = {
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  OPERATION_RESOLUTION_FAILURE: 'BAD_USER_INPUT',
  PERSISTED_QUERY_NOT_FOUND: 'BAD_USER_INPUT',
  PERSISTED_QUERY_NOT_SUPPORTED: 'BAD_USER_INPUT',
  BAD_REQUEST: 'BAD_USER_INPUT',
};

export interface ClassifiedError {
  code: ApiErrorCode;
  message: string;
  extensions: Record<string, unknown>;
  /** True when this is our bug and must be logged in full. */
  internal: boolean;
}

export function classifyError(formatted: GraphQLFormattedError, raw: unknown): ClassifiedError {
  const error = unwrapResolverError(raw);
  if (isRefusal(error)) {
    return {
      code: apiCodeFor(error.code),
      message: error.message,
      extensions: { reason: error.code, ...error.details },
      internal: false,
    };
  }
  if (error instanceof HttpException) {
    return classifyHttpException(error);
  }
  const existing = formatted.extensions?.code;
  const {
    code: _code,
    stacktrace: _stack,
    http: _http,
    ...safeExtensions
  } = formatted.extensions ?? {};
  const requestCode = typeof existing === 'string' ? GRAPHQL_REQUEST_CODES[existing] : undefined;
  if (requestCode !== undefined) {
    return {
      code: requestCode,
      message: formatted.message,
      extensions: safeExtensions,
      internal: false,
    };
  }
  // A GraphQLError raised on purpose by our own plugins or scalars carries one
  // of the API codes already and has no underlying exception.
  if (
    error instanceof GraphQLError &&
    error.originalError === undefined &&
    isApiErrorCode(existing) &&
    existing !== 'INTERNAL_SERVER_ERROR'
  ) {
    return {
      code: existing,
      message: formatted.message,
      extensions: safeExtensions,
      internal: false,
    };
  }
  if (isDatabaseUnavailable(error)) {
    return {
      code: 'SERVICE_UNAVAILABLE',
      message: DATABASE_UNAVAILABLE_MESSAGE,
      extensions: {
        reason: 'DATABASE_UNAVAILABLE',
        retryAfterSeconds: SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS,
      },
      internal: false,
    };
  }
  return {
    code: 'INTERNAL_SERVER_ERROR',
    message: INTERNAL_MESSAGE,
    extensions: {},
    internal: true,
  };
}

function classifyHttpException(error: HttpException): ClassifiedError {
  const status = error.getStatus();
  const response = error.getResponse();
  let message = error.message;
  if (typeof response === 'object' && response !== null && 'message' in response) {
    const inner = response.message;
    if (Array.isArray(inner)) message = inner.join('; ');
    else if (typeof inner === 'string') message = inner;
  }
  const byStatus: Record<number, ApiErrorCode> = {
    400: 'BAD_USER_INPUT',
    401: 'UNAUTHENTICATED',
    403: 'FORBIDDEN',
    404: 'NOT_FOUND',
    409: 'CONFLICT',
    413: 'BAD_USER_INPUT',
    429: 'RATE_LIMITED',
  };
  const code = byStatus[status];
  if (code === undefined) {
    return {
      code: 'INTERNAL_SERVER_ERROR',
      message: INTERNAL_MESSAGE,
      extensions: {},
      internal: true,
    };
  }
  return {
    code,
    message,
    extensions: status === 429 ? { reason: 'RATE_LIMITED' } : {},
    internal: false,
  };
}

export function formatGraphQLError(
  formatted: GraphQLFormattedError,
  raw: unknown,
  debugErrors: boolean,
): GraphQLFormattedError {
  const classified = classifyError(formatted, raw);
  const extensions: Record<string, unknown> = { ...classified.extensions, code: classified.code };
  if (classified.internal && debugErrors) {
    const error = unwrapResolverError(raw);
    extensions.debug = error instanceof Error ? (error.stack ?? error.message) : String(error);
  }
  return {
    message: classified.message,
    ...(formatted.locations !== undefined ? { locations: formatted.locations } : {}),
    ...(formatted.path !== undefined ? { path: formatted.path } : {}),
    extensions,
  };
}
