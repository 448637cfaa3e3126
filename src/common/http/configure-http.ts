import { NestExpressApplication } from '@nestjs/platform-express';
import { NextFunction, Request, Response } from 'express';
import { AppConfig } from '../config/app-config';
import { withinRequest } from '../database/tenancy';
import { serveWebApp } from './web-app';

/**
 * HTTP-level limits that protect the server before GraphQL sees a request:
 * a body size limit and a cap on operations batched into one request. Both
 * answer in GraphQL's error shape so that clients handle them like any other
 * error. Each request then runs in its own database scope, which shows it
 * no community's rows until its caller is known (src/common/database/tenancy.ts).
 * The web app's static files are served beside the API (web-app.ts).
 */
export function configureHttp(app: NestExpressApplication, config: AppConfig): void {
  app.useBodyParser('json', { limit: config.HTTP_BODY_LIMIT });
  app.use('/graphql', batchLimit(config.GRAPHQL_MAX_BATCH));
  // After the body is read: a request's scope reaches everything it runs.
  app.use((_req: Request, _res: Response, next: NextFunction) => withinRequest(next));
  app.use(payloadErrors(config.HTTP_BODY_LIMIT));
  serveWebApp(app);
}

function graphqlError(message: string, reason: string): object {
  return { errors: [{ message, extensions: { code: 'BAD_USER_INPUT', reason } }] };
}

function batchLimit(max: number) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const body: unknown = req.body;
    if (Array.isArray(body) && body.length > max) {
      res
        .status(400)
        .json(
          graphqlError(
            `Too many operations in one request: ${body.length}, the limit is ${max}`,
            'TOO_MANY_OPERATIONS',
          ),
        );
      return;
    }
    next();
  };
}

function payloadErrors(limit: string) {
  return (error: unknown, _req: Request, res: Response, next: NextFunction): void => {
    const type = (error as { type?: unknown } | null)?.type;
    if (type === 'entity.too.large') {
      res
        .status(413)
        .json(graphqlError(`Request body is larger than ${limit}`, 'PAYLOAD_TOO_LARGE'));
      return;
    }
    if (type === 'entity.parse.failed') {
      res.status(400).json(graphqlError('Request body is not valid JSON', 'INVALID_INPUT'));
      return;
    }
    next(error);
  };
}
