import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('gives sane defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      DATA_DIR: './data',
      NODE_ENV: 'development',
      GRAPHQL_INTROSPECTION: true,
      DEBUG_ERRORS: false,
      DISBURSEMENT_EXPIRY_HOURS: 336,
    });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it.each([
    ['PORT', '99999', /PORT: .*65535/],
    ['PORT', 'three thousand', /PORT/],
    ['DATABASE_URL', 'mysql://localhost/db', /DATABASE_URL: must be a postgres/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL/],
    ['JWT_SECRET', 'short', /JWT_SECRET: must be at least 32/],
    ['HTTP_BODY_LIMIT', 'lots', /HTTP_BODY_LIMIT/],
    ['DEBUG_ERRORS', 'maybe', /DEBUG_ERRORS/],
    ['DISBURSEMENT_EXPIRY_HOURS', '0', /DISBURSEMENT_EXPIRY_HOURS: .*1/],
    ['DISBURSEMENT_EXPIRY_HOURS', '2161', /DISBURSEMENT_EXPIRY_HOURS: .*2160/],
    ['DISBURSEMENT_EXPIRY_HOURS', '1.5', /DISBURSEMENT_EXPIRY_HOURS/],
    ['DISBURSEMENT_EXPIRY_HOURS', 'two weeks', /DISBURSEMENT_EXPIRY_HOURS/],
  ])('refuses %s=%s in one line naming the variable', (name, value, pattern) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    try {
      loadConfig({ [name]: value });
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toMatch(pattern);
      expect(message).not.toContain('\n');
    }
  });

  it.each([
    ['JWT_SECRET', 'tooshort-but-real'],
    ['ADMIN_PASSWORD', 'short-pw'],
    ['DATABASE_URL', 'mysql://mutua:hunter2-secret@db.example.org/mutua'],
    ['DATABASE_URL', 'postgres://mutua:hunter2 secret@db.example.org/mutua'],
  ])('names %s and its rule but never echoes the refused secret', (name, value) => {
    const env = name === 'ADMIN_PASSWORD' ? { ADMIN_EMAIL: 'admin@example.org' } : {};
    let message = '';
    try {
      loadConfig({ ...env, [name]: value });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(new RegExp(`^Invalid configuration: ${name}: \\S`));
    expect(message).not.toContain(value);
    expect(message).not.toMatch(/hunter2|short-pw|tooshort/);
  });

  it('echoes a harmless refused value, to show what was read', () => {
    expect(() => loadConfig({ PORT: '99999' })).toThrow('(got "99999")');
    expect(() => loadConfig({ DATABASE_URL: 'mysql://u:p@h/db' })).toThrow('(got a mysql:// URL)');
  });

  it('requires a JWT secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET: required/);
  });

  it('requires the admin email and password together', () => {
    expect(() => loadConfig({ ADMIN_EMAIL: 'admin@example.org' })).toThrow(/set together/);
  });

  it('turns introspection off in production unless asked for', () => {
    const secret = 'x'.repeat(32);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret }).GRAPHQL_INTROSPECTION).toBe(
      false,
    );
    expect(
      loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret, GRAPHQL_INTROSPECTION: 'true' })
        .GRAPHQL_INTROSPECTION,
    ).toBe(true);
  });

  it('takes a disbursement expiry between an hour and 90 days, in whole hours', () => {
    expect(loadConfig({ DISBURSEMENT_EXPIRY_HOURS: '1' }).DISBURSEMENT_EXPIRY_HOURS).toBe(1);
    expect(loadConfig({ DISBURSEMENT_EXPIRY_HOURS: '72' }).DISBURSEMENT_EXPIRY_HOURS).toBe(72);
    expect(loadConfig({ DISBURSEMENT_EXPIRY_HOURS: '2160' }).DISBURSEMENT_EXPIRY_HOURS).toBe(2160);
  });
});
