import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { AccountEntity } from '../accounts/account.entity';
import { AccountKind } from '../ledger';
import { Actor } from '../access/actor';
import { AppError } from '../common/errors/app-error';
import { UserEntity } from '../users/user.entity';
import { approvalsRequiredAt, FundRule } from './disbursement-rules';
import { approvalsOnRecord } from './fund-rule-proposals';
import { FundEntity } from './fund.entity';
import { ruleVersions } from './fund-rule-versions';
import { FundTerms, proposalsOf, RequestLimits } from './rule-change-rules';

/** A fund as the API shows it: its account, its rule and its stewards. */
export interface FundView {
  account: AccountEntity;
  rule: FundRule;
  /** The current version of the rule. */
  version: number;
  /** What one member may tie up of the fund with pending requests (record-fund.ts). */
  requestLimits: RequestLimits;
  stewards: UserEntity[];
  /** Every version of the rule, oldest first. */
  history: Array<{
    version: number;
    approvalsRequired: number;
    requestLimits: RequestLimits;
    stewards: UserEntity[];
    changedBy: UserEntity;
    changedAt: Date;
    /** The stewards whose approvals applied it, in the order they approved. */
    approvedBy: UserEntity[];
  }>;
  /** Changes of the rule that stewards have asked for and k have not yet approved (rule-change-rules.ts). */
  proposals: Array<{
    rule: FundTerms;
    stewards: UserEntity[];
    baseVersion: number;
    approvals: Array<{ steward: UserEntity; approvedAt: Date; expiresAt: Date }>;
  }>;
}

/** Reads a FUND account's stewards, approval rule and its history (recorded by record-fund.ts and FundStewardsService). */
@Injectable()
export class FundsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The current rule of a fund, or null when the account is not a fund. One
   * statement, so that it sees one committed version even while
   * setFundStewards commits a new one.
   */
  async ruleOf(
    manager: EntityManager,
    communityId: string,
    accountId: string,
  ): Promise<FundRule | null> {
    const rows = await manager.query<
      Array<{ approvals_required: number; version: number; steward_ids: string[] }>
    >(
      `SELECT f.approvals_required, f.version,
              coalesce(array_agg(s.user_id::text ORDER BY s.user_id)
                         FILTER (WHERE s.user_id IS NOT NULL), '{}') AS steward_ids
         FROM funds f
         LEFT JOIN fund_stewards s ON s.community_id = f.community_id AND s.account_id = f.account_id
        WHERE f.community_id = $1 AND f.account_id = $2
        GROUP BY f.community_id, f.account_id`,
      [communityId, accountId],
    );
    if (rows.length === 0) return null;
    return {
      stewardIds: rows[0].steward_ids,
      approvalsRequired: Number(rows[0].approvals_required),
    };
  }

  /** k of the fund's rule in force at `requestedAt`, a disbursement's bar. */
  async approvalsRequiredAt(
    manager: EntityManager,
    communityId: string,
    accountId: string,
    requestedAt: Date,
  ): Promise<number> {
    return approvalsRequiredAt(await ruleVersions(manager, communityId, accountId), requestedAt);
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
    return this.view(this.dataSource.manager, actor.communityId, account, rule);
  }

  /** The API's view of a fund whose account and current rule are loaded. */
  async view(
    manager: EntityManager,
    communityId: string,
    account: AccountEntity,
    rule: FundRule,
  ): Promise<FundView> {
    const versions = await ruleVersions(manager, communityId, account.id);
    const version = versions.length === 0 ? 1 : versions[versions.length - 1].version;
    const now = new Date();
    const proposals = proposalsOf(
      await approvalsOnRecord(manager, communityId, account.id, now),
      rule,
      version,
      now,
    );
    const people = new Map(
      (
        await this.users(
          communityId,
          [
            ...new Set([
              ...rule.stewardIds,
              ...versions.flatMap((version) => [
                ...version.stewardIds,
                version.changedBy,
                ...version.approvedBy,
              ]),
              ...proposals.flatMap((proposal) => [
                ...proposal.rule.stewardIds,
                ...proposal.approvals.map((approval) => approval.stewardId),
              ]),
            ]),
          ],
          manager,
        )
      ).map((user) => [user.id, user]),
    );
    const user = (id: string): UserEntity => people.get(id)!;
    const settings = await manager
      .getRepository(FundEntity)
      .findOneByOrFail({ communityId, accountId: account.id });
    return {
      account,
      rule,
      version,
      requestLimits: {
        memberSharePercent: settings.memberSharePercent,
        maxOpenRequests: settings.maxOpenRequests,
      },
      stewards: rule.stewardIds.map(user),
      history: versions.map((version) => ({
        version: version.version,
        approvalsRequired: version.approvalsRequired,
        requestLimits: {
          memberSharePercent: version.memberSharePercent,
          maxOpenRequests: version.maxOpenRequests,
        },
        stewards: version.stewardIds.map(user),
        changedBy: user(version.changedBy),
        changedAt: version.changedAt,
        approvedBy: version.approvedBy.map(user),
      })),
      proposals: proposals.map((proposal) => ({
        rule: proposal.rule,
        stewards: proposal.rule.stewardIds.map(user),
        baseVersion: proposal.baseVersion,
        approvals: proposal.approvals.map((approval) => ({
          steward: user(approval.stewardId),
          approvedAt: approval.approvedAt,
          expiresAt: approval.expiresAt,
        })),
      })),
    };
  }

  /** Users by id, in the order asked; on `manager` when given (a transaction's view). */
  async users(
    communityId: string,
    ids: readonly string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<UserEntity[]> {
    if (ids.length === 0) return [];
    const rows = await manager.getRepository(UserEntity).findBy({ communityId, id: In([...ids]) });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => {
      const user = byId.get(id);
      if (user === undefined) throw new Error(`fund refers to missing user ${id}`);
      return user;
    });
  }
}
