import { Column, CreateDateColumn, Entity, PrimaryColumn, Unique } from 'typeorm';

@Entity('communities')
@Unique('uq_communities_slug', ['slug'])
export class CommunityEntity {
  @PrimaryColumn({ name: 'community_id', type: 'uuid', primaryKeyConstraintName: 'pk_communities' })
  communityId!: string;

  @Column({ type: 'varchar', length: 64 })
  slug!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ name: 'open_signup', type: 'boolean', default: true })
  openSignup!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
