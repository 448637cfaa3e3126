import { MigrationInterface, QueryRunner } from 'typeorm';

/** Standing orders (recurring payments) and the record of each due occurrence. */

export class StandingOrders1795619573921 implements MigrationInterface {
  name = 'StandingOrders1795619573921';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "standing_orders" ("community_id" uuid NOT NULL, "id" uuid NOT NULL, "from_account_id" uuid NOT NULL, "to_account_id" uuid NOT NULL, "amount_minor" bigint NOT NULL, "kind" character varying(16) NOT NULL, "memo" character varying(500), "repeat_every" character varying(8) NOT NULL, "next_run_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ends_at" TIMESTAMP WITH TIME ZONE, "status" character varying(16) NOT NULL DEFAULT \'ACTIVE\', "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_standing_orders_status" CHECK ("status" IN (\'ACTIVE\', \'CANCELLED\', \'ENDED\')), CONSTRAINT "ck_standing_orders_interval" CHECK ("repeat_every" IN (\'DAY\', \'WEEK\', \'MONTH\')), CONSTRAINT "ck_standing_orders_amount" CHECK ("amount_minor" > 0), CONSTRAINT "pk_standing_orders" PRIMARY KEY ("community_id", "id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_standing_orders_from_account" ON "standing_orders"  ("community_id", "from_account_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_standing_orders_due" ON "standing_orders"  ("next_run_at") WHERE "status" = \'ACTIVE\'',
    );
    await queryRunner.query(
      'CREATE TABLE "standing_order_runs" ("community_id" uuid NOT NULL, "standing_order_id" uuid NOT NULL, "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "transfer_id" uuid, "error_code" character varying(64), "error_message" character varying(500), "ran_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "pk_standing_order_runs" PRIMARY KEY ("community_id", "standing_order_id", "due_at"))',
    );
    await queryRunner.query(
      'ALTER TABLE "standing_orders" ADD CONSTRAINT "fk_standing_orders_to_account" FOREIGN KEY ("community_id", "to_account_id") REFERENCES "accounts"("community_id","id") ON DELETE NO ACTION ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "standing_orders" ADD CONSTRAINT "fk_standing_orders_from_account" FOREIGN KEY ("community_id", "from_account_id") REFERENCES "accounts"("community_id","id") ON DELETE NO ACTION ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "standing_order_runs" ADD CONSTRAINT "fk_standing_order_runs_order" FOREIGN KEY ("community_id", "standing_order_id") REFERENCES "standing_orders"("community_id","id") ON DELETE NO ACTION ON UPDATE NO ACTION',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "standing_order_runs" DROP CONSTRAINT "fk_standing_order_runs_order"',
    );
    await queryRunner.query(
      'ALTER TABLE "standing_orders" DROP CONSTRAINT "fk_standing_orders_from_account"',
    );
    await queryRunner.query(
      'ALTER TABLE "standing_orders" DROP CONSTRAINT "fk_standing_orders_to_account"',
    );
    await queryRunner.query('DROP TABLE "standing_order_runs"');
    await queryRunner.query('DROP INDEX "public"."ix_standing_orders_due"');
    await queryRunner.query('DROP INDEX "public"."ix_standing_orders_from_account"');
    await queryRunner.query('DROP TABLE "standing_orders"');
  }
}
