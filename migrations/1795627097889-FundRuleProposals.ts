import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A change of a fund's rule needs k of its stewards (src/funds/
 * rule-change-rules.ts): fund_rule_proposals holds each steward's one live
 * approval of a proposed rule (the stewards, sorted, and k) against the
 * fund's version it was given under, until it is replaced, withdrawn,
 * expires or the rule changes; then it is deleted, so unlike the versions
 * this table is not history. fund_rule_versions.approved_by records the
 * stewards whose approvals applied each later version, in the order they
 * approved.
 *
 * Written by hand: like fund_rule_versions the table has no TypeORM entity
 * (src/funds/fund-rule-proposals.ts reads and writes it with SQL). Versions
 * recorded before this migration keep approved_by NULL: each was set by its
 * changed_by alone.
 */
export class FundRuleProposals1795627097889 implements MigrationInterface {
  name = 'FundRuleProposals1795627097889';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE fund_rule_versions ADD approved_by uuid[]`);
    await queryRunner.query(`
      CREATE TABLE fund_rule_proposals (
        community_id uuid NOT NULL,
        account_id uuid NOT NULL,
        steward_id uuid NOT NULL,
        base_version integer NOT NULL,
        approvals_required smallint NOT NULL,
        steward_ids uuid[] NOT NULL,
        approved_at TIMESTAMP WITH TIME ZONE NOT NULL,
        expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT pk_fund_rule_proposals PRIMARY KEY (community_id, account_id, steward_id),
        CONSTRAINT ck_fund_rule_proposals_rule CHECK (
          cardinality(steward_ids) BETWEEN 1 AND 20
          AND approvals_required BETWEEN 1 AND cardinality(steward_ids)),
        CONSTRAINT ck_fund_rule_proposals_expiry CHECK (expires_at > approved_at),
        CONSTRAINT fk_fund_rule_proposals_fund FOREIGN KEY (community_id, account_id)
          REFERENCES funds (community_id, account_id),
        CONSTRAINT fk_fund_rule_proposals_steward FOREIGN KEY (community_id, steward_id)
          REFERENCES users (community_id, id)
      )`);

    // Only a current steward of the fund approves, and only against its current version.
    await queryRunner.query(`
      CREATE FUNCTION mutua_check_fund_rule_proposal() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NOT EXISTS (
          SELECT 1 FROM funds f
            JOIN fund_stewards s ON s.community_id = f.community_id AND s.account_id = f.account_id
           WHERE f.community_id = NEW.community_id AND f.account_id = NEW.account_id
             AND f.version = NEW.base_version AND s.user_id = NEW.steward_id
        ) THEN
          RAISE EXCEPTION 'user % may not approve version % of fund %',
            NEW.steward_id, NEW.base_version, NEW.account_id
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER fund_rule_proposals_approver BEFORE INSERT OR UPDATE ON fund_rule_proposals
      FOR EACH ROW EXECUTE FUNCTION mutua_check_fund_rule_proposal()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER fund_rule_proposals_approver ON fund_rule_proposals');
    await queryRunner.query('DROP FUNCTION mutua_check_fund_rule_proposal()');
    await queryRunner.query('DROP TABLE fund_rule_proposals');
    await queryRunner.query('ALTER TABLE fund_rule_versions DROP COLUMN approved_by');
  }
}
