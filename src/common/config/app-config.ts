import { z } from 'zod';

/**
 * Every setting Mutua reads from the environment, validated once at start-up.
 * A bad value stops the process with one line naming the variable, before
 * anything listens or touches the database. The README's configuration table
 * mirrors this schema; keep them together.
 */

const booleanFromEnv = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no'])
  .transform((value) => value === '1' || value === 'true' || value === 'yes');

const positiveInt = (max: number) => z.coerce.number().int().min(1).max(max);

const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  // The owner of the tables, for migrations; DATABASE_URL is then the
  // application role's (src/common/database/application-role.ts). Unset:
  // migrations run with DATABASE_URL.
  MIGRATION_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_POOL_SIZE: positiveInt(200).default(10),
  DATABASE_APPLICATION_NAME: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,60}$/, 'must be 1 to 60 letters, digits, dots, dashes or underscores')
    .default('mutua'),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JWT_EXPIRES_IN_SECONDS: positiveInt(30 * 24 * 3600).default(12 * 3600),
  ADMIN_EMAIL: z.email().optional(),
  ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  AUTH_RATE_LIMIT_PER_MINUTE: positiveInt(100_000).default(20),
  LOGIN_MAX_FAILURES: positiveInt(100).default(5),
  LOGIN_LOCK_SECONDS: positiveInt(86_400).default(900),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_PRETTY: booleanFromEnv.optional(),
  GRAPHQL_INTROSPECTION: booleanFromEnv.optional(),
  GRAPHQL_PLAYGROUND: booleanFromEnv.optional(),
  GRAPHQL_MAX_DEPTH: positiveInt(50).default(12),
  GRAPHQL_MAX_ALIASES: positiveInt(1000).default(30),
  GRAPHQL_MAX_COMPLEXITY: positiveInt(1_000_000).default(2000),
  GRAPHQL_MAX_BATCH: positiveInt(100).default(10),
  HTTP_BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/, 'must look like 512kb or 1mb')
    .default('512kb'),
  DEBUG_ERRORS: booleanFromEnv.default(false),
  SHUTDOWN_TIMEOUT_MS: positiveInt(120_000).default(10_000),
  // How long a fund disbursement request holds the fund's money before it
  // expires: 14 days by default, at least an hour so that stewards can
  // answer, at most 90 days so that a forgotten request does not lock the
  // money for a season.
  DISBURSEMENT_EXPIRY_HOURS: positiveInt(90 * 24).default(14 * 24),
  // The Ed25519 key that signs ledger checkpoints (PKCS#8 PEM); by default
  // ledger-signing-key.pem in DATA_DIR, generated there on first use.
  LEDGER_SIGNING_KEY_FILE: z.string().min(1).optional(),
});

type RawConfig = z.infer<typeof configSchema>;

export interface AppConfig extends Omit<
  RawConfig,
  'LOG_PRETTY' | 'GRAPHQL_INTROSPECTION' | 'GRAPHQL_PLAYGROUND' | 'JWT_SECRET'
> {
  LOG_PRETTY: boolean;
  GRAPHQL_INTROSPECTION: boolean;
  GRAPHQL_PLAYGROUND: boolean;
  /** Undefined only outside production: the auth module then makes an ephemeral secret. */
  JWT_SECRET: string | undefined;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Variables whose value is never echoed: a refused secret is still a secret
 * (it may be the real one with a typo), and the line goes to logs that many
 * people read. Of DATABASE_URL, which holds a password, only the scheme is
 * shown.
 */
const SECRET_NAME = /SECRET|PASSWORD|PASSPHRASE|TOKEN|PRIVATE|_KEY$|CREDENTIAL/;

export function isSecretVariable(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** ` (got "…")` for a harmless value, nothing for a secret. */
function shownValue(name: string, value: string | undefined): string {
  if (value === undefined || isSecretVariable(name)) return '';
  if (name === 'DATABASE_URL' || name === 'MIGRATION_DATABASE_URL') {
    const scheme = /^[A-Za-z][A-Za-z0-9+.-]{0,20}:/.exec(value)?.[0];
    return scheme === undefined ? '' : ` (got a ${scheme}// URL)`;
  }
  return ` (got ${JSON.stringify(value)})`;
}

/**
 * Parses the environment into an AppConfig or throws a ConfigError whose
 * message is one line per bad variable, e.g. `PORT: must be at most 65535`.
 */
export function loadConfig(env: NodeJS.ProcessEnv): AppConfig {
  const relevant: Record<string, string> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') relevant[key] = value;
  }
  const parsed = configSchema.safeParse(relevant);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'config');
      return `${issue.path.join('.') || 'config'}: ${issue.message}${shownValue(name, relevant[name])}`;
    });
    throw new ConfigError(`Invalid configuration: ${lines.join('; ')}`);
  }
  const raw = parsed.data;
  const development = raw.NODE_ENV !== 'production';
  if (!development && raw.JWT_SECRET === undefined) {
    throw new ConfigError('Invalid configuration: JWT_SECRET: required when NODE_ENV=production');
  }
  if ((raw.ADMIN_EMAIL === undefined) !== (raw.ADMIN_PASSWORD === undefined)) {
    throw new ConfigError(
      'Invalid configuration: ADMIN_EMAIL and ADMIN_PASSWORD must be set together',
    );
  }
  return {
    ...raw,
    JWT_SECRET: raw.JWT_SECRET,
    LOG_PRETTY: raw.LOG_PRETTY ?? (development && process.stdout.isTTY === true),
    GRAPHQL_INTROSPECTION: raw.GRAPHQL_INTROSPECTION ?? development,
    GRAPHQL_PLAYGROUND: raw.GRAPHQL_PLAYGROUND ?? development,
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
