import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The database as the second check of tenancy (DESIGN.md, STYLE.md 19).
 *
 * 1. The server connects as `mutua_app` (or a login role that is a member of
 *    it), a role that owns nothing: it may read and write the rows of
 *    Mutua's tables, and delete where Mutua deletes (fund stewards, fund
 *    rule proposals, login failures, public fund pages), but cannot
 *    TRUNCATE, ALTER or DROP a table, disable a trigger or set
 *    session_replication_role. Migrations run as the owner of the tables.
 *    Tables created later by the owner are granted the same way by default.
 * 2. Row-level security on every table keyed by community_id: while the
 *    setting `mutua.community_id` holds a community (set per transaction or
 *    per connection by src/common/database/tenancy.ts), the application role
 *    sees and writes only that community's rows, so that a query that
 *    forgets its community predicate finds nothing of another community.
 *    While it is unset or empty (work that is not a community's: sign-in,
 *    the admin, the schedulers), the policy lets every row through. The
 *    owner is not subject to the policies.
 *
 * A table added later with a community_id needs its own policy, in its own
 * migration: `ENABLE ROW LEVEL SECURITY` and the same `community_isolation`
 * policy as below.
 */
const TENANT_TABLES = [
  'communities',
  'users',
  'invites',
  'api_keys',
  'login_failures',
  'currencies',
  'currency_policies',
  'accounts',
  'transfers',
  'entries',
  'funds',
  'fund_stewards',
  'disbursement_votes',
  'fund_rule_versions',
  'fund_rule_proposals',
  'standing_orders',
  'standing_order_runs',
  'payment_requests',
  'public_fund_pages',
  'ledger_checkpoints',
];

const DELETED_FROM = [
  'fund_stewards',
  'fund_rule_proposals',
  'login_failures',
  'public_fund_pages',
];

const SETTING = "nullif(current_setting('mutua.community_id', true), '')";
const VISIBLE = `${SETTING} IS NULL OR community_id = ${SETTING}::uuid`;

export class ApplicationRole1796506415184 implements MigrationInterface {
  name = 'ApplicationRole1796506415184';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Roles belong to the whole PostgreSQL cluster: made once, kept if there.
    await queryRunner.query(`
      DO $$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mutua_app') THEN
          CREATE ROLE mutua_app NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
        END IF;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN
        NULL; -- made at the same moment by a migration of another database
      END $$`);
    await queryRunner.query('GRANT USAGE ON SCHEMA public TO mutua_app');
    await queryRunner.query('GRANT SELECT ON schema_migrations TO mutua_app');
    await queryRunner.query('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO mutua_app');
    await queryRunner.query(
      'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE ON TABLES TO mutua_app',
    );
    await queryRunner.query(
      'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO mutua_app',
    );
    for (const table of TENANT_TABLES) {
      await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON ${table} TO mutua_app`);
      if (DELETED_FROM.includes(table)) {
        await queryRunner.query(`GRANT DELETE ON ${table} TO mutua_app`);
      }
      await queryRunner.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await queryRunner.query(
        `CREATE POLICY community_isolation ON ${table} TO mutua_app USING (${VISIBLE}) WITH CHECK (${VISIBLE})`,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...TENANT_TABLES].reverse()) {
      await queryRunner.query(`DROP POLICY community_isolation ON ${table}`);
      await queryRunner.query(`ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY`);
      await queryRunner.query(`REVOKE ALL ON ${table} FROM mutua_app`);
    }
    await queryRunner.query(
      'ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE USAGE, SELECT ON SEQUENCES FROM mutua_app',
    );
    await queryRunner.query(
      'ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT, INSERT, UPDATE ON TABLES FROM mutua_app',
    );
    await queryRunner.query(
      'REVOKE USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public FROM mutua_app',
    );
    await queryRunner.query('REVOKE SELECT ON schema_migrations FROM mutua_app');
    await queryRunner.query('REVOKE USAGE ON SCHEMA public FROM mutua_app');
    // The role itself stays: other databases of the cluster may use it.
  }
}
