import { API_ERROR_CODES } from './common/errors/api-error-code';
import { AppError } from './common/errors/app-error';
import { apiCodeFor, installErrorTable } from './common/errors/error-codes';
import { classifyError } from './common/errors/format-error';
import { ERROR_TABLE, MODULE_ERROR_TABLES, REFUSAL_CLASSES } from './error-table';
import { LEDGER_ERROR_CODES, LedgerError } from './ledger/ledger-error';

describe("the application's error table", () => {
  beforeAll(() => installErrorTable(ERROR_TABLE, REFUSAL_CLASSES));

  it('maps every code of every module to an API code of DESIGN.md', () => {
    for (const table of Object.values(MODULE_ERROR_TABLES)) {
      for (const [code, api] of Object.entries(table)) {
        expect(API_ERROR_CODES).toContain(api);
        expect(ERROR_TABLE[code as keyof typeof ERROR_TABLE]).toBe(api);
      }
    }
    expect(apiCodeFor('RATE_LIMITED')).toBe('RATE_LIMITED');
    expect(apiCodeFor('DATABASE_UNAVAILABLE')).toBe('SERVICE_UNAVAILABLE');
    expect(apiCodeFor('QUERY_TOO_COMPLEX')).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('gives a code two modules share the same API code in both, so neither overrides the other', () => {
    const seen = new Map<string, string>();
    const disagreements: string[] = [];
    for (const table of Object.values(MODULE_ERROR_TABLES)) {
      for (const [code, api] of Object.entries(table)) {
        const earlier = seen.get(code);
        if (earlier !== undefined && earlier !== api)
          disagreements.push(`${code}: ${earlier}/${api}`);
        seen.set(code, api);
      }
    }
    expect(disagreements).toEqual([]);
    expect(seen.size).toBe(Object.keys(ERROR_TABLE).length);
  });

  it('covers every refusal of the ledger core', () => {
    for (const code of LEDGER_ERROR_CODES) expect(MODULE_ERROR_TABLES.ledger).toHaveProperty(code);
  });

  it("answers a module's refusal with that module's API code once installed", () => {
    const classify = (error: Error) => classifyError({ message: error.message }, error).code;
    expect(classify(new LedgerError('INSUFFICIENT_FUNDS', 'x'))).toBe('INSUFFICIENT_FUNDS');
    expect(classify(new AppError('PAYMENT_REQUEST_PAID', 'x'))).toBe('CONFLICT');
    expect(classify(new AppError('LOGIN_LOCKED', 'x'))).toBe('FORBIDDEN');
    expect(classify(new AppError('TOO_MANY_OPEN_REQUESTS', 'x'))).toBe('LIMIT_EXCEEDED');
  });

  it('answers a ledger refusal as a bug when its class is not installed', () => {
    installErrorTable(ERROR_TABLE, []);
    try {
      const error = new LedgerError('INSUFFICIENT_FUNDS', 'x');
      expect(classifyError({ message: error.message }, error).code).toBe('INTERNAL_SERVER_ERROR');
    } finally {
      installErrorTable(ERROR_TABLE, REFUSAL_CLASSES);
    }
  });
});
