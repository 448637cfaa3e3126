import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccountEntity } from '../accounts/account.entity';
import { Actor } from '../access/actor';
import { AppError } from '../common/errors/app-error';
import { CommunitiesService } from '../communities/communities.service';
import { FundStewardEntity } from '../funds/fund-steward.entity';
import { AccountKind, formatAmount } from '../ledger';
import { SetFundPublicInput } from './dto/set-fund-public.input';
import { FundPublicSetting, PublicFund, PublicFundSummary } from './public-funds.model';
import { PublicFundsStore, PublishedFundRow } from './public-funds.store';

/**
 * Public fund pages: the transparent budget a mutual-aid fund can show to
 * anyone, signed in or not.
 *
 * - Opt-in per fund: one of the fund's own stewards publishes the page or
 *   withdraws it (setFundPublic). Nothing about an unpublished fund is
 *   readable without signing in; asking for one answers NOT_FOUND, exactly as
 *   for a fund that does not exist, so a visitor cannot probe for funds.
 * - No personal data: the page carries the fund's own name, balance, k of n,
 *   totals per month and the dates and amounts of approved disbursements. It
 *   never names a member or a steward, never shows an e-mail, an account id
 *   other than the fund's, or a memo (memos are free text and may name
 *   people).
 */
@Injectable()
export class PublicFundsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly communities: CommunitiesService,
    private readonly store: PublicFundsStore,
  ) {}

  async setPublic(actor: Actor, input: SetFundPublicInput): Promise<FundPublicSetting> {
    const account = await this.dataSource
      .getRepository(AccountEntity)
      .findOneBy({ communityId: actor.communityId, id: input.fundAccountId });
    if (account === null) throw new AppError('NOT_FOUND', 'No such fund in your community');
    if (account.kind !== AccountKind.FUND) {
      throw new AppError('NOT_A_FUND', `fundAccountId: a ${account.kind} account, not a FUND`, {
        field: 'fundAccountId',
      });
    }
    const steward = await this.dataSource.getRepository(FundStewardEntity).findOneBy({
      communityId: actor.communityId,
      accountId: account.id,
      userId: actor.userId,
    });
    if (steward === null) {
      throw new AppError('NOT_A_FUND_STEWARD', "Only this fund's stewards publish its page");
    }
    if (input.public) await this.store.publish(actor.communityId, account.id, actor.userId);
    else await this.store.withdraw(actor.communityId, account.id);
    const publishedAt = await this.store.publishedAt(actor.communityId, account.id);
    return { fundAccountId: account.id, public: publishedAt !== null, publishedAt };
  }

  async list(communitySlug: string): Promise<PublicFundSummary[]> {
    const community = await this.communities.bySlug(communitySlug);
    if (community === null) return [];
    return (await this.store.published(community.communityId)).map(toSummary);
  }

  async page(communitySlug: string, fundAccountId: string): Promise<PublicFund> {
    const community = await this.communities.bySlug(communitySlug);
    const [row] =
      community === null ? [] : await this.store.published(community.communityId, fundAccountId);
    if (community === null || row === undefined) {
      throw new AppError(
        'NOT_FOUND',
        'No public page for that fund: it does not exist or its stewards have not published it',
      );
    }
    const [months, pending, disbursements] = await Promise.all([
      this.store.months(community.communityId, row.account_id),
      this.store.pending(community.communityId, row.account_id),
      this.store.disbursements(community.communityId, row.account_id),
    ]);
    const amount = (minor: bigint): string => formatAmount(minor, row.scale);
    return {
      ...toSummary(row),
      communityName: community.name,
      scale: row.scale,
      publishedAt: row.published_at,
      approvalsRequired: row.approvals_required,
      stewardCount: row.steward_count,
      pendingCount: pending.count,
      pendingTotal: amount(pending.totalMinor),
      months: months.map((month) => ({
        month: month.month,
        moneyIn: amount(BigInt(month.money_in)),
        moneyOut: amount(BigInt(month.money_out)),
        transfersIn: month.transfers_in,
        transfersOut: month.transfers_out,
      })),
      disbursements: disbursements.map((item) => ({
        postedAt: item.postedAt,
        amount: amount(item.amountMinor),
      })),
    };
  }
}

function toSummary(row: PublishedFundRow): PublicFundSummary {
  return {
    accountId: row.account_id,
    name: row.name,
    currencyCode: row.currency_code,
    currencyName: row.currency_name,
    balance: formatAmount(BigInt(row.balance_minor), row.scale),
  };
}
