import { Check, Column, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import { TransferEntity } from '../transfers/transfer.entity';
import { UserEntity } from '../users/user.entity';
import { VoteDecision } from './disbursement-rules';

/**
 * A fund steward's vote on a disbursement. The primary key allows one vote
 * per steward and disbursement; a trigger (see the Funds migration) keeps
 * votes append-only, like the ledger's entries.
 */
@Entity('disbursement_votes')
@ForeignKey(() => TransferEntity, ['communityId', 'transferId'], ['communityId', 'id'], {
  name: 'fk_disbursement_votes_transfer',
})
@ForeignKey(() => UserEntity, ['communityId', 'stewardId'], ['communityId', 'id'], {
  name: 'fk_disbursement_votes_steward',
})
@Check('ck_disbursement_votes_decision', `"decision" IN ('APPROVE', 'REJECT')`)
export class DisbursementVoteEntity {
  @PrimaryColumn({
    name: 'community_id',
    type: 'uuid',
    primaryKeyConstraintName: 'pk_disbursement_votes',
  })
  communityId!: string;

  @PrimaryColumn({
    name: 'transfer_id',
    type: 'uuid',
    primaryKeyConstraintName: 'pk_disbursement_votes',
  })
  transferId!: string;

  @PrimaryColumn({
    name: 'steward_id',
    type: 'uuid',
    primaryKeyConstraintName: 'pk_disbursement_votes',
  })
  stewardId!: string;

  @Column({ type: 'varchar', length: 8 })
  decision!: VoteDecision;

  @Column({ name: 'voted_at', type: 'timestamptz' })
  votedAt!: Date;
}
