import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn, Unique } from 'typeorm';
import { AccountEntity } from '../accounts/account.entity';
import { UserEntity } from '../users/user.entity';

export enum TransferKind {
  EXCHANGE = 'EXCHANGE',
  PAYMENT = 'PAYMENT',
  ISSUANCE = 'ISSUANCE',
  REDEMPTION = 'REDEMPTION',
  FEE = 'FEE',
  DEMURRAGE = 'DEMURRAGE',
  CONTRIBUTION = 'CONTRIBUTION',
  DISBURSEMENT = 'DISBURSEMENT',
  REVERSAL = 'REVERSAL',
  ADJUSTMENT = 'ADJUSTMENT',
}

export enum TransferStatusEnum {
  PENDING = 'PENDING',
  POSTED = 'POSTED',
  VOIDED = 'VOIDED',
  EXPIRED = 'EXPIRED',
}

export interface StoredLeg {
  accountId: string;
  amountMinor: string;
}

/**
 * A money movement. Once POSTED, VOIDED or EXPIRED its row never changes (a
 * trigger refuses it); only a PENDING row may move to one of those states.
 * `legs` are the signed amounts per account, kept for pending transfers
 * (which have no entries yet) and for reversals.
 */
@Entity('transfers')
@ForeignKey(() => AccountEntity, ['communityId', 'fromAccountId'], ['communityId', 'id'], {
  name: 'fk_transfers_from_account',
})
@ForeignKey(() => AccountEntity, ['communityId', 'toAccountId'], ['communityId', 'id'], {
  name: 'fk_transfers_to_account',
})
@ForeignKey(() => UserEntity, ['communityId', 'initiatedBy'], ['communityId', 'id'], {
  name: 'fk_transfers_initiated_by',
})
@Unique('uq_transfers_idempotency', ['communityId', 'initiatedBy', 'idempotencyKey'])
@Index('ix_transfers_created', ['communityId', 'createdAt', 'id'])
@Index('ix_transfers_from_account', ['communityId', 'fromAccountId', 'createdAt', 'id'])
@Index('ix_transfers_to_account', ['communityId', 'toAccountId', 'createdAt', 'id'])
@Index('ix_transfers_pending_expiry', ['expiresAt'], { where: `"status" = 'PENDING'` })
@Index('uq_transfers_reversal_of', ['communityId', 'reversalOf'], {
  unique: true,
  where: `"reversal_of" IS NOT NULL`,
})
// Shops (migration ShopPayments): the payment request a payment pays, and the
// payment a refund returns; a trigger on transfers checks both.
@Index('ix_transfers_payment_request', ['communityId', 'paymentRequestId', 'createdAt'], {
  where: `"payment_request_id" IS NOT NULL`,
})
@Index('ix_transfers_refund_of', ['communityId', 'refundOf'], {
  where: `"refund_of" IS NOT NULL`,
})
@Check('ck_transfers_amount', `"amount_minor" > 0`)
@Check(
  'ck_transfers_kind',
  `"kind" IN ('EXCHANGE', 'PAYMENT', 'ISSUANCE', 'REDEMPTION', 'FEE', 'DEMURRAGE', 'CONTRIBUTION', 'DISBURSEMENT', 'REVERSAL', 'ADJUSTMENT')`,
)
@Check('ck_transfers_status', `"status" IN ('PENDING', 'POSTED', 'VOIDED', 'EXPIRED')`)
@Check('ck_transfers_accounts', `"from_account_id" <> "to_account_id"`)
@Check('ck_transfers_posted_at', `("status" = 'POSTED') = ("posted_at" IS NOT NULL)`)
@Check('ck_transfers_reversal', `("kind" = 'REVERSAL') = ("reversal_of" IS NOT NULL)`)
export class TransferEntity {
  @PrimaryColumn({ name: 'community_id', type: 'uuid', primaryKeyConstraintName: 'pk_transfers' })
  communityId!: string;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_transfers' })
  id!: string;

  @Column({ name: 'currency_code', type: 'varchar', length: 10 })
  currencyCode!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: TransferKind;

  @Column({ type: 'varchar', length: 16 })
  status!: TransferStatusEnum;

  @Column({ name: 'amount_minor', type: 'bigint' })
  amountMinor!: string;

  @Column({ name: 'from_account_id', type: 'uuid' })
  fromAccountId!: string;

  @Column({ name: 'to_account_id', type: 'uuid' })
  toAccountId!: string;

  @Column({ type: 'varchar', length: 500, nullable: true })
  memo!: string | null;

  @Column({ name: 'initiated_by', type: 'uuid' })
  initiatedBy!: string;

  @Column({ name: 'idempotency_key', type: 'varchar', length: 200 })
  idempotencyKey!: string;

  @Column({ name: 'request_fingerprint', type: 'char', length: 64 })
  requestFingerprint!: string;

  @Column({ type: 'jsonb' })
  legs!: StoredLeg[];

  @Column({ name: 'reversal_of', type: 'uuid', nullable: true })
  reversalOf!: string | null;

  /** A steward overrode floors or ceilings (forced reversal). */
  @Column({ type: 'boolean', default: false })
  forced!: boolean;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  warnings!: string[];

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @Column({ name: 'posted_at', type: 'timestamptz', nullable: true })
  postedAt!: Date | null;

  /** The version of the currency's policy this transfer followed (null before any policy). */
  @Column({ name: 'policy_version', type: 'integer', nullable: true })
  policyVersion!: number | null;

  /** The shop's payment request this PAYMENT pays (shops). */
  @Column({ name: 'payment_request_id', type: 'uuid', nullable: true })
  paymentRequestId!: string | null;

  /** The payment this PAYMENT refunds (shops). */
  @Column({ name: 'refund_of', type: 'uuid', nullable: true })
  refundOf!: string | null;

  /** When a pending transfer was voided or expired. */
  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}
