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
import { CurrencyEntity } from '../currencies/currency.entity';
import { randomUUID } from 'node:crypto';
import { AccountKind, GENESIS_HASH } from '../ledger';
import { UserEntity } from '../users/user.entity';

export enum AccountStatusEnum {
  OPEN = 'OPEN',
  FROZEN = 'FROZEN',
  CLOSED = 'CLOSED',
}

/**
 * An account holds one currency. Its balance and pending totals are kept on
 * the row and changed only together with the entries that explain them, in
 * the same statement; `entry_count` and `last_hash` are the head of its hash
 * chain, so that the next entry can be hashed without reading the previous
 * one. Amounts are bigint minor units (TypeORM returns them as strings).
 */
@Entity('accounts')
@ForeignKey(() => CurrencyEntity, ['communityId', 'currencyCode'], ['communityId', 'code'], {
  name: 'fk_accounts_currency',
})
@ForeignKey(() => UserEntity, ['communityId', 'ownerId'], ['communityId', 'id'], {
  name: 'fk_accounts_owner',
})
@Index('ix_accounts_owner', ['communityId', 'ownerId'])
// Also the order of a trial balance's pages (kind, name, id): a page is a short index read.
@Index('ix_accounts_currency_kind_name', ['communityId', 'currencyCode', 'kind', 'name', 'id'])
@Check('ck_accounts_kind', `"kind" IN ('MEMBER', 'SHOP', 'FUND', 'ISSUANCE', 'RESERVE', 'FEES')`)
@Check('ck_accounts_status', `"status" IN ('OPEN', 'FROZEN', 'CLOSED')`)
@Check('ck_accounts_pending', `"pending_debit_minor" >= 0 AND "pending_credit_minor" >= 0`)
@Check(
  'ck_accounts_limits',
  `"floor_minor" IS NULL OR "ceiling_minor" IS NULL OR "floor_minor" <= "ceiling_minor"`,
)
@Check('ck_accounts_chain', `"entry_count" >= 0 AND char_length("last_hash") = 64`)
@Check('ck_accounts_received', `"received_minor" >= 0`)
@Check('ck_accounts_totals', `"total_in_minor" >= 0 AND "total_out_minor" >= 0`)
export class AccountEntity {
  @PrimaryColumn({ name: 'community_id', type: 'uuid', primaryKeyConstraintName: 'pk_accounts' })
  communityId!: string;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_accounts' })
  id!: string;

  @Column({ name: 'currency_code', type: 'varchar', length: 10 })
  currencyCode!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: AccountKind;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ name: 'owner_id', type: 'uuid', nullable: true })
  ownerId!: string | null;

  @Column({ type: 'varchar', length: 16, default: AccountStatusEnum.OPEN })
  status!: AccountStatusEnum;

  @Column({ name: 'floor_minor', type: 'bigint', nullable: true })
  floorMinor!: string | null;

  @Column({ name: 'ceiling_minor', type: 'bigint', nullable: true })
  ceilingMinor!: string | null;

  /** A soft lower level: crossing it is reported on the transfer, never refused. */
  @Column({ name: 'warning_minor', type: 'bigint', nullable: true })
  warningMinor!: string | null;

  @Column({ name: 'balance_minor', type: 'bigint', default: '0' })
  balanceMinor!: string;

  @Column({ name: 'pending_debit_minor', type: 'bigint', default: '0' })
  pendingDebitMinor!: string;

  @Column({ name: 'pending_credit_minor', type: 'bigint', default: '0' })
  pendingCreditMinor!: string;

  @Column({ name: 'entry_count', type: 'bigint', default: '0' })
  entryCount!: string;

  @Column({ name: 'last_hash', type: 'char', length: 64 })
  lastHash!: string;

  /**
   * What the account has received in trade (posted EXCHANGE and PAYMENT
   * credits, less reversals of them), for a policy's "earn your limit" rule.
   * Kept like the balance: changed only with the entries that explain it.
   */
  @Column({ name: 'received_minor', type: 'bigint', default: '0' })
  receivedMinor!: string;

  /** The running totals of the newest entry: everything ever credited and debited. */
  @Column({ name: 'total_in_minor', type: 'bigint', default: '0' })
  totalInMinor!: string;

  @Column({ name: 'total_out_minor', type: 'bigint', default: '0' })
  totalOutMinor!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** The row of a new account: open, empty, at the start of its hash chain. */
export function newAccountRow(
  fields: Pick<
    AccountEntity,
    'communityId' | 'currencyCode' | 'kind' | 'name' | 'ownerId' | 'floorMinor' | 'ceilingMinor'
  >,
): Partial<AccountEntity> {
  return {
    ...fields,
    id: randomUUID(),
    status: AccountStatusEnum.OPEN,
    warningMinor: null,
    balanceMinor: '0',
    pendingDebitMinor: '0',
    pendingCreditMinor: '0',
    entryCount: '0',
    lastHash: GENESIS_HASH,
  };
}
