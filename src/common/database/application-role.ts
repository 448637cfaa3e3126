import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * The role Mutua's server connects as: it owns nothing (the migration
 * ApplicationRole grants it the rows of Mutua's tables and puts it under
 * row-level security), so a bug or an intruder in the server cannot
 * truncate, alter or drop a table, disable a trigger or set
 * session_replication_role. Migrations run as the owner.
 *
 * With the embedded database and in tests, Mutua holds the superuser's
 * password and makes the role itself, able to log in with a password
 * generated at every start. Against a PostgreSQL server of your own, create
 * a login role that is a member of mutua_app and give Mutua its URL as
 * DATABASE_URL, and the owner's as MIGRATION_DATABASE_URL (README).
 */
export const APPLICATION_ROLE = 'mutua_app';

/**
 * Makes `mutua_app` a login role with a new password, using the owner's
 * (superuser's) URL, and returns the URL to connect as it to the same
 * database.
 */
export async function applicationLogin(ownerUrl: string): Promise<string> {
  const password = randomBytes(24).toString('hex');
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const literal = client.escapeLiteral(password);
    // Roles belong to the cluster: another database's migration may be
    // making it at this moment, hence the second attempt.
    for (let attempt = 0; ; attempt += 1) {
      try {
        const { rowCount } = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [
          APPLICATION_ROLE,
        ]);
        await client.query(
          rowCount === 0
            ? `CREATE ROLE ${APPLICATION_ROLE} LOGIN PASSWORD ${literal}`
            : `ALTER ROLE ${APPLICATION_ROLE} LOGIN PASSWORD ${literal}`,
        );
        break;
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (attempt > 0 || (code !== '42710' && code !== '23505')) throw error;
      }
    }
  } finally {
    await client.end();
  }
  const url = new URL(ownerUrl);
  url.username = APPLICATION_ROLE;
  url.password = password;
  return url.toString();
}
