import { ArgumentsHost } from '@nestjs/common';
import { Response } from 'express';
import { HTTP_STATUS_OF, SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS } from './api-error-code';
import { isRefusal } from './app-error';
import { isDatabaseUnavailable } from './database-unavailable';
import { apiCodeFor } from './error-codes';
import { DATABASE_UNAVAILABLE_MESSAGE } from './format-error';

/**
 * Errors raised outside GraphQL, on a plain HTTP route such as the export
 * downloads (or by the validation pipe refusing one of its parameters),
 * answer as the GraphQL endpoint would: an expected refusal with the status
 * of its API code and GraphQL's error shape, an unreachable database with
 * 503 and Retry-After, instead of Nest's generic 500. Returns false for
 * anything else, which the caller (the application's exception filter)
 * leaves to Nest's own handling.
 */
export function answerHttpError(error: unknown, host: ArgumentsHost): boolean {
  if (host.getType() !== 'http') return false;
  const response = host.switchToHttp().getResponse<Response>();
  if (isRefusal(error)) {
    const code = apiCodeFor(error.code);
    reply(response, HTTP_STATUS_OF[code], {
      message: error.message,
      extensions: { code, reason: error.code, ...error.details },
    });
    return true;
  }
  if (isDatabaseUnavailable(error)) {
    if (!response.headersSent) {
      response.setHeader('Retry-After', String(SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS));
    }
    reply(response, HTTP_STATUS_OF.SERVICE_UNAVAILABLE, {
      message: DATABASE_UNAVAILABLE_MESSAGE,
      extensions: { code: 'SERVICE_UNAVAILABLE', reason: 'DATABASE_UNAVAILABLE' },
    });
    return true;
  }
  return false;
}

function reply(response: Response, status: number, error: object): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  response.status(status).json({ errors: [error] });
}
