import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Shops' payment requests: a fixed or open amount into a SHOP account,
 * single-use or reusable, with an optional expiry. Paying one is a PAYMENT
 * transfer that names the request (migration ShopPayments).
 */
export class ShopPaymentRequests1796488257799 implements MigrationInterface {
  name = 'ShopPaymentRequests1796488257799';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "payment_requests" ("community_id" uuid NOT NULL, "id" uuid NOT NULL, "to_account_id" uuid NOT NULL, "currency_code" character varying(10) NOT NULL, "amount_minor" bigint, "memo" character varying(500), "reference" character varying(100), "reusable" boolean NOT NULL DEFAULT false, "status" character varying(16) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE, "created_by" uuid NOT NULL, "created_by_key" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "cancelled_at" TIMESTAMP WITH TIME ZONE, "paid_minor" bigint NOT NULL DEFAULT \'0\', "payment_count" integer NOT NULL DEFAULT \'0\', CONSTRAINT "ck_payment_requests_paid" CHECK ("paid_minor" >= 0 AND "payment_count" >= 0), CONSTRAINT "ck_payment_requests_amount" CHECK ("amount_minor" IS NULL OR "amount_minor" > 0), CONSTRAINT "ck_payment_requests_status" CHECK ("status" IN (\'OPEN\', \'PAID\', \'CANCELLED\')), CONSTRAINT "pk_payment_requests" PRIMARY KEY ("community_id", "id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_payment_requests_account" ON "payment_requests"  ("community_id", "to_account_id", "created_at", "id") ',
    );
    await queryRunner.query(
      'ALTER TABLE "payment_requests" ADD CONSTRAINT "fk_payment_requests_created_by" FOREIGN KEY ("community_id", "created_by") REFERENCES "users"("community_id","id") ON DELETE NO ACTION ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "payment_requests" ADD CONSTRAINT "fk_payment_requests_account" FOREIGN KEY ("community_id", "to_account_id") REFERENCES "accounts"("community_id","id") ON DELETE NO ACTION ON UPDATE NO ACTION',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "payment_requests" DROP CONSTRAINT "fk_payment_requests_account"',
    );
    await queryRunner.query(
      'ALTER TABLE "payment_requests" DROP CONSTRAINT "fk_payment_requests_created_by"',
    );
    await queryRunner.query('DROP INDEX "public"."ix_payment_requests_account"');
    await queryRunner.query('DROP TABLE "payment_requests"');
  }
}
