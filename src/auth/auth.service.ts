import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService, TokenExpiredError } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { CallerCache, CallerState } from '../users/caller-cache';
import { AppConfig } from '../common/config/app-config';
import { isUniqueViolation } from '../common/database/postgres-errors';
import { withinCommunity } from '../common/database/tenancy';
import { AppError, invalidInput } from '../common/errors/app-error';
import { CommunityEntity } from '../communities/community.entity';
import { InviteEntity } from '../users/invite.entity';
import {
  DEPLOYMENT_COMMUNITY_ID,
  DEPLOYMENT_COMMUNITY_SLUG,
  Role,
  UserStatus,
} from '../access/role';
import { UserEntity } from '../users/user.entity';
import { Actor } from '../access/actor';
import { ApiKeysService } from './api-keys.service';
import { LoginInput } from './dto/login.input';
import { RegisterInput } from './dto/register.input';
import { LoginFailureEntity } from './login-failure.entity';
import { dummyPasswordHash, hashPassword, verifyPassword } from '../access/passwords';
import { isApiKeyShaped, sha256Hex, TokenClaims, VerifiedTokens } from '../access/tokens';

/**
 * Sign-up, login and the resolution of a bearer token into an Actor.
 *
 * Login never says whether an email exists: a wrong password and an unknown
 * email get the same message and cost the same time (a dummy hash is
 * verified), and repeated failures lock the (community, email) pair whether
 * or not anyone owns it.
 */
