import { Check, Column, CreateDateColumn, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import { CommunityEntity } from '../communities/community.entity';

export enum CurrencyKind {
  TIME = 'TIME',
  LOCAL = 'LOCAL',
  NATIONAL = 'NATIONAL',
}

/**
 * A unit of account of one community. The scale (decimal places) is fixed at
 * creation: every amount of the currency is stored as an integer number of
 * minor units, 10^-scale each.
 */
@Entity('currencies')
@ForeignKey(() => CommunityEntity, ['communityId'], ['communityId'], {
  name: 'fk_currencies_community',
})
@Check('ck_currencies_kind', `"kind" IN ('TIME', 'LOCAL', 'NATIONAL')`)
@Check('ck_currencies_scale', `"scale" BETWEEN 0 AND 8`)
@Check('ck_currencies_code', `"code" ~ '^[A-Z][A-Z0-9]{1,9}$'`)
export class CurrencyEntity {
  @PrimaryColumn({ name: 'community_id', type: 'uuid', primaryKeyConstraintName: 'pk_currencies' })
  communityId!: string;

  @PrimaryColumn({ type: 'varchar', length: 10, primaryKeyConstraintName: 'pk_currencies' })
  code!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: CurrencyKind;

  @Column({ type: 'smallint' })
  scale!: number;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
