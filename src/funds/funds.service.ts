import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { AccountEntity, AccountKind } from '../accounts/account.entity';
import { Actor } from '../auth/actor';
import { AppError } from '../common/errors/app-error';
import { UserEntity } from '../users/user.entity';
import { FundRule } from './disbursement-rules';
import { FundStewardEntity } from './fund-steward.entity';
import { FundEntity } from './fund.entity';

/** A fund as the API shows it: its account, its rule and its stewards. */
export interface FundView {
  account: AccountEntity;
  rule: FundRule;
  stewards: UserEntity[];
}

/** Reads a FUND account's stewards and approval rule (recorded by record-fund.ts). */
@Injectable()
export class FundsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The rule of a fund, or null when the account is not a fund. */
  async ruleOf(
    manager: EntityManager,
    communityId: string,
    accountId: string,
  ): Promise<FundRule | null> {
    const fund = await manager.getRepository(FundEntity).findOneBy({ communityId, accountId });
    if (fund === null) return null;
    const stewards = await manager
      .getRepository(FundStewardEntity)
      .find({ where: { communityId, accountId }, order: { userId: 'ASC' } });
    return {
      stewardIds: stewards.map((steward) => steward.userId),
      approvalsRequired: fund.approvalsRequired,
    };
  }

  /** A fund of the caller's community, for everyone in it: who decides is no secret. */
  async get(actor: Actor, accountId: string): Promise<FundView> {
    const account = await this.dataSource
      .getRepository(AccountEntity)
      .findOneBy({ communityId: actor.communityId, id: accountId });
    if (account === null) {
      throw new AppError('NOT_FOUND', 'No such account', { field: 'accountId' });
    }
    const rule = await this.ruleOf(this.dataSource.manager, actor.communityId, accountId);
    if (account.kind !== AccountKind.FUND || rule === null) {
      throw new AppError('NOT_A_FUND', 'This account is not a fund', { field: 'accountId' });
    }
    return { account, rule, stewards: await this.users(actor.communityId, rule.stewardIds) };
  }

  /** Users by id, in the order asked. */
  async users(communityId: string, ids: readonly string[]): Promise<UserEntity[]> {
    if (ids.length === 0) return [];
    const rows = await this.dataSource
      .getRepository(UserEntity)
      .findBy({ communityId, id: In([...ids]) });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => {
      const user = byId.get(id);
      if (user === undefined) throw new Error(`fund refers to missing user ${id}`);
      return user;
    });
  }
}
