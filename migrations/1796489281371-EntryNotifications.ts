import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Live notifications of posted money, sent by the database itself: every
 * statement that writes entries notifies channel `mutua_entries` once per
 * entry, with "community account sequence transfer" as the payload, in the
 * order of each account's sequence. PostgreSQL delivers a NOTIFY only when
 * the transaction that sent it commits (and never when it rolls back), so a
 * listener hears of a transfer only once it is committed, whatever code
 * path posted it: a transfer, a batch, a pending transfer posted later, a
 * fund's disbursement, a payment into a shop.
 *
 * Each server process LISTENs on one dedicated connection and hands the
 * notifications to its own subscribers (src/notifications/).
 */
export class EntryNotifications1796489281371 implements MigrationInterface {
  name = 'EntryNotifications1796489281371';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION mutua_notify_new_entries() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('mutua_entries',
                          e.community_id || ' ' || e.account_id || ' ' || e.sequence || ' ' || e.transfer_id)
           FROM (SELECT community_id, account_id, sequence, transfer_id FROM new_entries
                 ORDER BY community_id, account_id, sequence) e;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER entries_notify AFTER INSERT ON entries
      REFERENCING NEW TABLE AS new_entries
      FOR EACH STATEMENT EXECUTE FUNCTION mutua_notify_new_entries()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER entries_notify ON entries');
    await queryRunner.query('DROP FUNCTION mutua_notify_new_entries()');
  }
}
