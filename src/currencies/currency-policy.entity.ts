import { Column, CreateDateColumn, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import { CurrencyEntity } from './currency.entity';
import { PolicyRules } from './issuance-policy';

/**
 * One version of a currency's issuance policy. Versions are only ever added:
 * the newest is in force, and the history says who changed what and when.
 * `rules` holds the policy as plain JSON with amounts in minor units as
 * strings (see issuance-policy.ts).
 */
@Entity('currency_policies')
@ForeignKey(() => CurrencyEntity, ['communityId', 'currencyCode'], ['communityId', 'code'], {
  name: 'fk_currency_policies_currency',
})
export class CurrencyPolicyEntity {
  @PrimaryColumn({
    name: 'community_id',
    type: 'uuid',
    primaryKeyConstraintName: 'pk_currency_policies',
  })
  communityId!: string;

  @PrimaryColumn({
    name: 'currency_code',
    type: 'varchar',
    length: 10,
    primaryKeyConstraintName: 'pk_currency_policies',
  })
  currencyCode!: string;

  @PrimaryColumn({ type: 'integer', primaryKeyConstraintName: 'pk_currency_policies' })
  version!: number;

  @Column({ type: 'jsonb' })
  rules!: PolicyRules;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
