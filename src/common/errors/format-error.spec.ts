import { GraphQLError } from 'graphql';
import { QueryFailedError } from 'typeorm';
import { AppError } from './app-error';
import { isDatabaseUnavailable } from './database-unavailable';
import { classifyError } from './format-error';

function classify(error: unknown) {
  return classifyError({ message: error instanceof Error ? error.message : 'x' }, error);
}

describe('the error mapping', () => {
  it.each([
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    ],
    ['a connection that died', new Error('Connection terminated unexpectedly')],
    ['a pool that waited too long', new Error('timeout exceeded when trying to connect')],
    [
      'a server shutting down, wrapped by TypeORM',
      new QueryFailedError(
        'SELECT 1',
        [],
        Object.assign(new Error('terminating connection due to administrator command'), {
          code: '57P01',
        }),
      ),
    ],
    ['a connection exception', Object.assign(new Error('connection failure'), { code: '08006' })],
    [
      'a plain object thrown by the driver (GraphQL wraps it)',
      Object.assign(new Error('Unexpected error value'), { thrownValue: { code: 'ECONNREFUSED' } }),
    ],
  ])('answers %s as SERVICE_UNAVAILABLE, saying nothing of the network', (_name, error) => {
    const classified = classify(error);
    expect(classified.code).toBe('SERVICE_UNAVAILABLE');
    expect(classified.internal).toBe(false);
    expect(JSON.stringify(classified)).not.toMatch(/ECONN|10\.0\.0\.1|5432|administrator/);
  });

  it.each([
    [
      'a unique violation',
      new QueryFailedError(
        'INSERT',
        [],
        Object.assign(new Error('duplicate key'), { code: '23505' }),
      ),
    ],
    ['a type error', new TypeError("Cannot read properties of null (reading 'length')")],
    [
      'a syntax error in SQL',
      Object.assign(new Error('syntax error at or near "x"'), { code: '42601' }),
    ],
  ])('still answers %s as an internal error', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
    expect(classify(error)).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', internal: true });
  });

  it('keeps the message and reason of an expected refusal', () => {
    const classified = classify(
      new AppError('RATE_LIMITED', 'Slow down', { retryAfterSeconds: 7 }),
    );
    expect(classified).toEqual({
      code: 'RATE_LIMITED',
      message: 'Slow down',
      extensions: { reason: 'RATE_LIMITED', retryAfterSeconds: 7 },
      internal: false,
    });
  });

  it("keeps Apollo's codes for documents that do not parse or validate", () => {
    for (const code of ['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED']) {
      const error = new GraphQLError('bad document', { extensions: { code } });
      expect(classifyError({ message: 'bad document', extensions: { code } }, error).code).toBe(
        code,
      );
    }
  });
});
