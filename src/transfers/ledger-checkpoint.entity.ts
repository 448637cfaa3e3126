import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { CurrencyEntity } from '../currencies/currency.entity';

/**
 * A signed checkpoint of a currency's ledger, as it was handed to a steward:
 * the signed document itself is what proves anything (see
 * ledger-checkpoints.service.ts); this row only lets stewards fetch it again.
 */
@Entity('ledger_checkpoints')
@ForeignKey(() => CurrencyEntity, ['communityId', 'currencyCode'], ['communityId', 'code'], {
  name: 'fk_ledger_checkpoints_currency',
})
@Index('ix_ledger_checkpoints_currency', ['communityId', 'currencyCode', 'takenAt'])
export class LedgerCheckpointEntity {
  @PrimaryColumn({
    name: 'community_id',
    type: 'uuid',
    primaryKeyConstraintName: 'pk_ledger_checkpoints',
  })
  communityId!: string;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_ledger_checkpoints' })
  id!: string;

  @Column({ name: 'currency_code', type: 'varchar', length: 10 })
  currencyCode!: string;

  @Column({ name: 'taken_at', type: 'timestamptz' })
  takenAt!: Date;

  @Column({ name: 'taken_by', type: 'uuid' })
  takenBy!: string;

  @Column({ name: 'account_count', type: 'integer' })
  accountCount!: number;

  @Column({ name: 'merkle_root', type: 'char', length: 64 })
  merkleRoot!: string;

  @Column({ name: 'public_key', type: 'text' })
  publicKey!: string;

  @Column({ type: 'text' })
  signature!: string;

  @Column({ type: 'text' })
  document!: string;
}
