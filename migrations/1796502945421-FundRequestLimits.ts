import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How much of a fund one member may tie up with open disbursement requests:
 * their pending requests together at most `member_share_percent` of the
 * fund's balance, and at most `max_open_requests` of them at once. Existing
 * funds get the defaults.
 */
export class FundRequestLimits1796502945421 implements MigrationInterface {
  name = 'FundRequestLimits1796502945421';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "funds"
         ADD COLUMN "member_share_percent" smallint NOT NULL DEFAULT 50,
         ADD COLUMN "max_open_requests" smallint NOT NULL DEFAULT 10,
         ADD CONSTRAINT "ck_funds_member_share_percent" CHECK ("member_share_percent" BETWEEN 1 AND 100),
         ADD CONSTRAINT "ck_funds_max_open_requests" CHECK ("max_open_requests" BETWEEN 1 AND 100)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "funds"
         DROP CONSTRAINT "ck_funds_max_open_requests",
         DROP CONSTRAINT "ck_funds_member_share_percent",
         DROP COLUMN "max_open_requests",
         DROP COLUMN "member_share_percent"`,
    );
  }
}
