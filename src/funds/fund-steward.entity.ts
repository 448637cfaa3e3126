import { Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import { UserEntity } from '../users/user.entity';
import { FundEntity } from './fund.entity';

/** One of the n stewards named by a fund, who vote on its disbursements. */
@Entity('fund_stewards')
@ForeignKey(() => FundEntity, ['communityId', 'accountId'], ['communityId', 'accountId'], {
  name: 'fk_fund_stewards_fund',
})
@ForeignKey(() => UserEntity, ['communityId', 'userId'], ['communityId', 'id'], {
  name: 'fk_fund_stewards_user',
})
export class FundStewardEntity {
  @PrimaryColumn({
    name: 'community_id',
    type: 'uuid',
    primaryKeyConstraintName: 'pk_fund_stewards',
  })
  communityId!: string;

  @PrimaryColumn({ name: 'account_id', type: 'uuid', primaryKeyConstraintName: 'pk_fund_stewards' })
  accountId!: string;

  @PrimaryColumn({ name: 'user_id', type: 'uuid', primaryKeyConstraintName: 'pk_fund_stewards' })
  userId!: string;
}
