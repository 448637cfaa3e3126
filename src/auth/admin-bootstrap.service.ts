import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppConfig } from '../common/config/app-config';
import { isUniqueViolation } from '../common/database/postgres-errors';
import { withinCommunity } from '../common/database/tenancy';
import { DEPLOYMENT_COMMUNITY_ID, Role, UserStatus } from '../access/role';
import { UserEntity } from '../users/user.entity';
import { hashPassword } from '../access/passwords';

/**
 * Creates the first admin from ADMIN_EMAIL and ADMIN_PASSWORD when the
 * deployment has no admin yet. Once any admin exists the variables are
 * ignored: a restart never resets a password that was changed since.
 */
@Injectable()
export class AdminBootstrapService implements OnApplicationBootstrap {
  private readonly logger = new Logger('AdminBootstrap');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  onApplicationBootstrap(): Promise<void> {
    // The admin is a user of the deployment's own community.
    return withinCommunity(DEPLOYMENT_COMMUNITY_ID, () => this.createFirstAdmin());
  }

  private async createFirstAdmin(): Promise<void> {
    const email = this.config.get('ADMIN_EMAIL', { infer: true });
    const password = this.config.get('ADMIN_PASSWORD', { infer: true });
    if (email === undefined || password === undefined) return;
    const users = this.dataSource.getRepository(UserEntity);
    if ((await users.countBy({ communityId: DEPLOYMENT_COMMUNITY_ID, role: Role.ADMIN })) > 0)
      return;
    try {
      await users.insert({
        communityId: DEPLOYMENT_COMMUNITY_ID,
        id: randomUUID(),
        email: email.toLowerCase(),
        displayName: 'Administrator',
        role: Role.ADMIN,
        status: UserStatus.ACTIVE,
        passwordHash: await hashPassword(password),
        tokenVersion: 0,
      });
      this.logger.log(`created the first admin, ${email.toLowerCase()}`);
    } catch (error) {
      // Another server starting at the same moment created it first.
      if (!isUniqueViolation(error)) throw error;
    }
  }
}
