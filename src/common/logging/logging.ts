import { randomUUID } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import { Params } from 'nestjs-pino';
import { stdSerializers } from 'pino';
import { AppConfig } from '../config/app-config';
import { notedOperations } from './request-operation';

/**
 * Structured JSON logs (pretty in a development terminal), one line per
 * request with its id, duration and, for GraphQL, the operations it ran
 * (`operation: "mutation Login"`). The line is at info, at warn for a 503
 * (the database is unreachable, which the health check reports) and at error
 * for any other 5xx. The id comes from a sane X-Request-Id
 * header when a proxy sets one, else a new UUID, and is echoed back so a
 * client can quote it. Secrets never reach the log: authorization headers,
 * cookies, anything called password or token and the bound values of a
 * failed SQL statement are redacted.
 *
 * Every request passes here, so the per-request work is kept small: the
 * request line is written at info, and below that level (LOG_LEVEL=warn in
 * production benchmarks) it is not prepared at all; the serializers receive
 * the raw request and response and copy three fields, instead of pino's
 * standard serializers building a full copy first; the service name is bound
 * once to the root logger rather than to a new child logger per request.
 */
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** pino's numeric levels: the request line is written at info (30). */
const LEVEL_VALUES: Record<AppConfig['LOG_LEVEL'], number> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Infinity,
};

export function loggingParams(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.LOG_LEVEL,
      transport:
        config.LOG_PRETTY && prettyPrinterInstalled()
          ? {
              target: 'pino-pretty',
              options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' },
            }
          : undefined,
      genReqId: (req: IncomingMessage, res: ServerResponse) => {
        const incoming = req.headers['x-request-id'];
        const id =
          typeof incoming === 'string' && REQUEST_ID_PATTERN.test(incoming)
            ? incoming
            : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'res.headers["set-cookie"]',
          '*.password',
          '*.token',
          // A failed SQL statement's bound values may be anything a user sent.
          'err.parameters',
          '*.err.parameters',
        ],
        censor: '[redacted]',
      },
      base: { pid: process.pid, hostname: hostname(), service: 'mutua' },
      wrapSerializers: false,
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url,
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        // Unwrapped serializers replace pino's defaults, this one included.
        err: stdSerializers.err,
      },
      customLogLevel: (_req: IncomingMessage, res: ServerResponse, error?: Error) =>
        res.statusCode === 503
          ? 'warn'
          : error !== undefined || res.statusCode >= 500
            ? 'error'
            : 'info',
      customSuccessObject: withOperation,
      customErrorObject: (
        req: IncomingMessage,
        _res: ServerResponse,
        _error: Error,
        value: object,
      ) => withOperation(req, _res, value),
      autoLogging:
        LEVEL_VALUES[config.LOG_LEVEL] <= LEVEL_VALUES.info
          ? { ignore: (req: IncomingMessage) => req.url === '/health' }
          : false,
    },
  };
}

function withOperation(req: IncomingMessage, _res: ServerResponse, value: object): object {
  const operation = notedOperations(req);
  return operation === undefined ? value : { ...value, operation };
}

/**
 * pino-pretty is a development dependency: a production install asked for
 * pretty logs says so once and writes JSON lines instead of failing to start.
 */
let prettyChecked: boolean | undefined;
function prettyPrinterInstalled(): boolean {
  if (prettyChecked === undefined) {
    try {
      require.resolve('pino-pretty');
      prettyChecked = true;
    } catch {
      prettyChecked = false;
      process.stderr.write(
        'mutua: LOG_PRETTY needs pino-pretty, a development dependency that is not installed; writing JSON lines\n',
      );
    }
  }
  return prettyChecked;
}
