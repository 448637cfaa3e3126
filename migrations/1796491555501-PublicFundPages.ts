import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Public fund pages: a row per FUND account whose stewards published its
 * page, readable by anyone without signing in (src/public-funds/).
 */
export class PublicFundPages1796491555501 implements MigrationInterface {
  name = 'PublicFundPages1796491555501';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "public_fund_pages" ("community_id" uuid NOT NULL, "account_id" uuid NOT NULL, "published_by" uuid NOT NULL, "published_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_public_fund_pages" PRIMARY KEY ("community_id", "account_id"))',
    );
    await queryRunner.query(
      'ALTER TABLE "public_fund_pages" ADD CONSTRAINT "fk_public_fund_pages_fund" FOREIGN KEY ("community_id", "account_id") REFERENCES "funds"("community_id","account_id") ON DELETE NO ACTION ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "public_fund_pages" ADD CONSTRAINT "fk_public_fund_pages_published_by" FOREIGN KEY ("community_id", "published_by") REFERENCES "users"("community_id","id") ON DELETE NO ACTION ON UPDATE NO ACTION',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "public_fund_pages" DROP CONSTRAINT "fk_public_fund_pages_published_by"',
    );
    await queryRunner.query(
      'ALTER TABLE "public_fund_pages" DROP CONSTRAINT "fk_public_fund_pages_fund"',
    );
    await queryRunner.query('DROP TABLE "public_fund_pages"');
  }
}
