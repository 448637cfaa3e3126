import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A fund's request limits become part of its versioned rule
 * (src/funds/rule-change-rules.ts): k of its stewards change them, as they
 * change its stewards, and every version records the limits it set.
 *
 * fund_rule_versions and fund_rule_proposals gain member_share_percent and
 * max_open_requests. Until now a fund's limits could only be set when it
 * opened, so every version and every open approval recorded so far takes
 * the fund's limits as they are. The versions' append-only trigger and the
 * proposals' approver trigger are set aside for that one backfill, inside
 * this migration's transaction, and are back before it commits.
 */
export class FundRuleRequestLimits1796512587368 implements MigrationInterface {
  name = 'FundRuleRequestLimits1796512587368';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['fund_rule_versions', 'fund_rule_proposals']) {
      await queryRunner.query(
        `ALTER TABLE ${table} ADD member_share_percent smallint, ADD max_open_requests smallint`,
      );
    }
    await queryRunner.query(
      'ALTER TABLE fund_rule_versions DISABLE TRIGGER fund_rule_versions_append_only',
    );
    await queryRunner.query(
      'ALTER TABLE fund_rule_proposals DISABLE TRIGGER fund_rule_proposals_approver',
    );
    for (const table of ['fund_rule_versions', 'fund_rule_proposals']) {
      await queryRunner.query(`
        UPDATE ${table} r
           SET member_share_percent = f.member_share_percent,
               max_open_requests = f.max_open_requests
          FROM funds f
         WHERE f.community_id = r.community_id AND f.account_id = r.account_id`);
    }
    await queryRunner.query(
      'ALTER TABLE fund_rule_proposals ENABLE TRIGGER fund_rule_proposals_approver',
    );
    await queryRunner.query(
      'ALTER TABLE fund_rule_versions ENABLE TRIGGER fund_rule_versions_append_only',
    );
    for (const table of ['fund_rule_versions', 'fund_rule_proposals']) {
      await queryRunner.query(`
        ALTER TABLE ${table}
          ALTER member_share_percent SET NOT NULL,
          ALTER max_open_requests SET NOT NULL,
          ADD CONSTRAINT ck_${table}_request_limits CHECK (
            member_share_percent BETWEEN 1 AND 100 AND max_open_requests BETWEEN 1 AND 100)`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['fund_rule_proposals', 'fund_rule_versions']) {
      await queryRunner.query(
        `ALTER TABLE ${table}
           DROP CONSTRAINT ck_${table}_request_limits,
           DROP COLUMN max_open_requests,
           DROP COLUMN member_share_percent`,
      );
    }
  }
}
