import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AccountEntity } from '../accounts/account.entity';
import { AccountKind } from '../ledger';
import { Actor } from '../access/actor';
import { AppError } from '../common/errors/app-error';
import { TransferEntity } from '../transfers/transfer.entity';
import { FundRule, fundRule } from './disbursement-rules';
import { DisbursementsService } from './disbursements.service';
import { SetFundRequestLimitsInput } from './dto/set-fund-request-limits.input';
import { SetFundStewardsInput } from './dto/set-fund-stewards.input';
import { FundStewardEntity } from './fund-steward.entity';
import { FundEntity } from './fund.entity';
import {
  approvalsOnRecord,
  dropAllApprovals,
  dropStaleApprovals,
  upsertApproval,
  withdrawApproval,
} from './fund-rule-proposals';
import { insertRuleVersion } from './fund-rule-versions';
import { inFundTransaction } from './fund-transaction';
import { FundsOptions, FUNDS_OPTIONS } from './funds.options';
import { FundsService, FundView } from './funds.service';
import { assertActiveStewards } from './record-fund';
import {
  approvalsOf,
  FundTerms,
  reachesApproval,
  sameRule,
  sameStewards,
} from './rule-change-rules';

export interface StewardsChange {
  fund: FundView;
  /** Whether this call applied the rule it asked for (see rule-change-rules.ts). */
  applied: boolean;
  /** Live approvals of the rule asked for, this call's included; k of them apply it. */
  approvals: number;
  /** k of the rule that decided the change: the rule in force when it was asked for. */
  approvalsRequired: number;
  /** Pending disbursements the change decided (see disbursement-rules.ts). */
  decided: TransferEntity[];
}

/**
 * Changes who runs a fund: a steward leaves, another joins, k moves, once k
 * of the fund's stewards ask for it (rule-change-rules.ts); and, the same
 * way, the fund's request limits (setRequestLimits), which are part of the
 * same versioned rule. A change of the limits alone re-decides nothing.
 *
 * Who may: a steward of the community who is one of the fund's current
 * stewards. A community steward who does not run the fund may not take it
 * over; they can open a fund of their own. The new rule is checked like a
 * new fund's (1 to MAX_FUND_STEWARDS active stewards of the community, each
 * once, 1 <= k <= n); the caller may leave themselves out. Naming the rule
 * in force changes nothing, writes no version and withdraws the caller's
 * approval of any other rule. Naming another rule records the caller's
 * approval of it; the approval that makes k applies it.
 *
 * One transaction: the fund's row is locked first, so that approvals and
 * changes of one fund queue and each starts from the rule and the approvals
 * the previous one left; stale approvals are dropped and the caller's is
 * written. When the approvals reach k, the current rule (funds,
 * fund_stewards) is replaced, the new version is added to
 * fund_rule_versions with who approved it and when, every approval of the
 * fund is dropped, and every pending disbursement of the fund is re-decided
 * under its row lock (DisbursementsService.redecidePending). Lock order: the
 * fund's row, then pending transfers in id order, then accounts in id
 * order. A vote takes a transfer and then accounts, a request the fund's
 * row and then accounts, so no cycle forms with either. fund_rule_proposals rows are
 * written only under the fund's row lock.
 *
 * A request created while a change is being made (committed after the
 * change read the pending requests) is not re-decided by it; it is decided
 * by the new stewards anyway, since every vote reads the current rule, and
 * the database refuses a removed steward's vote.
 */
@Injectable()
export class FundStewardsService {
  private readonly logger = new Logger(FundStewardsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(FUNDS_OPTIONS) private readonly options: FundsOptions,
    private readonly funds: FundsService,
    private readonly disbursements: DisbursementsService,
  ) {}

  async setStewards(actor: Actor, input: SetFundStewardsInput): Promise<StewardsChange> {
    return this.askForRule(actor, input.fundAccountId, async (manager, current) => {
      const rule = fundRule(input.stewardIds, input.approvalsRequired);
      await assertActiveStewards(manager, actor.communityId, rule.stewardIds);
      return {
        stewardIds: rule.stewardIds,
        approvalsRequired: rule.approvalsRequired,
        memberSharePercent: current.memberSharePercent,
        maxOpenRequests: current.maxOpenRequests,
      };
    });
  }

  /**
   * A fund steward's approval of new request limits for the fund, with its
   * stewards and k unchanged: the same k-of-n approval as any change of the
   * fund's rule. Applied limits hold for the next request; requests already
   * pending are not re-decided (the limits are checked when a request is
   * made). The input's bounds were checked by its validators.
   */
  async setRequestLimits(actor: Actor, input: SetFundRequestLimitsInput): Promise<StewardsChange> {
    return this.askForRule(actor, input.fundAccountId, (_manager, current) =>
      Promise.resolve({
        stewardIds: current.stewardIds,
        approvalsRequired: current.approvalsRequired,
        memberSharePercent: input.memberSharePercent,
        maxOpenRequests: input.maxOpenRequestsPerMember,
      }),
    );
  }

