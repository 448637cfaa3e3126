import { Column, CreateDateColumn, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import { UserEntity } from '../users/user.entity';
import { ApiKeyScope } from '../access/actor';

/**
 * A shop till's key. The secret is shown once at creation; only its SHA-256
 * is stored (256 random bits need no slow hash) and compared in constant
 * time.
 */
@Entity('api_keys')
@ForeignKey(() => UserEntity, ['communityId', 'userId'], ['communityId', 'id'], {
  name: 'fk_api_keys_user',
})
export class ApiKeyEntity {
  @PrimaryColumn({ name: 'community_id', type: 'uuid', primaryKeyConstraintName: 'pk_api_keys' })
  communityId!: string;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_api_keys' })
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ name: 'secret_hash', type: 'varchar', length: 64 })
  secretHash!: string;

  @Column({ type: 'text', array: true })
  scopes!: ApiKeyScope[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
