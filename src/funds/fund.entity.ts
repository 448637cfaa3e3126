import { Check, Column, CreateDateColumn, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import { AccountEntity } from '../accounts/account.entity';
import { UserEntity } from '../users/user.entity';

/**
 * The decision rule of a FUND account: how many of its stewards
 * (fund_stewards) must approve a disbursement. One row per FUND account,
 * written in the transaction that opens the account. setFundStewards changes
 * the stewards and `approvalsRequired` under this row's lock, raising
 * `version`; every version is kept in fund_rule_versions.
 */
@Entity('funds')
@ForeignKey(() => AccountEntity, ['communityId', 'accountId'], ['communityId', 'id'], {
  name: 'fk_funds_account',
})
@ForeignKey(() => UserEntity, ['communityId', 'createdBy'], ['communityId', 'id'], {
  name: 'fk_funds_created_by',
})
@Check('ck_funds_approvals_required', `"approvals_required" BETWEEN 1 AND 20`)
@Check('ck_funds_member_share_percent', `"member_share_percent" BETWEEN 1 AND 100`)
@Check('ck_funds_max_open_requests', `"max_open_requests" BETWEEN 1 AND 100`)
export class FundEntity {
  @PrimaryColumn({ name: 'community_id', type: 'uuid', primaryKeyConstraintName: 'pk_funds' })
  communityId!: string;

  @PrimaryColumn({ name: 'account_id', type: 'uuid', primaryKeyConstraintName: 'pk_funds' })
  accountId!: string;

  /** k: approvals that post a disbursement, between 1 and the number of stewards. */
  @Column({ name: 'approvals_required', type: 'smallint' })
  approvalsRequired!: number;

  /** A member's pending requests together hold at most this percent of the fund's balance. */
  @Column({ name: 'member_share_percent', type: 'smallint', default: 50 })
  memberSharePercent!: number;

  /** A member has at most this many requests pending on the fund at once. */
  @Column({ name: 'max_open_requests', type: 'smallint', default: 10 })
  maxOpenRequests!: number;

  /** The current version in fund_rule_versions. */
  @Column({ type: 'integer', default: 1 })
  version!: number;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
