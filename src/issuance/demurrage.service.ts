import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { withinCommunity, withoutCommunity } from '../common/database/tenancy';
import { AppError, invalidInput } from '../common/errors/app-error';
import { CurrencyEntity } from '../currencies/currency.entity';
import { PolicyRules } from '../currencies/issuance-policy';
import { CurrenciesService } from '../currencies/currencies.service';
import { DemurrageCommand, DemurragePeriodValue, requestFingerprint } from '../ledger';
import { PostingService } from '../transfers/posting.service';

/**
 * Demurrage: a holding fee on positive balances (e.g. 2% a quarter), paid
 * into a fund, charged at most once per account per period.
 *
 * Periods are named `2026-11-25` (DAY), `2026-11` (MONTH) or `2026-Q4`
 * (QUARTER). Each charge is an ordinary DEMURRAGE transfer whose
 * idempotency key is derived from the period and the account, initiated in
 * the name of the currency's creator so that every run, by the scheduler or
 * by any steward, uses the same key: a second or concurrent run for the same
 * period finds the charge already made and makes no other. The fee is the
 * percent of the balance read when the run reaches the account, rounded half
 * away from zero to a minor unit; balances too small to owe a minor unit are
 * not charged. Accounts are charged in pages of 100, with a progress line per
 * thousand.
 */
const PAGE = 100;

export interface DemurrageRun {
  period: string;
  accountsCharged: number;
  alreadyCharged: number;
  failed: number;
  totalChargedMinor: bigint;
}

export function currentPeriod(period: DemurragePeriodValue, now: Date): string {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth() + 1;
  switch (period) {
    case 'DAY':
      return now.toISOString().slice(0, 10);
    case 'MONTH':
      return `${year}-${String(month).padStart(2, '0')}`;
    case 'QUARTER':
      return `${year}-Q${Math.ceil(month / 3)}`;
  }
}

const PERIOD_PATTERNS: Record<DemurragePeriodValue, RegExp> = {
  DAY: /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/,
  MONTH: /^\d{4}-(0[1-9]|1[0-2])$/,
  QUARTER: /^\d{4}-Q[1-4]$/,
};

@Injectable()
export class DemurrageService {
  private readonly logger = new Logger('Demurrage');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly currencies: CurrenciesService,
    private readonly posting: PostingService,
  ) {}

  /** Charges every eligible account for `period` (default: the current one). */
  async run(communityId: string, currencyCode: string, period?: string): Promise<DemurrageRun> {
    const currency = await this.currencies.get(communityId, currencyCode);
    const rules = (await this.currencies.currentPolicies(communityId, [currencyCode])).get(
      currencyCode,
    )?.rules;
    const demurrage = rules?.demurrage;
    if (demurrage === null || demurrage === undefined) {
      throw new AppError('POLICY_VIOLATION', `${currencyCode} has no demurrage in its policy`, {
        field: 'currencyCode',
      });
    }
    const name = period ?? currentPeriod(demurrage.period, new Date());
    if (!PERIOD_PATTERNS[demurrage.period].test(name)) {
      throw invalidInput(
        'period',
        `period: ${currencyCode} charges per ${demurrage.period}, e.g. ${currentPeriod(demurrage.period, new Date())}`,
      );
    }
    return this.charge(currency, demurrage, name);
  }

  private async charge(
    currency: CurrencyEntity,
    demurrage: NonNullable<PolicyRules['demurrage']>,
    period: string,
  ): Promise<DemurrageRun> {
    const result: DemurrageRun = {
      period,
      accountsCharged: 0,
      alreadyCharged: 0,
      failed: 0,
      totalChargedMinor: 0n,
    };
    let afterId = '00000000-0000-0000-0000-000000000000';
    let seen = 0;
    for (;;) {
      const accounts = await this.dataSource.query<Array<{ id: string; balance_minor: string }>>(
        `SELECT id, balance_minor::text FROM accounts
          WHERE community_id = $1 AND currency_code = $2 AND kind = ANY($3::varchar[]) AND status = 'OPEN'
            AND balance_minor > 0 AND id > $4 AND id <> $5
          ORDER BY id LIMIT $6`,
        [
          currency.communityId,
          currency.code,
          demurrage.accountKinds,
          afterId,
          demurrage.fundAccountId,
          PAGE,
        ],
      );
      if (accounts.length === 0) break;
      afterId = accounts[accounts.length - 1].id;
      const charges: DemurrageCommand[] = accounts.map((account) => ({
        type: 'DEMURRAGE',
        initiator: { userId: currency.createdBy, steward: true },
        idempotencyKey: `demurrage#${period}#${account.id}`,
        fingerprint: requestFingerprint({ operation: 'demurrage', period, accountId: account.id }),
        memo: `Demurrage ${period}: ${demurrage.percent}% of the balance`,
        accountId: account.id,
      }));
      const results = await this.posting.postEach(currency.communityId, charges);
      results.forEach((outcome, index) => {
        switch (outcome.outcome) {
          case 'REFUSED':
            result.failed += 1;
            this.logger.warn(
              { accountId: charges[index].accountId, reason: outcome.error.code },
              'demurrage not charged',
            );
            return;
          case 'REPLAYED':
            result.alreadyCharged += 1;
            return;
          case 'APPLIED':
            result.accountsCharged += 1;
            result.totalChargedMinor += outcome.transfers[0].record.amountMinor;
            return;
          case 'NOTHING':
            return;
        }
      });
      const before = seen;
      seen += accounts.length;
      if (Math.floor(seen / 1000) > Math.floor(before / 1000)) {
        this.logger.log(
          `${currency.code} ${period}: ${seen} accounts done, ${result.accountsCharged} charged`,
        );
      }
    }
    this.logger.log(
      `${currency.code} ${period}: ${result.accountsCharged} charged, ${result.alreadyCharged} already charged, ${result.failed} failed`,
    );
    return result;
  }

  /** Every night: charges the current period of every currency with demurrage (a no-op once charged). */
  @Cron('0 30 2 * * *', { name: 'demurrage' })
  async nightly(): Promise<void> {
    // Every community's currencies; each one's charge is then its community's work.
    const due = await withoutCommunity(() =>
      this.dataSource.query<Array<{ community_id: string; currency_code: string }>>(
        `SELECT DISTINCT ON (community_id, currency_code) community_id, currency_code, rules
           FROM currency_policies ORDER BY community_id, currency_code, version DESC`,
      ),
    );
    for (const row of due) {
      try {
        await withinCommunity(row.community_id, async () => {
          const rules = (
            await this.currencies.currentPolicies(row.community_id, [row.currency_code])
          ).get(row.currency_code)?.rules;
          if (rules?.demurrage !== null && rules?.demurrage !== undefined) {
            await this.run(row.community_id, row.currency_code);
          }
        });
      } catch (error) {
        this.logger.error(
          { err: error, currency: row.currency_code },
          'nightly demurrage failed; tomorrow tries again',
        );
      }
    }
  }
}
