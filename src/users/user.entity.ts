import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  PrimaryColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { Role, UserStatus } from '../access/role';

// The community is named by its table: communities (which creates a
// community's first user) builds on users, not the other way round.
@Entity('users')
@ForeignKey('communities', ['communityId'], ['communityId'], { name: 'fk_users_community' })
@Unique('uq_users_email', ['communityId', 'email'])
@Check('ck_users_role', `"role" IN ('MEMBER', 'SHOP', 'STEWARD', 'ADMIN')`)
@Check('ck_users_status', `"status" IN ('ACTIVE', 'SUSPENDED')`)
export class UserEntity {
  @PrimaryColumn({ name: 'community_id', type: 'uuid', primaryKeyConstraintName: 'pk_users' })
  communityId!: string;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_users' })
  id!: string;

  /** Stored lower-cased, so that "Ana@x.org" and "ana@x.org" are one person. */
  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ name: 'display_name', type: 'varchar', length: 100 })
  displayName!: string;

  @Column({ type: 'varchar', length: 16 })
  role!: Role;

  @Column({ type: 'varchar', length: 16, default: UserStatus.ACTIVE })
  status!: UserStatus;

  /** argon2id; never logged, never returned. */
  @Column({ name: 'password_hash', type: 'varchar', length: 200 })
  passwordHash!: string;

  /** Bumped by a password change, a logout or a suspension: older tokens stop working. */
  @Column({ name: 'token_version', type: 'integer', default: 0 })
  tokenVersion!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
