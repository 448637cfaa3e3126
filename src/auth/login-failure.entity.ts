import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Failed logins per (community, email), kept whether or not the email
 * belongs to anyone: locking out unknown emails too is what stops the lockout
 * from revealing which emails exist.
 */
@Entity('login_failures')
export class LoginFailureEntity {
  @PrimaryColumn({
    name: 'community_id',
    type: 'uuid',
    primaryKeyConstraintName: 'pk_login_failures',
  })
  communityId!: string;

  @PrimaryColumn({ type: 'varchar', length: 254, primaryKeyConstraintName: 'pk_login_failures' })
  email!: string;

  @Column({ type: 'integer' })
  failures!: number;

  @Column({ name: 'last_failed_at', type: 'timestamptz' })
  lastFailedAt!: Date;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;
}