  /**
   * The caller's approval of the terms `ask` builds from the terms in force,
   * applied when it is the k-th (see the top of this file and
   * rule-change-rules.ts). `ask` runs under the fund's row lock, on the
   * transaction's own connection.
   */
  private async askForRule(
    actor: Actor,
    fundAccountId: string,
    ask: (manager: EntityManager, current: FundTerms) => Promise<FundTerms>,
  ): Promise<StewardsChange> {
    const { communityId } = actor;
    return inFundTransaction(
      this.dataSource,
      this.logger,
      'a change of a fund’s rule',
      async (manager) => {
        const account = await manager
          .getRepository(AccountEntity)
          .findOneBy({ communityId, id: fundAccountId });
        if (account === null) {
          throw new AppError('NOT_FOUND', 'No such fund', { field: 'fundAccountId' });
        }
        const fund = await manager
          .getRepository(FundEntity)
          .createQueryBuilder('fund')
          .setLock('pessimistic_write')
          .where('fund.community_id = :communityId AND fund.account_id = :accountId', {
            communityId,
            accountId: account.id,
          })
          .getOne();
        const currentRule = await this.funds.ruleOf(manager, communityId, account.id);
        if (account.kind !== AccountKind.FUND || fund === null || currentRule === null) {
          throw new AppError('NOT_A_FUND', 'This account is not a fund', {
            field: 'fundAccountId',
          });
        }
        if (!currentRule.stewardIds.includes(actor.userId)) {
          throw new AppError('NOT_A_FUND_STEWARD', "Only this fund's stewards change its rule");
        }
        const current: FundTerms = {
          ...currentRule,
          memberSharePercent: fund.memberSharePercent,
          maxOpenRequests: fund.maxOpenRequests,
        };
        const rule = await ask(manager, current);

        const now = new Date();
        await dropStaleApprovals(manager, communityId, account.id, fund.version, now);
        if (sameRule(rule, current)) {
          await withdrawApproval(manager, communityId, account.id, actor.userId);
          return this.result(manager, communityId, account, currentRule, {
            applied: false,
            approvals: 0,
            approvalsRequired: current.approvalsRequired,
            decided: [],
          });
        }

        await upsertApproval(manager, communityId, account.id, {
          stewardId: actor.userId,
          baseVersion: fund.version,
          stewardIds: rule.stewardIds,
          approvalsRequired: rule.approvalsRequired,
          memberSharePercent: rule.memberSharePercent,
          maxOpenRequests: rule.maxOpenRequests,
          approvedAt: now,
          expiresAt: new Date(now.getTime() + this.options.disbursementExpiryMs),
        });
        const approvals = approvalsOf(
          rule,
          await approvalsOnRecord(manager, communityId, account.id, now),
          current,
          fund.version,
          now,
        );
        // The caller's approval was just written under the fund's lock: it must be among them.
        if (!approvals.some((approval) => approval.stewardId === actor.userId)) {
          throw new Error(
            `the approval of ${actor.userId} for fund ${account.id} was not recorded`,
          );
        }
        if (!reachesApproval(current, approvals)) {
          this.logger.log(
            {
              fundAccountId: account.id,
              version: fund.version,
              approvals: approvals.length,
              approvalsRequired: current.approvalsRequired,
            },
            'change of a fund’s rule approved, waiting for more stewards',
          );
          return this.result(manager, communityId, account, currentRule, {
            applied: false,
            approvals: approvals.length,
            approvalsRequired: current.approvalsRequired,
            decided: [],
          });
        }

        const version = fund.version + 1;
        await manager.update(
          FundEntity,
          { communityId, accountId: account.id },
          {
            approvalsRequired: rule.approvalsRequired,
            memberSharePercent: rule.memberSharePercent,
            maxOpenRequests: rule.maxOpenRequests,
            version,
          },
        );
        const stewardsChanged = !sameStewards(rule, current);
        if (stewardsChanged) {
          await manager.delete(FundStewardEntity, { communityId, accountId: account.id });
          await manager.insert(
            FundStewardEntity,
            rule.stewardIds.map((userId) => ({ communityId, accountId: account.id, userId })),
          );
        }
        await insertRuleVersion(manager, {
          communityId,
          accountId: account.id,
          version,
          approvalsRequired: rule.approvalsRequired,
          memberSharePercent: rule.memberSharePercent,
          maxOpenRequests: rule.maxOpenRequests,
          stewardIds: [...rule.stewardIds],
          changedBy: actor.userId,
          changedAt: now,
          approvedBy: approvals.map((approval) => approval.stewardId),
        });
        await dropAllApprovals(manager, communityId, account.id);
        // Only who votes and k decide pending requests; new limits hold for the next request.
        const decided = stewardsChanged
          ? await this.disbursements.redecidePending(manager, communityId, account.id)
          : [];
        this.logger.log(
          {
            fundAccountId: account.id,
            version,
            stewards: rule.stewardIds.length,
            approvalsRequired: rule.approvalsRequired,
            memberSharePercent: rule.memberSharePercent,
            maxOpenRequests: rule.maxOpenRequests,
            approvals: approvals.length,
            decided: decided.length,
          },
          'fund rule changed',
        );
        const changed = await this.funds.ruleOf(manager, communityId, account.id);
        return this.result(manager, communityId, account, changed!, {
          applied: true,
          approvals: approvals.length,
          approvalsRequired: current.approvalsRequired,
          decided,
        });
      },
    );
  }

  private async result(
    manager: EntityManager,
    communityId: string,
    account: AccountEntity,
    rule: FundRule,
    outcome: Omit<StewardsChange, 'fund'>,
  ): Promise<StewardsChange> {
    return { fund: await this.funds.view(manager, communityId, account, rule), ...outcome };
  }
}
