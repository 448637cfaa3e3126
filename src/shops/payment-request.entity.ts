import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { AccountEntity } from '../accounts/account.entity';
import { UserEntity } from '../users/user.entity';

/**
 * What is stored of a payment request. EXPIRED is never stored: an OPEN
 * request past its `expires_at` reads as expired (see paymentRequestStatus).
 */
export enum StoredPaymentRequestStatus {
  OPEN = 'OPEN',
  PAID = 'PAID',
  CANCELLED = 'CANCELLED',
}

/**
 * A shop's request to be paid into one of its SHOP accounts: a fixed amount
 * or an open one the payer fills in, single-use or reusable (a standing QR
 * code at the counter).
 *
 * `paid_minor` and `payment_count` are kept by a trigger on transfers
 * (migration ShopPayments), in the transaction that posts the payment: the
 * same trigger refuses a payment into a request that is not OPEN, has
 * expired, or was single-use and already paid, under the request row's lock.
 * That is what makes a single-use request paid exactly once, whatever code
 * path posts the payment.
 */
@Entity('payment_requests')
@ForeignKey(() => AccountEntity, ['communityId', 'toAccountId'], ['communityId', 'id'], {
  name: 'fk_payment_requests_account',
})
@ForeignKey(() => UserEntity, ['communityId', 'createdBy'], ['communityId', 'id'], {
  name: 'fk_payment_requests_created_by',
})
@Index('ix_payment_requests_account', ['communityId', 'toAccountId', 'createdAt', 'id'])
@Check('ck_payment_requests_status', `"status" IN ('OPEN', 'PAID', 'CANCELLED')`)
@Check('ck_payment_requests_amount', `"amount_minor" IS NULL OR "amount_minor" > 0`)
@Check('ck_payment_requests_paid', `"paid_minor" >= 0 AND "payment_count" >= 0`)
export class PaymentRequestEntity {
  @PrimaryColumn({
    name: 'community_id',
    type: 'uuid',
    primaryKeyConstraintName: 'pk_payment_requests',
  })
  communityId!: string;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_payment_requests' })
  id!: string;

  @Column({ name: 'to_account_id', type: 'uuid' })
  toAccountId!: string;

  @Column({ name: 'currency_code', type: 'varchar', length: 10 })
  currencyCode!: string;

  /** Null for an open amount, which the payer fills in. */
  @Column({ name: 'amount_minor', type: 'bigint', nullable: true })
  amountMinor!: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  memo!: string | null;

  /** The shop's own reference, such as a receipt number. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  reference!: string | null;

  @Column({ type: 'boolean', default: false })
  reusable!: boolean;

  @Column({ type: 'varchar', length: 16 })
  status!: StoredPaymentRequestStatus;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  /** The shop user who asked (directly or through a till key). */
  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  /** The till key that asked, if one did. */
  @Column({ name: 'created_by_key', type: 'uuid', nullable: true })
  createdByKey!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true })
  cancelledAt!: Date | null;

  @Column({ name: 'paid_minor', type: 'bigint', default: '0' })
  paidMinor!: string;

  @Column({ name: 'payment_count', type: 'integer', default: 0 })
  paymentCount!: number;
}
