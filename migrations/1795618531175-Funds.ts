import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Mutual-aid funds: the approval rule of each FUND account (funds), the
 * stewards who vote on its disbursements (fund_stewards) and their votes
 * (disbursement_votes). Keys start with community_id like every table's.
 * Votes are history: the triggers below keep them append-only and accept
 * only a vote by one of the fund's stewards, not the requester, on a
 * DISBURSEMENT transfer, a second line behind src/funds/disbursement-rules.ts.
 *
 * FUND accounts opened before this migration get the rule a new fund gets
 * by default: every active steward of the community (when there are 1 to
 * 20), a simple majority to approve, recorded as by the longest-serving
 * steward.
 */
export class Funds1795618531175 implements MigrationInterface {
  name = 'Funds1795618531175';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE funds (
        community_id uuid NOT NULL,
        account_id uuid NOT NULL,
        approvals_required smallint NOT NULL,
        created_by uuid NOT NULL,
        created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT pk_funds PRIMARY KEY (community_id, account_id),
        CONSTRAINT ck_funds_approvals_required CHECK ("approvals_required" BETWEEN 1 AND 20),
        CONSTRAINT fk_funds_account FOREIGN KEY (community_id, account_id)
          REFERENCES accounts (community_id, id),
        CONSTRAINT fk_funds_created_by FOREIGN KEY (community_id, created_by)
          REFERENCES users (community_id, id)
      )`);
    await queryRunner.query(`
      CREATE TABLE fund_stewards (
        community_id uuid NOT NULL,
        account_id uuid NOT NULL,
        user_id uuid NOT NULL,
        CONSTRAINT pk_fund_stewards PRIMARY KEY (community_id, account_id, user_id),
        CONSTRAINT fk_fund_stewards_fund FOREIGN KEY (community_id, account_id)
          REFERENCES funds (community_id, account_id),
        CONSTRAINT fk_fund_stewards_user FOREIGN KEY (community_id, user_id)
          REFERENCES users (community_id, id)
      )`);
    await queryRunner.query(`
      CREATE TABLE disbursement_votes (
        community_id uuid NOT NULL,
        transfer_id uuid NOT NULL,
        steward_id uuid NOT NULL,
        decision character varying(8) NOT NULL,
        voted_at TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT pk_disbursement_votes PRIMARY KEY (community_id, transfer_id, steward_id),
        CONSTRAINT ck_disbursement_votes_decision CHECK ("decision" IN ('APPROVE', 'REJECT')),
        CONSTRAINT fk_disbursement_votes_transfer FOREIGN KEY (community_id, transfer_id)
          REFERENCES transfers (community_id, id),
        CONSTRAINT fk_disbursement_votes_steward FOREIGN KEY (community_id, steward_id)
          REFERENCES users (community_id, id)
      )`);

    // A vote is final: never changed, never removed.
    await queryRunner.query(`
      CREATE FUNCTION mutua_refuse_vote_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'disbursement votes are final: % refused', TG_OP
          USING ERRCODE = 'restrict_violation';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER disbursement_votes_append_only BEFORE UPDATE OR DELETE ON disbursement_votes
      FOR EACH ROW EXECUTE FUNCTION mutua_refuse_vote_change()`);
    await queryRunner.query(`
      CREATE TRIGGER disbursement_votes_no_truncate BEFORE TRUNCATE ON disbursement_votes
      FOR EACH STATEMENT EXECUTE FUNCTION mutua_refuse_vote_change()`);

    // Only the fund's stewards vote, never on their own request, only on disbursements.
    await queryRunner.query(`
      CREATE FUNCTION mutua_check_disbursement_vote() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NOT EXISTS (
          SELECT 1 FROM transfers t
            JOIN fund_stewards s ON s.community_id = t.community_id AND s.account_id = t.from_account_id
           WHERE t.community_id = NEW.community_id AND t.id = NEW.transfer_id
             AND t.kind = 'DISBURSEMENT' AND s.user_id = NEW.steward_id AND t.initiated_by <> NEW.steward_id
        ) THEN
          RAISE EXCEPTION 'user % may not vote on transfer %', NEW.steward_id, NEW.transfer_id
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER disbursement_votes_voter BEFORE INSERT ON disbursement_votes
      FOR EACH ROW EXECUTE FUNCTION mutua_check_disbursement_vote()`);

    await queryRunner.query(`
      INSERT INTO funds (community_id, account_id, approvals_required, created_by, created_at)
      SELECT a.community_id, a.id, s.stewards / 2 + 1, s.first_steward, a.created_at
        FROM accounts a
        JOIN LATERAL (
          SELECT count(*)::int AS stewards, (array_agg(u.id ORDER BY u.created_at, u.id))[1] AS first_steward
            FROM users u
           WHERE u.community_id = a.community_id AND u.role = 'STEWARD' AND u.status = 'ACTIVE'
        ) s ON s.stewards BETWEEN 1 AND 20
       WHERE a.kind = 'FUND'`);
    await queryRunner.query(`
      INSERT INTO fund_stewards (community_id, account_id, user_id)
      SELECT f.community_id, f.account_id, u.id
        FROM funds f
        JOIN users u ON u.community_id = f.community_id AND u.role = 'STEWARD' AND u.status = 'ACTIVE'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER disbursement_votes_voter ON disbursement_votes');
    await queryRunner.query('DROP TRIGGER disbursement_votes_no_truncate ON disbursement_votes');
    await queryRunner.query('DROP TRIGGER disbursement_votes_append_only ON disbursement_votes');
    await queryRunner.query('DROP FUNCTION mutua_check_disbursement_vote()');
    await queryRunner.query('DROP FUNCTION mutua_refuse_vote_change()');
    await queryRunner.query('DROP TABLE disbursement_votes');
    await queryRunner.query('DROP TABLE fund_stewards');
    await queryRunner.query('DROP TABLE funds');
  }
}
