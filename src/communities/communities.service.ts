import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, Not } from 'typeorm';
import { hashPassword } from '../access/passwords';
import { isUniqueViolation } from '../common/database/postgres-errors';
import { AppError } from '../common/errors/app-error';
import { decodeCursor, PageArgs, pageSize } from '../common/pagination/connection';
import {
  DEPLOYMENT_COMMUNITY_ID,
  DEPLOYMENT_COMMUNITY_SLUG,
  Role,
  UserStatus,
} from '../access/role';
import { UserEntity } from '../users/user.entity';
import { CommunityEntity } from './community.entity';
import { CreateCommunityInput } from './dto/create-community.input';
import { UpdateCommunityInput } from './dto/update-community.input';

@Injectable()
export class CommunitiesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A community and its first steward, together or not at all. */
  async create(
    input: CreateCommunityInput,
  ): Promise<{ community: CommunityEntity; steward: UserEntity }> {
    if (input.slug === DEPLOYMENT_COMMUNITY_SLUG) {
      throw new AppError('SLUG_TAKEN', `slug: "${input.slug}" is reserved`, { field: 'slug' });
    }
    const passwordHash = await hashPassword(input.stewardPassword);
    try {
      return await this.dataSource.transaction(async (manager) => {
        const community = await manager.save(
          manager.create(CommunityEntity, {
            communityId: randomUUID(),
            slug: input.slug,
            name: input.name,
            openSignup: input.openSignup ?? true,
          }),
        );
        const steward = await manager.save(
          manager.create(UserEntity, {
            communityId: community.communityId,
            id: randomUUID(),
            email: input.stewardEmail.toLowerCase(),
            displayName: input.stewardName,
            role: Role.STEWARD,
            status: UserStatus.ACTIVE,
            passwordHash,
            tokenVersion: 0,
          }),
        );
        return { community, steward };
      });
    } catch (error) {
      if (isUniqueViolation(error, 'uq_communities_slug')) {
        throw new AppError('SLUG_TAKEN', `slug: a community "${input.slug}" exists already`, {
          field: 'slug',
        });
      }
      throw error;
    }
  }

  async get(communityId: string): Promise<CommunityEntity> {
    const community = await this.dataSource
      .getRepository(CommunityEntity)
      .findOneBy({ communityId });
    if (community === null) throw new AppError('NOT_FOUND', 'No such community');
    return community;
  }

  async bySlug(slug: string): Promise<CommunityEntity | null> {
    if (slug === DEPLOYMENT_COMMUNITY_SLUG) return null;
    return this.dataSource.getRepository(CommunityEntity).findOneBy({ slug });
  }

  async update(communityId: string, input: UpdateCommunityInput): Promise<CommunityEntity> {
    const repository = this.dataSource.getRepository(CommunityEntity);
    const community = await this.get(communityId);
    if (input.name !== undefined) community.name = input.name;
    if (input.openSignup !== undefined) community.openSignup = input.openSignup;
    return repository.save(community);
  }

  /** Every community but the deployment's own, by slug. */
  async list(page: PageArgs): Promise<CommunityEntity[]> {
    const query = this.dataSource
      .getRepository(CommunityEntity)
      .createQueryBuilder('community')
      .where({ communityId: Not(DEPLOYMENT_COMMUNITY_ID) })
      .orderBy('community.slug', 'ASC')
      .take(pageSize(page) + 1);
    if (page.after !== undefined) {
      const [slug] = decodeCursor(page.after, ['text']);
      query.andWhere('community.slug > :slug', { slug });
    }
    return query.getMany();
  }
}
