import { Column, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import { FundEntity } from '../funds/fund.entity';
import { UserEntity } from '../users/user.entity';

/**
 * A fund whose stewards chose to publish it: one row per published FUND
 * account, deleted when they withdraw it. Anyone may then read the fund's
 * public page (balance, money in and out by month, approved disbursements),
 * which never names a person.
 */
@Entity('public_fund_pages')
@ForeignKey(() => FundEntity, ['communityId', 'accountId'], ['communityId', 'accountId'], {
  name: 'fk_public_fund_pages_fund',
})
@ForeignKey(() => UserEntity, ['communityId', 'publishedBy'], ['communityId', 'id'], {
  name: 'fk_public_fund_pages_published_by',
})
export class PublicFundPageEntity {
  @PrimaryColumn({
    name: 'community_id',
    type: 'uuid',
    primaryKeyConstraintName: 'pk_public_fund_pages',
  })
  communityId!: string;

  @PrimaryColumn({
    name: 'account_id',
    type: 'uuid',
    primaryKeyConstraintName: 'pk_public_fund_pages',
  })
  accountId!: string;

  /** The fund steward who published it. */
  @Column({ name: 'published_by', type: 'uuid' })
  publishedBy!: string;

  @Column({ name: 'published_at', type: 'timestamptz', default: () => 'now()' })
  publishedAt!: Date;
}
