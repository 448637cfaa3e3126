import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, IsNull } from 'typeorm';
import { withinCommunity } from '../common/database/tenancy';
import { AppError } from '../common/errors/app-error';
import { Role, UserStatus } from '../access/role';
import { UserEntity } from '../users/user.entity';
import { ApiKeyActor, ApiKeyScope } from '../access/actor';
import { ApiKeyEntity } from './api-key.entity';
import { formatApiKey, parseApiKey, randomSecret, sameHash, sha256Hex } from '../access/tokens';

/** At most this many live keys per shop: a till or two, a spare, a web shop. */
export const MAX_API_KEYS_PER_SHOP = 20;

@Injectable()
export class ApiKeysService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async create(
    communityId: string,
    userId: string,
    name: string,
    scopes: ApiKeyScope[],
  ): Promise<{ key: string; apiKey: ApiKeyEntity }> {
    const keys = this.dataSource.getRepository(ApiKeyEntity);
    const live = await keys.countBy({ communityId, userId, revokedAt: IsNull() });
    if (live >= MAX_API_KEYS_PER_SHOP) {
      throw new AppError(
        'CONFLICT',
        `A shop may hold at most ${MAX_API_KEYS_PER_SHOP} live keys: revoke one first`,
      );
    }
    const id = randomUUID();
    const secret = randomSecret();
    const apiKey = await keys.save(
      keys.create({
        communityId,
        id,
        userId,
        name,
        secretHash: sha256Hex(secret),
        scopes: [...new Set(scopes)],
        revokedAt: null,
      }),
    );
    return { key: formatApiKey(communityId, id, secret), apiKey };
  }

  list(communityId: string, userId: string): Promise<ApiKeyEntity[]> {
    return this.dataSource
      .getRepository(ApiKeyEntity)
      .find({ where: { communityId, userId }, order: { createdAt: 'DESC' }, take: 100 });
  }

  async revoke(communityId: string, userId: string, id: string): Promise<ApiKeyEntity> {
    const keys = this.dataSource.getRepository(ApiKeyEntity);
    const key = await keys.findOneBy({ communityId, id, userId });
    if (key === null) throw new AppError('NOT_FOUND', 'No such API key');
    if (key.revokedAt === null) {
      key.revokedAt = new Date();
      await keys.save(key);
    }
    return key;
  }

  /** The till behind a presented key, or UNAUTHENTICATED for anything that is not a live key of an active shop. */
  async resolve(presented: string): Promise<ApiKeyActor> {
    const parsed = parseApiKey(presented);
    const refuse = () => new AppError('TOKEN_INVALID', 'API key is not valid');
    if (parsed === undefined) throw refuse();
    // Read as work of the key's community: the request's own scope is not
    // set until its caller is known.
    return withinCommunity(parsed.communityId, () => this.resolveParsed(parsed));
  }

  private async resolveParsed(parsed: {
    communityId: string;
    keyId: string;
    secret: string;
  }): Promise<ApiKeyActor> {
    const refuse = () => new AppError('TOKEN_INVALID', 'API key is not valid');
    const key = await this.dataSource
      .getRepository(ApiKeyEntity)
      .findOneBy({ communityId: parsed.communityId, id: parsed.keyId });
    if (key === null || !sameHash(key.secretHash, sha256Hex(parsed.secret))) throw refuse();
    if (key.revokedAt !== null) throw new AppError('TOKEN_REVOKED', 'API key was revoked');
    const owner = await this.dataSource
      .getRepository(UserEntity)
      .findOneBy({ communityId: key.communityId, id: key.userId });
    if (owner === null || owner.status !== UserStatus.ACTIVE || owner.role !== Role.SHOP) {
      throw new AppError(
        'TOKEN_REVOKED',
        'API key belongs to a user who is no longer an active shop',
      );
    }
    return {
      kind: 'API_KEY',
      communityId: key.communityId,
      userId: key.userId,
      keyId: key.id,
      role: Role.SHOP,
      scopes: key.scopes,
    };
  }
}
