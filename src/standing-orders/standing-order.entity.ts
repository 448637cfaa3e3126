import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import { AccountEntity } from '../accounts/account.entity';

export enum StandingOrderInterval {
  DAY = 'DAY',
  WEEK = 'WEEK',
  MONTH = 'MONTH',
}

export enum StandingOrderStatus {
  ACTIVE = 'ACTIVE',
  CANCELLED = 'CANCELLED',
  ENDED = 'ENDED',
}

/** A recurring payment: a membership fee or a standing order from one account to another. */
@Entity('standing_orders')
@ForeignKey(() => AccountEntity, ['communityId', 'fromAccountId'], ['communityId', 'id'], {
  name: 'fk_standing_orders_from_account',
})
@ForeignKey(() => AccountEntity, ['communityId', 'toAccountId'], ['communityId', 'id'], {
  name: 'fk_standing_orders_to_account',
})
@Index('ix_standing_orders_due', ['nextRunAt'], { where: `"status" = 'ACTIVE'` })
@Index('ix_standing_orders_from_account', ['communityId', 'fromAccountId'])
@Check('ck_standing_orders_amount', `"amount_minor" > 0`)
@Check('ck_standing_orders_interval', `"repeat_every" IN ('DAY', 'WEEK', 'MONTH')`)
@Check('ck_standing_orders_status', `"status" IN ('ACTIVE', 'CANCELLED', 'ENDED')`)
export class StandingOrderEntity {
  @PrimaryColumn({
    name: 'community_id',
    type: 'uuid',
    primaryKeyConstraintName: 'pk_standing_orders',
  })
  communityId!: string;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_standing_orders' })
  id!: string;

  @Column({ name: 'from_account_id', type: 'uuid' })
  fromAccountId!: string;

  @Column({ name: 'to_account_id', type: 'uuid' })
  toAccountId!: string;

  @Column({ name: 'amount_minor', type: 'bigint' })
  amountMinor!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: string;

  @Column({ type: 'varchar', length: 500, nullable: true })
  memo!: string | null;

  @Column({ name: 'repeat_every', type: 'varchar', length: 8 })
  interval!: StandingOrderInterval;

  @Column({ name: 'next_run_at', type: 'timestamptz' })
  nextRunAt!: Date;

  @Column({ name: 'ends_at', type: 'timestamptz', nullable: true })
  endsAt!: Date | null;

  @Column({ type: 'varchar', length: 16, default: StandingOrderStatus.ACTIVE })
  status!: StandingOrderStatus;

  /** Who set it up; each occurrence is initiated in their name, with a key derived from the occurrence. */
  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** One due occurrence of a standing order: the transfer it made, or why it failed. */
@Entity('standing_order_runs')
@ForeignKey(() => StandingOrderEntity, ['communityId', 'standingOrderId'], ['communityId', 'id'], {
  name: 'fk_standing_order_runs_order',
})
export class StandingOrderRunEntity {
  @PrimaryColumn({
    name: 'community_id',
    type: 'uuid',
    primaryKeyConstraintName: 'pk_standing_order_runs',
  })
  communityId!: string;

  @PrimaryColumn({
    name: 'standing_order_id',
    type: 'uuid',
    primaryKeyConstraintName: 'pk_standing_order_runs',
  })
  standingOrderId!: string;

  @PrimaryColumn({
    name: 'due_at',
    type: 'timestamptz',
    primaryKeyConstraintName: 'pk_standing_order_runs',
  })
  dueAt!: Date;

  @Column({ name: 'transfer_id', type: 'uuid', nullable: true })
  transferId!: string | null;

  @Column({ name: 'error_code', type: 'varchar', length: 64, nullable: true })
  errorCode!: string | null;

  @Column({ name: 'error_message', type: 'varchar', length: 500, nullable: true })
  errorMessage!: string | null;

  @Column({ name: 'ran_at', type: 'timestamptz' })
  ranAt!: Date;
}
