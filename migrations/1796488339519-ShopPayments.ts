import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Payments into shops' payment requests, and refunds of payments, are
 * PAYMENT transfers that say so: `payment_request_id` names the request a
 * payment pays, `refund_of` the payment a refund returns.
 *
 * A trigger checks both in the transaction that posts them, whatever code
 * path posts them, as the second guard behind the shops service:
 *
 * - a payment into a request locks the request's row, and is refused unless
 *   the request is OPEN and unexpired and, when single-use, not yet paid;
 *   it then counts the payment on the request (and marks a single-use one
 *   PAID). Of concurrent payers of one single-use request exactly one
 *   passes: the others find it PAID once the first commits. The refusals
 *   carry their own SQLSTATEs (MU001 paid, MU002 cancelled, MU003 expired)
 *   so that the service can say which.
 * - a refund must return a posted payment to its payer, and all the posted
 *   refunds of one payment together may not exceed it (MU004). Refunds of
 *   one payment all debit the same shop account, whose row the posting
 *   path locks before this runs: they are checked one after the other, each
 *   seeing the refunds committed before it.
 */
export class ShopPayments1796488339519 implements MigrationInterface {
  name = 'ShopPayments1796488339519';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "transfers" ADD "payment_request_id" uuid');
    await queryRunner.query('ALTER TABLE "transfers" ADD "refund_of" uuid');
    await queryRunner.query(
      'CREATE INDEX "ix_transfers_refund_of" ON "transfers"  ("community_id", "refund_of") WHERE "refund_of" IS NOT NULL',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_transfers_payment_request" ON "transfers"  ("community_id", "payment_request_id", "created_at") WHERE "payment_request_id" IS NOT NULL',
    );
    await queryRunner.query(`
      CREATE FUNCTION mutua_check_shop_transfer() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        request payment_requests%ROWTYPE;
        original transfers%ROWTYPE;
        refunded bigint;
      BEGIN
        IF NEW.payment_request_id IS NOT NULL AND NEW.refund_of IS NOT NULL THEN
          RAISE EXCEPTION 'transfer % both pays a request and refunds a payment', NEW.id
            USING ERRCODE = 'check_violation';
        END IF;
        IF NEW.payment_request_id IS NOT NULL THEN
          SELECT * INTO request FROM payment_requests
           WHERE community_id = NEW.community_id AND id = NEW.payment_request_id
           FOR UPDATE;
          IF NOT FOUND THEN
            RAISE EXCEPTION 'payment request % does not exist', NEW.payment_request_id
              USING ERRCODE = 'foreign_key_violation';
          END IF;
          IF NEW.kind <> 'PAYMENT' OR NEW.status <> 'POSTED'
             OR NEW.to_account_id <> request.to_account_id
             OR NEW.currency_code <> request.currency_code
             OR (request.amount_minor IS NOT NULL AND NEW.amount_minor <> request.amount_minor) THEN
            RAISE EXCEPTION 'transfer % does not match payment request %', NEW.id, request.id
              USING ERRCODE = 'check_violation';
          END IF;
          IF request.status = 'CANCELLED' THEN
            RAISE EXCEPTION 'payment request % was cancelled', request.id USING ERRCODE = 'MU002';
          ELSIF request.status = 'PAID' THEN
            RAISE EXCEPTION 'payment request % is already paid', request.id USING ERRCODE = 'MU001';
          ELSIF request.expires_at IS NOT NULL AND request.expires_at <= now() THEN
            RAISE EXCEPTION 'payment request % expired at %', request.id, request.expires_at
              USING ERRCODE = 'MU003';
          END IF;
          UPDATE payment_requests
             SET paid_minor = paid_minor + NEW.amount_minor,
                 payment_count = payment_count + 1,
                 status = CASE WHEN reusable THEN status ELSE 'PAID' END
           WHERE community_id = NEW.community_id AND id = NEW.payment_request_id;
        END IF;
        IF NEW.refund_of IS NOT NULL THEN
          SELECT * INTO original FROM transfers
           WHERE community_id = NEW.community_id AND id = NEW.refund_of;
          IF NOT FOUND OR original.kind <> 'PAYMENT' OR original.status <> 'POSTED'
             OR original.refund_of IS NOT NULL
             OR NEW.kind <> 'PAYMENT' OR NEW.status <> 'POSTED'
             OR NEW.from_account_id <> original.to_account_id
             OR NEW.to_account_id <> original.from_account_id THEN
            RAISE EXCEPTION 'transfer % is not a refund of payment %', NEW.id, NEW.refund_of
              USING ERRCODE = 'check_violation';
          END IF;
          SELECT coalesce(sum(amount_minor), 0) INTO refunded FROM transfers
           WHERE community_id = NEW.community_id AND refund_of = NEW.refund_of AND status = 'POSTED';
          IF refunded > original.amount_minor THEN
            RAISE EXCEPTION 'refunds of payment % would come to %, more than its %',
              original.id, refunded, original.amount_minor USING ERRCODE = 'MU004';
          END IF;
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER transfers_shop_check AFTER INSERT ON transfers
      FOR EACH ROW WHEN (NEW.payment_request_id IS NOT NULL OR NEW.refund_of IS NOT NULL)
      EXECUTE FUNCTION mutua_check_shop_transfer()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER transfers_shop_check ON transfers');
    await queryRunner.query('DROP FUNCTION mutua_check_shop_transfer()');
    await queryRunner.query('DROP INDEX "public"."ix_transfers_payment_request"');
    await queryRunner.query('DROP INDEX "public"."ix_transfers_refund_of"');
    await queryRunner.query('ALTER TABLE "transfers" DROP COLUMN "refund_of"');
    await queryRunner.query('ALTER TABLE "transfers" DROP COLUMN "payment_request_id"');
  }
}
