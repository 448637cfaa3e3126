import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Row-level security denies by default (src/common/database/tenancy.ts).
 *
 * ApplicationRole let every row through while `mutua.community_id` was unset
 * or empty, so work that forgot to choose its community (a field resolved
 * after its operation, a scheduler, a public page) ran with only its own
 * predicates as the check. Now the setting must say what the work is:
 *
 * - a community id: that community's rows only, as before;
 * - `*`: every community's rows, for work that is explicitly no single
 *   community's (sign-in by e-mail, the admin, the schedulers' search for
 *   what is due, public pages read by slug);
 * - unset or empty: no row is visible and none may be written.
 *
 * The CASE keeps the order of the tests, so that `*` is never cast to a uuid.
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

const SETTING = "current_setting('mutua.community_id', true)";
const VISIBLE = `CASE
  WHEN ${SETTING} = '*' THEN true
  WHEN coalesce(${SETTING}, '') = '' THEN false
  ELSE community_id = ${SETTING}::uuid
END`;

const SETTING_BEFORE = "nullif(current_setting('mutua.community_id', true), '')";
const VISIBLE_BEFORE = `${SETTING_BEFORE} IS NULL OR community_id = ${SETTING_BEFORE}::uuid`;

export class CommunityPolicyDenies1796513215481 implements MigrationInterface {
  name = 'CommunityPolicyDenies1796513215481';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of TENANT_TABLES) {
      await queryRunner.query(
        `ALTER POLICY community_isolation ON ${table} USING (${VISIBLE}) WITH CHECK (${VISIBLE})`,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of TENANT_TABLES) {
      await queryRunner.query(
        `ALTER POLICY community_isolation ON ${table} USING (${VISIBLE_BEFORE}) WITH CHECK (${VISIBLE_BEFORE})`,
      );
    }
  }
}
