import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tells every server process when what a token stands for changes: an update
 * of a user's role, status or token version (a revoked session, a role
 * change, a suspension), or a deleted user, notifies channel
 * `mutua_callers` with "community user". Servers keep the callers they
 * have checked in memory (src/auth/caller-cache.ts) and forget one on its
 * notification; PostgreSQL sends it only when the change commits, whatever
 * code path or hand-written SQL made it.
 */
export class CallerChanges1796501565538 implements MigrationInterface {
  name = 'CallerChanges1796501565538';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION mutua_notify_caller_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('mutua_callers', OLD.community_id || ' ' || OLD.id);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER users_notify_caller_change
      AFTER UPDATE OF role, status, token_version, community_id, id ON users
      FOR EACH ROW
      WHEN (OLD.role IS DISTINCT FROM NEW.role OR OLD.status IS DISTINCT FROM NEW.status
            OR OLD.token_version IS DISTINCT FROM NEW.token_version
            OR OLD.community_id IS DISTINCT FROM NEW.community_id OR OLD.id IS DISTINCT FROM NEW.id)
      EXECUTE FUNCTION mutua_notify_caller_change()`);
    await queryRunner.query(`
      CREATE TRIGGER users_notify_caller_delete AFTER DELETE ON users
      FOR EACH ROW EXECUTE FUNCTION mutua_notify_caller_change()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER users_notify_caller_delete ON users');
    await queryRunner.query('DROP TRIGGER users_notify_caller_change ON users');
    await queryRunner.query('DROP FUNCTION mutua_notify_caller_change()');
  }
}
