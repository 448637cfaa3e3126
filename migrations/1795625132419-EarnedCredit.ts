import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * "Earn your limit": each account keeps what it has received in trade, so
 * that a policy can lower its floor by a share of it. Existing accounts are
 * filled in from their entries; the balance guard now also refuses a change
 * of the received total without an entry.
 */
export class EarnedCredit1795625132419 implements MigrationInterface {
  name = 'EarnedCredit1795625132419';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "accounts" ADD "received_minor" bigint NOT NULL DEFAULT \'0\'',
    );
    await queryRunner.query(
      'ALTER TABLE "accounts" ADD CONSTRAINT "ck_accounts_received" CHECK ("received_minor" >= 0)',
    );
    await queryRunner.query(`
      UPDATE accounts a SET received_minor = GREATEST(0, r.received)
        FROM (SELECT e.community_id, e.account_id, sum(e.amount_minor) AS received
                FROM entries e
                JOIN transfers t ON t.community_id = e.community_id AND t.id = e.transfer_id
                LEFT JOIN transfers o ON o.community_id = t.community_id AND o.id = t.reversal_of
               WHERE (t.kind IN ('EXCHANGE', 'PAYMENT') AND e.amount_minor > 0)
                  OR (t.kind = 'REVERSAL' AND o.kind IN ('EXCHANGE', 'PAYMENT') AND e.amount_minor < 0)
               GROUP BY e.community_id, e.account_id) r
       WHERE a.community_id = r.community_id AND a.id = r.account_id`);
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION mutua_guard_account_balance() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (NEW.balance_minor <> OLD.balance_minor OR NEW.received_minor <> OLD.received_minor)
           AND NEW.entry_count = OLD.entry_count THEN
          RAISE EXCEPTION 'account % balance changed without an entry', OLD.id USING ERRCODE = 'check_violation';
        END IF;
        IF NEW.entry_count < OLD.entry_count OR NEW.currency_code <> OLD.currency_code THEN
          RAISE EXCEPTION 'account % history or currency cannot change', OLD.id USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION mutua_guard_account_balance() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.balance_minor <> OLD.balance_minor AND NEW.entry_count = OLD.entry_count THEN
          RAISE EXCEPTION 'account % balance changed without an entry', OLD.id USING ERRCODE = 'check_violation';
        END IF;
        IF NEW.entry_count < OLD.entry_count OR NEW.currency_code <> OLD.currency_code THEN
          RAISE EXCEPTION 'account % history or currency cannot change', OLD.id USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query('ALTER TABLE "accounts" DROP CONSTRAINT "ck_accounts_received"');
    await queryRunner.query('ALTER TABLE "accounts" DROP COLUMN "received_minor"');
  }
}
