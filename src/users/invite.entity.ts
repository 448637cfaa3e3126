import { Check, Column, CreateDateColumn, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import { Role } from '../access/role';

/**
 * An invitation to join a community, needed when open sign-up is off and
 * the only way to join as a steward. The code is shown once; only its
 * SHA-256 is stored (it is random and long, so a slow hash adds nothing).
 */
@Entity('invites')
// The community by its table name, as in user.entity.ts.
@ForeignKey('communities', ['communityId'], ['communityId'], {
  name: 'fk_invites_community',
})
@Check('ck_invites_role', `"role" IN ('MEMBER', 'SHOP', 'STEWARD')`)
export class InviteEntity {
  @PrimaryColumn({ name: 'community_id', type: 'uuid', primaryKeyConstraintName: 'pk_invites' })
  communityId!: string;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_invites' })
  id!: string;

  @Column({ name: 'code_hash', type: 'varchar', length: 64 })
  codeHash!: string;

  @Column({ type: 'varchar', length: 16 })
  role!: Role;

  /** When set, only this email may use the invite. */
  @Column({ type: 'varchar', length: 254, nullable: true })
  email!: string | null;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;

  @Column({ name: 'used_by', type: 'uuid', nullable: true })
  usedBy!: string | null;
}
