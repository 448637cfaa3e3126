import { MigrationInterface, QueryRunner } from 'typeorm';

export class TransferPolicyVersion1795618375198 implements MigrationInterface {
  name = 'TransferPolicyVersion1795618375198';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "transfers" ADD "policy_version" integer');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "transfers" DROP COLUMN "policy_version"');
  }
}
