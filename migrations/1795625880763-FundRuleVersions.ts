import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A fund's stewards and k can change (setFundStewards): funds.version counts
 * the changes, and fund_rule_versions keeps every version with who set it
 * and when, append-only like the votes. funds and fund_stewards still hold
 * the current rule, where votes are checked.
 *
 * fund_rule_versions has no TypeORM entity (it is read and written with SQL
 * in src/funds/fund-rules.ts), so this table is written by hand; the column
 * on funds was generated.
 *
 * Every fund opened before this migration gets version 1: its current
 * stewards (in id order, their naming order was not kept) and k, as set by
 * its creator when it was opened.
 */
export class FundRuleVersions1795625880763 implements MigrationInterface {
  name = 'FundRuleVersions1795625880763';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "funds" ADD "version" integer NOT NULL DEFAULT '1'`);
    await queryRunner.query(`
      CREATE TABLE fund_rule_versions (
        community_id uuid NOT NULL,
        account_id uuid NOT NULL,
        version integer NOT NULL,
        approvals_required smallint NOT NULL,
        steward_ids uuid[] NOT NULL,
        changed_by uuid NOT NULL,
        changed_at TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT pk_fund_rule_versions PRIMARY KEY (community_id, account_id, version),
        CONSTRAINT ck_fund_rule_versions_rule CHECK (
          cardinality(steward_ids) BETWEEN 1 AND 20
          AND approvals_required BETWEEN 1 AND cardinality(steward_ids)),
        CONSTRAINT fk_fund_rule_versions_fund FOREIGN KEY (community_id, account_id)
          REFERENCES funds (community_id, account_id),
        CONSTRAINT fk_fund_rule_versions_changed_by FOREIGN KEY (community_id, changed_by)
          REFERENCES users (community_id, id)
      )`);

    // A version is history: never changed, never removed.
    await queryRunner.query(`
      CREATE FUNCTION mutua_refuse_fund_rule_version_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'fund rule versions are history: % refused', TG_OP
          USING ERRCODE = 'restrict_violation';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER fund_rule_versions_append_only BEFORE UPDATE OR DELETE ON fund_rule_versions
      FOR EACH ROW EXECUTE FUNCTION mutua_refuse_fund_rule_version_change()`);
    await queryRunner.query(`
      CREATE TRIGGER fund_rule_versions_no_truncate BEFORE TRUNCATE ON fund_rule_versions
      FOR EACH STATEMENT EXECUTE FUNCTION mutua_refuse_fund_rule_version_change()`);

    await queryRunner.query(`
      INSERT INTO fund_rule_versions
             (community_id, account_id, version, approvals_required, steward_ids, changed_by, changed_at)
      SELECT f.community_id, f.account_id, 1, f.approvals_required,
             array_agg(s.user_id ORDER BY s.user_id), f.created_by, f.created_at
        FROM funds f
        JOIN fund_stewards s ON s.community_id = f.community_id AND s.account_id = f.account_id
       GROUP BY f.community_id, f.account_id`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER fund_rule_versions_no_truncate ON fund_rule_versions');
    await queryRunner.query('DROP TRIGGER fund_rule_versions_append_only ON fund_rule_versions');
    await queryRunner.query('DROP FUNCTION mutua_refuse_fund_rule_version_change()');
    await queryRunner.query('DROP TABLE fund_rule_versions');
    await queryRunner.query(`ALTER TABLE "funds" DROP COLUMN "version"`);
  }
}
