import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { AccountEntity } from '../accounts/account.entity';
import { TransferEntity } from './transfer.entity';

/**
 * One posting of a transfer to one account. Keyed by (community, account,
 * sequence): an account's statement is a range scan of its own key, and
 * `balance_after_minor` lets any page start without summing what came
 * before. Entries are never updated or deleted (a trigger refuses it); each
 * hashes the previous entry of its account (src/ledger/hash-chain.ts).
 */
@Entity('entries')
@ForeignKey(() => AccountEntity, ['communityId', 'accountId'], ['communityId', 'id'], {
  name: 'fk_entries_account',
})
@ForeignKey(() => TransferEntity, ['communityId', 'transferId'], ['communityId', 'id'], {
  name: 'fk_entries_transfer',
})
@Index('ix_entries_transfer', ['communityId', 'transferId'])
@Index('ix_entries_account_posted', ['communityId', 'accountId', 'postedAt'])
@Check('ck_entries_amount', `"amount_minor" <> 0`)
@Check('ck_entries_sequence', `"sequence" >= 1`)
@Check('ck_entries_totals', `"total_in_minor" >= 0 AND "total_out_minor" >= 0`)
@Check('ck_entries_hash_version', `"hash_version" IN (1, 2)`)
export class EntryEntity {
  @PrimaryColumn({ name: 'community_id', type: 'uuid', primaryKeyConstraintName: 'pk_entries' })
  communityId!: string;

  @PrimaryColumn({ name: 'account_id', type: 'uuid', primaryKeyConstraintName: 'pk_entries' })
  accountId!: string;

  @PrimaryColumn({ type: 'bigint', primaryKeyConstraintName: 'pk_entries' })
  sequence!: string;

  @Column({ name: 'transfer_id', type: 'uuid' })
  transferId!: string;

  @Column({ name: 'amount_minor', type: 'bigint' })
  amountMinor!: string;

  @Column({ name: 'balance_after_minor', type: 'bigint' })
  balanceAfterMinor!: string;

  @Column({ name: 'posted_at', type: 'timestamptz' })
  postedAt!: Date;

  @Column({ type: 'char', length: 64 })
  hash!: string;

  /**
   * Everything credited to the account up to and including this entry. Never
   * null in a written entry (the entries trigger refuses it); nullable so that
   * a row altered behind the guards is reported by verifyLedger.
   */
  @Column({ name: 'total_in_minor', type: 'bigint', nullable: true })
  totalInMinor!: string | null;

  /** Everything debited from the account up to and including this entry. */
  @Column({ name: 'total_out_minor', type: 'bigint', nullable: true })
  totalOutMinor!: string | null;

  /** The version of `hash` (src/ledger/hash-chain.ts): 1 before transfer records were covered, then 2. */
  @Column({ name: 'hash_version', type: 'smallint', default: 1 })
  hashVersion!: number;
}
