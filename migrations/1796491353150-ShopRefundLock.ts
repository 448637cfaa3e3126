import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Refunds of one payment are checked one after the other because each
 * locks the payment's row (a lock only: posted transfers never change)
 * before it sums the refunds committed so far. Until now they queued on
 * the shop account's row, which the posting path happens to lock first;
 * the database's own guard should not depend on how a posting path locks.
 */
export class ShopRefundLock1796491353150 implements MigrationInterface {
  name = 'ShopRefundLock1796491353150';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION mutua_check_shop_transfer() RETURNS trigger LANGUAGE plpgsql AS $$
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
           WHERE community_id = NEW.community_id AND id = NEW.refund_of
           FOR UPDATE;
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
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION mutua_check_shop_transfer() RETURNS trigger LANGUAGE plpgsql AS $$
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
  }
}
