import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccountEntity, AccountKind } from '../accounts/account.entity';
import { Actor } from '../auth/actor';
import { AppError } from '../common/errors/app-error';
import { TransferEntity } from '../transfers/transfer.entity';
import { fundRule } from './disbursement-rules';
import { DisbursementsService } from './disbursements.service';
import { SetFundStewardsInput } from './dto/set-fund-stewards.input';
import { FundStewardEntity } from './fund-steward.entity';
import { FundEntity } from './fund.entity';
import { insertRuleVersion } from './fund-rule-versions';
import { inFundTransaction } from './fund-transaction';
import { FundsService, FundView } from './funds.service';
import { assertActiveStewards } from './record-fund';

export interface StewardsChange {
  fund: FundView;
  /** Pending disbursements the change decided (see disbursement-rules.ts). */
  decided: TransferEntity[];
}

/**
 * Changes who runs a fund: a steward leaves, another joins, k moves.
 *
 * Who may: a steward of the community who is one of the fund's current
 * stewards. A community steward who does not run the fund may not take it
 * over; they can open a fund of their own. The new rule is checked like a
 * new fund's (1 to MAX_FUND_STEWARDS active stewards of the community, each
 * once, 1 <= k <= n); the caller may leave themselves out. Naming the same
 * stewards and k again changes nothing and writes no version.
 *
 * One transaction: the fund's row is locked first, so that changes of one
 * fund queue and each starts from the rule the previous one left; the
 * current rule (funds, fund_stewards) is replaced, the new version is added
 * to fund_rule_versions with who and when, and every pending disbursement of
 * the fund is re-decided under its row lock (DisbursementsService
 * .redecidePending). Lock order: the fund's row, then pending transfers in id
 * order, then accounts in id order. A vote takes a transfer and then
 * accounts, a request only accounts, so no cycle forms with either.
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
    private readonly funds: FundsService,
    private readonly disbursements: DisbursementsService,
  ) {}

  async setStewards(actor: Actor, input: SetFundStewardsInput): Promise<StewardsChange> {
    const { communityId } = actor;
    return inFundTransaction(
      this.dataSource,
      this.logger,
      'a change of fund stewards',
      async (manager) => {
        const account = await manager
          .getRepository(AccountEntity)
          .findOneBy({ communityId, id: input.fundAccountId });
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
        const current = await this.funds.ruleOf(manager, communityId, account.id);
        if (account.kind !== AccountKind.FUND || fund === null || current === null) {
          throw new AppError('NOT_A_FUND', 'This account is not a fund', {
            field: 'fundAccountId',
          });
        }
        if (!current.stewardIds.includes(actor.userId)) {
          throw new AppError('NOT_A_FUND_STEWARD', "Only this fund's stewards change who runs it");
        }
        const rule = fundRule(input.stewardIds, input.approvalsRequired);
        await assertActiveStewards(manager, communityId, rule.stewardIds);

        const unchanged =
          rule.approvalsRequired === current.approvalsRequired &&
          rule.stewardIds.length === current.stewardIds.length &&
          rule.stewardIds.every((id) => current.stewardIds.includes(id));
        if (unchanged) {
          return {
            fund: await this.funds.view(manager, communityId, account, current),
            decided: [],
          };
        }

        const version = fund.version + 1;
        await manager.update(
          FundEntity,
          { communityId, accountId: account.id },
          { approvalsRequired: rule.approvalsRequired, version },
        );
        await manager.delete(FundStewardEntity, { communityId, accountId: account.id });
        await manager.insert(
          FundStewardEntity,
          rule.stewardIds.map((userId) => ({ communityId, accountId: account.id, userId })),
        );
        await insertRuleVersion(manager, {
          communityId,
          accountId: account.id,
          version,
          approvalsRequired: rule.approvalsRequired,
          stewardIds: [...rule.stewardIds],
          changedBy: actor.userId,
          changedAt: new Date(),
        });
        const decided = await this.disbursements.redecidePending(manager, communityId, account.id);
        this.logger.log(
          {
            fundAccountId: account.id,
            version,
            stewards: rule.stewardIds.length,
            approvalsRequired: rule.approvalsRequired,
            decided: decided.length,
          },
          'fund stewards changed',
        );
        const now = await this.funds.ruleOf(manager, communityId, account.id);
        return {
          fund: await this.funds.view(manager, communityId, account, now!),
          decided,
        };
      },
    );
  }
}
