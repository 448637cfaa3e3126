import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { randomSecret, sha256Hex } from '../access/tokens';
import { AppError } from '../common/errors/app-error';
import { decodeCursor, PageArgs, pageSize } from '../common/pagination/connection';
import { CreateInviteInput, SetUserRoleInput, SetUserStatusInput } from './dto/user-admin.inputs';
import { CallerCache } from './caller-cache';
import { InviteEntity } from './invite.entity';
import { Role, UserStatus } from '../access/role';
import { UserEntity } from './user.entity';

const DEFAULT_INVITE_DAYS = 14;

@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly callers: CallerCache,
  ) {}

  /** A user of the community, or NOT_FOUND: other communities' users do not exist for the caller. */
  async get(communityId: string, id: string): Promise<UserEntity> {
    const user = await this.dataSource.getRepository(UserEntity).findOneBy({ communityId, id });
    if (user === null) throw new AppError('NOT_FOUND', 'No such user');
    return user;
  }

  async list(communityId: string, page: PageArgs): Promise<UserEntity[]> {
    const query = this.dataSource
      .getRepository(UserEntity)
      .createQueryBuilder('user')
      .where('user.community_id = :communityId', { communityId })
      .orderBy('user.email', 'ASC')
      .take(pageSize(page) + 1);
    if (page.after !== undefined) {
      const [email] = decodeCursor(page.after, ['text']);
      query.andWhere('user.email > :email', { email });
    }
    return query.getMany();
  }

  async createInvite(
    communityId: string,
    createdBy: string,
    input: CreateInviteInput,
  ): Promise<{ code: string; invite: InviteEntity }> {
    const code = randomSecret();
    const days = input.expiresInDays ?? DEFAULT_INVITE_DAYS;
    const repository = this.dataSource.getRepository(InviteEntity);
    const invite = await repository.save(
      repository.create({
        communityId,
        id: randomUUID(),
        codeHash: sha256Hex(code),
        role: input.role,
        email: input.email?.toLowerCase() ?? null,
        createdBy,
        expiresAt: new Date(Date.now() + days * 24 * 3600 * 1000),
        usedAt: null,
        usedBy: null,
      }),
    );
    return { code, invite };
  }

  /**
   * Promotes or demotes a user. The last steward of a community cannot be
   * demoted: a community without stewards could never be governed again.
   */
  async setRole(communityId: string, input: SetUserRoleInput): Promise<UserEntity> {
    const user = await this.dataSource.transaction(async (manager) => {
      const users = manager.getRepository(UserEntity);
      // Lock the community's stewards so that two demotions cannot race past the check.
      await manager.query(
        `SELECT id FROM users WHERE community_id = $1 AND role = 'STEWARD' ORDER BY id FOR UPDATE`,
        [communityId],
      );
      const user = await users.findOneBy({ communityId, id: input.userId });
      if (user === null) throw new AppError('NOT_FOUND', 'No such user');
      if (user.role === Role.STEWARD && input.role !== Role.STEWARD) {
        const stewards = await users.countBy({
          communityId,
          role: Role.STEWARD,
          status: UserStatus.ACTIVE,
        });
        if (stewards <= 1) {
          throw new AppError(
            'LAST_STEWARD',
            'The last active steward cannot be demoted: promote another first',
          );
        }
      }
      if (user.role !== input.role) {
        user.role = input.role;
        // Tokens carry the role: make the user log in again to get the new one.
        user.tokenVersion += 1;
        await users.save(user);
      }
      return user;
    });
    this.callers.forget(communityId, user.id);
    return user;
  }

  /** Suspends (ending every session) or reinstates a user. Stewards cannot suspend themselves. */
  async setStatus(
    communityId: string,
    actorId: string,
    input: SetUserStatusInput,
  ): Promise<UserEntity> {
    if (input.userId === actorId && input.status === UserStatus.SUSPENDED) {
      throw new AppError('CONFLICT', 'A steward cannot suspend themselves');
    }
    const users = this.dataSource.getRepository(UserEntity);
    const user = await this.get(communityId, input.userId);
    if (user.status !== input.status) {
      user.status = input.status;
      if (input.status === UserStatus.SUSPENDED) user.tokenVersion += 1;
      await users.save(user);
      this.callers.forget(communityId, user.id);
    }
    return user;
  }
}