@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);
  private readonly maxFailures: number;
  private readonly lockSeconds: number;

  /** Signatures already checked: a token is verified once per process, its expiry every time. */
  private readonly verified = new VerifiedTokens();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jwt: JwtService,
    private readonly apiKeys: ApiKeysService,
    private readonly callers: CallerCache,
    config: ConfigService<AppConfig, true>,
  ) {
    this.maxFailures = config.get('LOGIN_MAX_FAILURES', { infer: true });
    this.lockSeconds = config.get('LOGIN_LOCK_SECONDS', { infer: true });
  }

  async register(input: RegisterInput): Promise<{ token: string; user: UserEntity }> {
    const email = input.email.toLowerCase();
    // Hashed before the transaction: argon2 takes a while, and a connection
    // held meanwhile is one that other requests wait for.
    const passwordHash = await hashPassword(input.password);
    const user = await this.dataSource.transaction(async (manager) => {
      const community = await manager.findOneBy(CommunityEntity, { slug: input.communitySlug });
      if (community === null || community.communityId === DEPLOYMENT_COMMUNITY_ID) {
        throw invalidInput('communitySlug', `communitySlug: no community "${input.communitySlug}"`);
      }
      if (input.inviteCode !== undefined) {
        const invite = await manager
          .createQueryBuilder(InviteEntity, 'invite')
          .setLock('pessimistic_write')
          .where('invite.community_id = :communityId AND invite.code_hash = :codeHash', {
            communityId: community.communityId,
            codeHash: sha256Hex(input.inviteCode),
          })
          .getOne();
        if (
          invite === null ||
          invite.usedAt !== null ||
          invite.expiresAt.getTime() < Date.now() ||
          (invite.email !== null && invite.email !== email)
        ) {
          throw invalidInput(
            'inviteCode',
            'inviteCode: unknown, used, expired or meant for another email',
          );
        }
        const userId = randomUUID();
        invite.usedAt = new Date();
        invite.usedBy = userId;
        await manager.save(invite);
        return this.insertUser(
          manager,
          community.communityId,
          userId,
          email,
          input,
          invite.role,
          passwordHash,
        );
      }
      if (!community.openSignup) {
        throw new AppError(
          'SIGNUP_CLOSED',
          'This community accepts new members by invitation only: ask a steward for an invite code',
          {
            field: 'inviteCode',
          },
        );
      }
      return this.insertUser(
        manager,
        community.communityId,
        randomUUID(),
        email,
        input,
        input.role ?? Role.MEMBER,
        passwordHash,
      );
    });
    return { token: await this.issueToken(user), user };
  }

  private async insertUser(
    manager: EntityManager,
    communityId: string,
    id: string,
    email: string,
    input: RegisterInput,
    role: Role,
    passwordHash: string,
  ): Promise<UserEntity> {
    const entity = manager.create(UserEntity, {
      communityId,
      id,
      email,
      displayName: input.displayName,
      role,
      status: UserStatus.ACTIVE,
      passwordHash,
      tokenVersion: 0,
    });
    try {
      return await manager.save(entity);
    } catch (error) {
      if (isUniqueViolation(error, 'uq_users_email')) {
        throw new AppError('EMAIL_TAKEN', 'email: already registered in this community', {
          field: 'email',
        });
      }
      throw error;
    }
  }

  async login(input: LoginInput): Promise<{ token: string; user: UserEntity }> {
    const email = input.email.toLowerCase();
    const communityId = await this.communityIdForLogin(input.communitySlug);
    const failures = this.dataSource.getRepository(LoginFailureEntity);
    const record =
      communityId === undefined ? null : await failures.findOneBy({ communityId, email });
    if (
      record?.lockedUntil !== null &&
      record?.lockedUntil !== undefined &&
      record.lockedUntil.getTime() > Date.now()
    ) {
      throw new AppError(
        'LOGIN_LOCKED',
        `Too many failed logins for this email: try again after ${record.lockedUntil.toISOString()}`,
      );
    }
    const user =
      communityId === undefined
        ? null
        : await this.dataSource.getRepository(UserEntity).findOneBy({ communityId, email });
    const passwordOk = await verifyPassword(
      user?.passwordHash ?? (await dummyPasswordHash()),
      input.password,
    );
    if (user === null || !passwordOk || communityId === undefined) {
      if (communityId !== undefined) await this.recordFailure(communityId, email);
      throw new AppError('INVALID_CREDENTIALS', 'Wrong email or password');
    }
    if (user.status === UserStatus.SUSPENDED) {
      throw new AppError(
        'USER_SUSPENDED',
        'This user is suspended: ask a steward of the community',
      );
    }
    if (record !== null) await failures.delete({ communityId, email });
    return { token: await this.issueToken(user), user };
  }

  private async communityIdForLogin(slug: string | undefined): Promise<string | undefined> {
    if (slug === undefined || slug === DEPLOYMENT_COMMUNITY_SLUG) return DEPLOYMENT_COMMUNITY_ID;
    const community = await this.dataSource.getRepository(CommunityEntity).findOneBy({ slug });
    return community?.communityId;
  }

  /** Counts a failure and locks the pair once it reaches the limit, in one statement. */
  private async recordFailure(communityId: string, email: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO login_failures (community_id, email, failures, last_failed_at, locked_until)
       VALUES ($1, $2, 1, now(), CASE WHEN 1 >= $3 THEN now() + make_interval(secs => $4) END)
       ON CONFLICT (community_id, email) DO UPDATE SET
         failures = CASE WHEN login_failures.locked_until < now() THEN 1 ELSE login_failures.failures + 1 END,
         last_failed_at = now(),
         locked_until = CASE
           WHEN login_failures.locked_until < now() THEN NULL
           WHEN login_failures.failures + 1 >= $3 THEN now() + make_interval(secs => $4)
           ELSE login_failures.locked_until END`,
      [communityId, email, this.maxFailures, this.lockSeconds],
    );
  }

  async changePassword(
    actor: Actor,
    currentPassword: string,
    newPassword: string,
  ): Promise<string> {
    const users = this.dataSource.getRepository(UserEntity);
    const user = await users.findOneByOrFail({ communityId: actor.communityId, id: actor.userId });
    if (!(await verifyPassword(user.passwordHash, currentPassword))) {
      throw new AppError('INVALID_CREDENTIALS', 'currentPassword: wrong password', {
        field: 'currentPassword',
      });
    }
    user.passwordHash = await hashPassword(newPassword);
    user.tokenVersion += 1;
    await users.save(user);
    this.callers.forget(user.communityId, user.id);
    this.logger.log({ userId: user.id }, 'password changed; older tokens revoked');
    return this.issueToken(user);
  }

  /** Ends every session of the user: all tokens issued so far stop working. */
  async revokeTokens(communityId: string, userId: string): Promise<void> {
    await this.dataSource
      .getRepository(UserEntity)
      .increment({ communityId, id: userId }, 'tokenVersion', 1);
    this.callers.forget(communityId, userId);
  }

  issueToken(user: UserEntity): Promise<string> {
    const claims: TokenClaims = {
      sub: user.id,
      cid: user.communityId,
      role: user.role,
      tv: user.tokenVersion,
    };
    return this.jwt.signAsync(claims);
  }

  /**
   * The Actor behind an Authorization header, undefined without one. A
   * malformed, forged, expired or revoked credential is refused, never
   * silently treated as anonymous.
   */
  async resolveActor(authorization: string | undefined): Promise<Actor | undefined> {
    if (authorization === undefined || authorization === '') return undefined;
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (match === null) {
      throw new AppError('TOKEN_INVALID', 'Authorization header must be "Bearer <token>"');
    }
    const credential = match[1];
    if (isApiKeyShaped(credential)) return this.apiKeys.resolve(credential);

    let claims: TokenClaims | undefined = this.verified.get(credential);
    try {
      if (claims === undefined) {
        claims = await this.jwt.verifyAsync<TokenClaims & { exp?: number }>(credential);
        this.verified.remember(credential, claims);
      }
    } catch (error) {
      if (error instanceof TokenExpiredError) {
        throw new AppError('TOKEN_EXPIRED', 'Token expired: log in again');
      }
      throw new AppError('TOKEN_INVALID', 'Token is not valid: log in again');
    }
    // Every authenticated request passes here: its caller comes from memory
    // when it may (CallerCache), else from one primary-key read of three columns.
    const user = await this.callers.get(claims.cid, claims.sub, () => this.readCaller(claims));
    if (
      user === undefined ||
      user.tokenVersion !== claims.tv ||
      user.status !== UserStatus.ACTIVE
    ) {
      throw new AppError('TOKEN_REVOKED', 'Token was revoked: log in again');
    }
    return { kind: 'USER', communityId: claims.cid, userId: claims.sub, role: user.role };
  }

  private async readCaller(claims: TokenClaims): Promise<CallerState | undefined> {
    // Read as work of the token's community: the request's own scope is
    // not set until its caller is known.
    const [user] = await withinCommunity(claims.cid, () =>
      this.dataSource.query<Array<{ role: Role; status: UserStatus; token_version: number }>>(
        'SELECT role, status, token_version FROM users WHERE community_id = $1 AND id = $2',
        [claims.cid, claims.sub],
      ),
    );
    return user === undefined
      ? undefined
      : { role: user.role, status: user.status, tokenVersion: user.token_version };
  }
}
