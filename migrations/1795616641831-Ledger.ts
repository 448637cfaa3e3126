import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The double-entry ledger: currencies and their policy versions, accounts,
 * transfers and entries, every key starting with community_id. Tables and
 * indexes match the entities exactly (a test compares them); the triggers
 * below are the database's own enforcement of DESIGN.md's invariants 2, 3
 * and 7, a second line behind the checks of src/ledger/.
 */
export class Ledger1795616641831 implements MigrationInterface {
  name = 'Ledger1795616641831';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "currencies" ("community_id" uuid NOT NULL, "code" character varying(10) NOT NULL, "name" character varying(100) NOT NULL, "kind" character varying(16) NOT NULL, "scale" smallint NOT NULL, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_currencies_code" CHECK ("code" ~ '^[A-Z][A-Z0-9]{1,9}$'), CONSTRAINT "ck_currencies_scale" CHECK ("scale" BETWEEN 0 AND 8), CONSTRAINT "ck_currencies_kind" CHECK ("kind" IN ('TIME', 'LOCAL', 'NATIONAL')), CONSTRAINT "pk_currencies" PRIMARY KEY ("community_id", "code"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "accounts" ("community_id" uuid NOT NULL, "id" uuid NOT NULL, "currency_code" character varying(10) NOT NULL, "kind" character varying(16) NOT NULL, "name" character varying(100) NOT NULL, "owner_id" uuid, "status" character varying(16) NOT NULL DEFAULT 'OPEN', "floor_minor" bigint, "ceiling_minor" bigint, "warning_minor" bigint, "balance_minor" bigint NOT NULL DEFAULT '0', "pending_debit_minor" bigint NOT NULL DEFAULT '0', "pending_credit_minor" bigint NOT NULL DEFAULT '0', "entry_count" bigint NOT NULL DEFAULT '0', "last_hash" character(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_accounts_chain" CHECK ("entry_count" >= 0 AND char_length("last_hash") = 64), CONSTRAINT "ck_accounts_limits" CHECK ("floor_minor" IS NULL OR "ceiling_minor" IS NULL OR "floor_minor" <= "ceiling_minor"), CONSTRAINT "ck_accounts_pending" CHECK ("pending_debit_minor" >= 0 AND "pending_credit_minor" >= 0), CONSTRAINT "ck_accounts_status" CHECK ("status" IN ('OPEN', 'FROZEN', 'CLOSED')), CONSTRAINT "ck_accounts_kind" CHECK ("kind" IN ('MEMBER', 'SHOP', 'FUND', 'ISSUANCE', 'RESERVE', 'FEES')), CONSTRAINT "pk_accounts" PRIMARY KEY ("community_id", "id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_accounts_currency_kind" ON "accounts"  ("community_id", "currency_code", "kind") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_accounts_owner" ON "accounts"  ("community_id", "owner_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "currency_policies" ("community_id" uuid NOT NULL, "currency_code" character varying(10) NOT NULL, "version" integer NOT NULL, "rules" jsonb NOT NULL, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_currency_policies" PRIMARY KEY ("community_id", "currency_code", "version"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "transfers" ("community_id" uuid NOT NULL, "id" uuid NOT NULL, "currency_code" character varying(10) NOT NULL, "kind" character varying(16) NOT NULL, "status" character varying(16) NOT NULL, "amount_minor" bigint NOT NULL, "from_account_id" uuid NOT NULL, "to_account_id" uuid NOT NULL, "memo" character varying(500), "initiated_by" uuid NOT NULL, "idempotency_key" character varying(200) NOT NULL, "request_fingerprint" character(64) NOT NULL, "legs" jsonb NOT NULL, "reversal_of" uuid, "forced" boolean NOT NULL DEFAULT false, "warnings" text array NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE, "posted_at" TIMESTAMP WITH TIME ZONE, "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "uq_transfers_idempotency" UNIQUE ("community_id", "initiated_by", "idempotency_key"), CONSTRAINT "ck_transfers_reversal" CHECK (("kind" = 'REVERSAL') = ("reversal_of" IS NOT NULL)), CONSTRAINT "ck_transfers_posted_at" CHECK (("status" = 'POSTED') = ("posted_at" IS NOT NULL)), CONSTRAINT "ck_transfers_accounts" CHECK ("from_account_id" <> "to_account_id"), CONSTRAINT "ck_transfers_status" CHECK ("status" IN ('PENDING', 'POSTED', 'VOIDED', 'EXPIRED')), CONSTRAINT "ck_transfers_kind" CHECK ("kind" IN ('EXCHANGE', 'PAYMENT', 'ISSUANCE', 'REDEMPTION', 'FEE', 'DEMURRAGE', 'CONTRIBUTION', 'DISBURSEMENT', 'REVERSAL', 'ADJUSTMENT')), CONSTRAINT "ck_transfers_amount" CHECK ("amount_minor" > 0), CONSTRAINT "pk_transfers" PRIMARY KEY ("community_id", "id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_transfers_reversal_of" ON "transfers"  ("community_id", "reversal_of") WHERE "reversal_of" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_transfers_pending_expiry" ON "transfers"  ("expires_at") WHERE "status" = 'PENDING'`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_transfers_to_account" ON "transfers"  ("community_id", "to_account_id", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_transfers_from_account" ON "transfers"  ("community_id", "from_account_id", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_transfers_created" ON "transfers"  ("community_id", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "entries" ("community_id" uuid NOT NULL, "account_id" uuid NOT NULL, "sequence" bigint NOT NULL, "transfer_id" uuid NOT NULL, "amount_minor" bigint NOT NULL, "balance_after_minor" bigint NOT NULL, "posted_at" TIMESTAMP WITH TIME ZONE NOT NULL, "hash" character(64) NOT NULL, CONSTRAINT "ck_entries_sequence" CHECK ("sequence" >= 1), CONSTRAINT "ck_entries_amount" CHECK ("amount_minor" <> 0), CONSTRAINT "pk_entries" PRIMARY KEY ("community_id", "account_id", "sequence"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_entries_account_posted" ON "entries"  ("community_id", "account_id", "posted_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_entries_transfer" ON "entries"  ("community_id", "transfer_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "currencies" ADD CONSTRAINT "fk_currencies_community" FOREIGN KEY ("community_id") REFERENCES "communities"("community_id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "accounts" ADD CONSTRAINT "fk_accounts_owner" FOREIGN KEY ("community_id", "owner_id") REFERENCES "users"("community_id","id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "accounts" ADD CONSTRAINT "fk_accounts_currency" FOREIGN KEY ("community_id", "currency_code") REFERENCES "currencies"("community_id","code") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "currency_policies" ADD CONSTRAINT "fk_currency_policies_currency" FOREIGN KEY ("community_id", "currency_code") REFERENCES "currencies"("community_id","code") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "transfers" ADD CONSTRAINT "fk_transfers_initiated_by" FOREIGN KEY ("community_id", "initiated_by") REFERENCES "users"("community_id","id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "transfers" ADD CONSTRAINT "fk_transfers_to_account" FOREIGN KEY ("community_id", "to_account_id") REFERENCES "accounts"("community_id","id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "transfers" ADD CONSTRAINT "fk_transfers_from_account" FOREIGN KEY ("community_id", "from_account_id") REFERENCES "accounts"("community_id","id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "entries" ADD CONSTRAINT "fk_entries_transfer" FOREIGN KEY ("community_id", "transfer_id") REFERENCES "transfers"("community_id","id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "entries" ADD CONSTRAINT "fk_entries_account" FOREIGN KEY ("community_id", "account_id") REFERENCES "accounts"("community_id","id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );

    // Invariant 7: entries are append-only, whoever connects.
    await queryRunner.query(`
      CREATE FUNCTION mutua_refuse_entry_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'entries are append-only: % refused (correct a mistake with a reversal)', TG_OP
          USING ERRCODE = 'restrict_violation';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER entries_append_only BEFORE UPDATE OR DELETE ON entries
      FOR EACH ROW EXECUTE FUNCTION mutua_refuse_entry_change()`);
    await queryRunner.query(`
      CREATE TRIGGER entries_no_truncate BEFORE TRUNCATE ON entries
      FOR EACH STATEMENT EXECUTE FUNCTION mutua_refuse_entry_change()`);

    // Invariant 7 for transfers: a finished transfer never changes; a pending one
    // may only move to a final state, changing nothing but its status and times.
    await queryRunner.query(`
      CREATE FUNCTION mutua_guard_transfer_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'UPDATE' THEN
          RAISE EXCEPTION 'transfers are never deleted' USING ERRCODE = 'restrict_violation';
        END IF;
        IF OLD.status <> 'PENDING' THEN
          RAISE EXCEPTION 'transfer % is % and can no longer change', OLD.id, OLD.status
            USING ERRCODE = 'restrict_violation';
        END IF;
        IF NEW.status NOT IN ('POSTED', 'VOIDED', 'EXPIRED')
           OR (to_jsonb(NEW) - ARRAY['status', 'posted_at', 'finished_at'])
              IS DISTINCT FROM (to_jsonb(OLD) - ARRAY['status', 'posted_at', 'finished_at']) THEN
          RAISE EXCEPTION 'a pending transfer may only be posted, voided or expired'
            USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER transfers_guard BEFORE UPDATE OR DELETE ON transfers
      FOR EACH ROW EXECUTE FUNCTION mutua_guard_transfer_change()`);
    await queryRunner.query(`
      CREATE TRIGGER transfers_no_truncate BEFORE TRUNCATE ON transfers
      FOR EACH STATEMENT EXECUTE FUNCTION mutua_refuse_entry_change()`);

    // Invariants 2 and 3, checked a second time by the database: the entries
    // written by one statement sum to zero per transfer, belong to posted
    // transfers, and leave each account's stored balance and chain head equal
    // to its newest entry. Mutua writes a transfer's entries in one statement.
    await queryRunner.query(`
      CREATE FUNCTION mutua_check_new_entries() RETURNS trigger LANGUAGE plpgsql AS $$
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
      CREATE TRIGGER entries_balanced AFTER INSERT ON entries
      REFERENCING NEW TABLE AS new_entries
      FOR EACH STATEMENT EXECUTE FUNCTION mutua_check_new_entries()`);

    // A balance moves only together with the entries that explain it.
    await queryRunner.query(`
      CREATE FUNCTION mutua_guard_account_balance() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.balance_minor <> OLD.balance_minor AND NEW.entry_count = OLD.entry_count THEN
          RAISE EXCEPTION 'account % balance changed without an entry', OLD.id USING ERRCODE = 'check_violation';
        END IF;
        IF NEW.entry_count < OLD.entry_count OR NEW.currency_code <> OLD.currency_code THEN
          RAISE EXCEPTION 'account % history or currency cannot change', OLD.id USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER accounts_balance_guard BEFORE UPDATE ON accounts
      FOR EACH ROW EXECUTE FUNCTION mutua_guard_account_balance()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER accounts_balance_guard ON accounts');
    await queryRunner.query('DROP TRIGGER entries_balanced ON entries');
    await queryRunner.query('DROP TRIGGER transfers_no_truncate ON transfers');
    await queryRunner.query('DROP TRIGGER transfers_guard ON transfers');
    await queryRunner.query('DROP TRIGGER entries_no_truncate ON entries');
    await queryRunner.query('DROP TRIGGER entries_append_only ON entries');
    await queryRunner.query('DROP FUNCTION mutua_guard_account_balance()');
    await queryRunner.query('DROP FUNCTION mutua_check_new_entries()');
    await queryRunner.query('DROP FUNCTION mutua_guard_transfer_change()');
    await queryRunner.query('DROP FUNCTION mutua_refuse_entry_change()');
    await queryRunner.query(`ALTER TABLE "entries" DROP CONSTRAINT "fk_entries_account"`);
    await queryRunner.query(`ALTER TABLE "entries" DROP CONSTRAINT "fk_entries_transfer"`);
    await queryRunner.query(`ALTER TABLE "transfers" DROP CONSTRAINT "fk_transfers_from_account"`);
    await queryRunner.query(`ALTER TABLE "transfers" DROP CONSTRAINT "fk_transfers_to_account"`);
    await queryRunner.query(`ALTER TABLE "transfers" DROP CONSTRAINT "fk_transfers_initiated_by"`);
    await queryRunner.query(
      `ALTER TABLE "currency_policies" DROP CONSTRAINT "fk_currency_policies_currency"`,
    );
    await queryRunner.query(`ALTER TABLE "accounts" DROP CONSTRAINT "fk_accounts_currency"`);
    await queryRunner.query(`ALTER TABLE "accounts" DROP CONSTRAINT "fk_accounts_owner"`);
    await queryRunner.query(`ALTER TABLE "currencies" DROP CONSTRAINT "fk_currencies_community"`);
    await queryRunner.query(`DROP INDEX "public"."ix_entries_transfer"`);
    await queryRunner.query(`DROP INDEX "public"."ix_entries_account_posted"`);
    await queryRunner.query(`DROP TABLE "entries"`);
    await queryRunner.query(`DROP INDEX "public"."ix_transfers_created"`);
    await queryRunner.query(`DROP INDEX "public"."ix_transfers_from_account"`);
    await queryRunner.query(`DROP INDEX "public"."ix_transfers_to_account"`);
    await queryRunner.query(`DROP INDEX "public"."ix_transfers_pending_expiry"`);
    await queryRunner.query(`DROP INDEX "public"."uq_transfers_reversal_of"`);
    await queryRunner.query(`DROP TABLE "transfers"`);
    await queryRunner.query(`DROP TABLE "currency_policies"`);
    await queryRunner.query(`DROP INDEX "public"."ix_accounts_owner"`);
    await queryRunner.query(`DROP INDEX "public"."ix_accounts_currency_kind"`);
    await queryRunner.query(`DROP TABLE "accounts"`);
    await queryRunner.query(`DROP TABLE "currencies"`);
  }
}
