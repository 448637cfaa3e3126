import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Running totals, hash versions and signed checkpoints.
 *
 * - Each entry carries its account's running totals in and out, as it
 *   carries `balance_after_minor` (always their difference), so the totals of
 *   a statement over any range, and what left an account in the last 24
 *   hours, are two index lookups instead of a scan. The account row keeps
 *   the totals of its newest entry, guarded like its balance.
 * - Each entry records the version of its hash (src/ledger/hash-chain.ts):
 *   entries written before this migration are version 1, every later one
 *   version 2, which also covers the transfer's record.
 * - Signed checkpoints of a currency's chain heads are recorded, so that
 *   stewards can fetch the latest again.
 *
 * Existing entries are filled in from their amounts; that one UPDATE of
 * entries runs with the append-only trigger switched off, inside this
 * migration's transaction. The totals are checked where the balance is: by
 * the entries trigger when they are written (every new entry carries them,
 * its balance after is their difference, and the account's row agrees with
 * its newest entry) and by verifyLedger afterwards; no CHECK ties them to
 * the balance, so that a row altered behind the guards stays there for
 * verifyLedger to find.
 */
export class PostingTotals1796492733234 implements MigrationInterface {
  name = 'PostingTotals1796492733234';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "entries" ADD "total_in_minor" bigint, ADD "total_out_minor" bigint, ADD "hash_version" smallint NOT NULL DEFAULT '1'`,
    );
    await queryRunner.query('ALTER TABLE "entries" DISABLE TRIGGER entries_append_only');
    await queryRunner.query(`
      UPDATE entries e SET total_in_minor = s.total_in, total_out_minor = s.total_out
        FROM (SELECT community_id, account_id, sequence,
                     sum(GREATEST(amount_minor, 0)) OVER w AS total_in,
                     sum(GREATEST(-amount_minor, 0)) OVER w AS total_out
                FROM entries
              WINDOW w AS (PARTITION BY community_id, account_id ORDER BY sequence)) s
       WHERE e.community_id = s.community_id AND e.account_id = s.account_id AND e.sequence = s.sequence`);
    await queryRunner.query('ALTER TABLE "entries" ENABLE TRIGGER entries_append_only');
    await queryRunner.query(
      `ALTER TABLE "entries" ADD CONSTRAINT "ck_entries_totals" CHECK ("total_in_minor" >= 0 AND "total_out_minor" >= 0)`,
    );
    await queryRunner.query(
      `ALTER TABLE "entries" ADD CONSTRAINT "ck_entries_hash_version" CHECK ("hash_version" IN (1, 2))`,
    );

    await queryRunner.query(
      `ALTER TABLE "accounts" ADD "total_in_minor" bigint NOT NULL DEFAULT '0', ADD "total_out_minor" bigint NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(`
      UPDATE accounts a SET total_in_minor = e.total_in_minor, total_out_minor = e.total_out_minor
        FROM entries e
       WHERE e.community_id = a.community_id AND e.account_id = a.id AND e.sequence = a.entry_count`);
    await queryRunner.query(
      `ALTER TABLE "accounts" ADD CONSTRAINT "ck_accounts_totals" CHECK ("total_in_minor" >= 0 AND "total_out_minor" >= 0)`,
    );

