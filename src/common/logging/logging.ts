import { randomUUID } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import { Params } from 'nestjs-pino';
import { stdSerializers } from 'pino';
import { AppConfig } from '../config/app-config';

/**
 * Structured JSON logs (pretty in a development terminal), one line per
 * request with its id and duration. The id comes from a sane X-Request-Id
 * header when a proxy sets one, else a new UUID, and is echoed back so a
 * client can quote it. Secrets never reach the log: authorization headers,
 * cookies and anything called password or token are redacted.
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
      transport: config.LOG_PRETTY
        ? { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' } }
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
      autoLogging:
        LEVEL_VALUES[config.LOG_LEVEL] <= LEVEL_VALUES.info
          ? { ignore: (req: IncomingMessage) => req.url === '/health' }
          : false,
    },
  };
}
