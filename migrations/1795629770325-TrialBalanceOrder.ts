import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A trial balance pages its lines by kind, name and id: with the accounts
 * index ending in those columns, a page of a 100,000-account currency is an
 * index read instead of a sort of every account. It replaces the index on
 * (community, currency, kind), which it also serves.
 */
export class TrialBalanceOrder1795629770325 implements MigrationInterface {
  name = 'TrialBalanceOrder1795629770325';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."ix_accounts_currency_kind"');
    await queryRunner.query(
      'CREATE INDEX "ix_accounts_currency_kind_name" ON "accounts" ("community_id", "currency_code", "kind", "name", "id") ',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."ix_accounts_currency_kind_name"');
    await queryRunner.query(
      'CREATE INDEX "ix_accounts_currency_kind" ON "accounts" ("community_id", "currency_code", "kind") ',
    );
  }
}