    // The totals move only with entries, like the balance and what was received.
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION mutua_guard_account_balance() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (NEW.balance_minor <> OLD.balance_minor OR NEW.received_minor <> OLD.received_minor
            OR NEW.total_in_minor <> OLD.total_in_minor OR NEW.total_out_minor <> OLD.total_out_minor)
           AND NEW.entry_count = OLD.entry_count THEN
          RAISE EXCEPTION 'account % balance changed without an entry', OLD.id USING ERRCODE = 'check_violation';
        END IF;
        IF NEW.entry_count < OLD.entry_count OR NEW.currency_code <> OLD.currency_code THEN
          RAISE EXCEPTION 'account % history or currency cannot change', OLD.id USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
    // The newest entry of each account written by a statement also agrees with its totals.
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION mutua_check_new_entries() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        problem text;
      BEGIN
        SELECT 'transfer ' || transfer_id || ' entries sum to ' || sum(amount_minor)
          INTO problem
          FROM new_entries GROUP BY community_id, transfer_id HAVING sum(amount_minor) <> 0 LIMIT 1;
        IF problem IS NULL THEN
          SELECT 'entry ' || sequence || ' of account ' || account_id || ' has no consistent running totals'
            INTO problem
            FROM new_entries
           WHERE total_in_minor IS NULL OR total_out_minor IS NULL
              OR balance_after_minor <> total_in_minor - total_out_minor
           LIMIT 1;
        END IF;
        IF problem IS NULL THEN
          SELECT 'transfer ' || t.id || ' is ' || coalesce(t.status, 'missing') INTO problem
            FROM new_entries e LEFT JOIN transfers t ON t.community_id = e.community_id AND t.id = e.transfer_id
           WHERE t.status IS DISTINCT FROM 'POSTED' LIMIT 1;
        END IF;
        IF problem IS NULL THEN
          SELECT 'account ' || a.id || ' balance ' || a.balance_minor || ' but newest entry says ' || e.balance_after_minor
            INTO problem
            FROM (SELECT DISTINCT ON (community_id, account_id) * FROM new_entries
                  ORDER BY community_id, account_id, sequence DESC) e
            JOIN accounts a ON a.community_id = e.community_id AND a.id = e.account_id
           WHERE a.balance_minor <> e.balance_after_minor OR a.entry_count <> e.sequence OR a.last_hash <> e.hash
              OR a.total_in_minor <> e.total_in_minor OR a.total_out_minor <> e.total_out_minor
           LIMIT 1;
        END IF;
        IF problem IS NOT NULL THEN
          RAISE EXCEPTION 'ledger check failed: %', problem USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
      END $$`);

    await queryRunner.query(
      `CREATE TABLE "ledger_checkpoints" ("community_id" uuid NOT NULL, "id" uuid NOT NULL, "currency_code" character varying(10) NOT NULL, "taken_at" TIMESTAMP WITH TIME ZONE NOT NULL, "taken_by" uuid NOT NULL, "account_count" integer NOT NULL, "merkle_root" character(64) NOT NULL, "public_key" text NOT NULL, "signature" text NOT NULL, "document" text NOT NULL, CONSTRAINT "pk_ledger_checkpoints" PRIMARY KEY ("community_id", "id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_ledger_checkpoints_currency" ON "ledger_checkpoints" ("community_id", "currency_code", "taken_at") `,
    );
    await queryRunner.query(
      `ALTER TABLE "ledger_checkpoints" ADD CONSTRAINT "fk_ledger_checkpoints_currency" FOREIGN KEY ("community_id", "currency_code") REFERENCES "currencies"("community_id","code") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "ledger_checkpoints" DROP CONSTRAINT "fk_ledger_checkpoints_currency"`,
    );
    await queryRunner.query(`DROP INDEX "public"."ix_ledger_checkpoints_currency"`);
    await queryRunner.query(`DROP TABLE "ledger_checkpoints"`);
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION mutua_check_new_entries() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        problem text;
      BEGIN
        SELECT 'transfer ' || transfer_id || ' entries sum to ' || sum(amount_minor)
          INTO problem
          FROM new_entries GROUP BY community_id, transfer_id HAVING sum(amount_minor) <> 0 LIMIT 1;
        IF problem IS NULL THEN
          SELECT 'transfer ' || t.id || ' is ' || coalesce(t.status, 'missing') INTO problem
            FROM new_entries e LEFT JOIN transfers t ON t.community_id = e.community_id AND t.id = e.transfer_id
           WHERE t.status IS DISTINCT FROM 'POSTED' LIMIT 1;
        END IF;
        IF problem IS NULL THEN
          SELECT 'account ' || a.id || ' balance ' || a.balance_minor || ' but newest entry says ' || e.balance_after_minor
            INTO problem
            FROM (SELECT DISTINCT ON (community_id, account_id) * FROM new_entries
                  ORDER BY community_id, account_id, sequence DESC) e
            JOIN accounts a ON a.community_id = e.community_id AND a.id = e.account_id
           WHERE a.balance_minor <> e.balance_after_minor OR a.entry_count <> e.sequence OR a.last_hash <> e.hash
           LIMIT 1;
        END IF;
        IF problem IS NOT NULL THEN
          RAISE EXCEPTION 'ledger check failed: %', problem USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
      END $$`);
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
    await queryRunner.query('ALTER TABLE "accounts" DROP CONSTRAINT "ck_accounts_totals"');
    await queryRunner.query(
      'ALTER TABLE "accounts" DROP COLUMN "total_out_minor", DROP COLUMN "total_in_minor"',
    );
    await queryRunner.query('ALTER TABLE "entries" DROP CONSTRAINT "ck_entries_hash_version"');
    await queryRunner.query('ALTER TABLE "entries" DROP CONSTRAINT "ck_entries_totals"');
    await queryRunner.query(
      'ALTER TABLE "entries" DROP COLUMN "hash_version", DROP COLUMN "total_out_minor", DROP COLUMN "total_in_minor"',
    );
  }
}
