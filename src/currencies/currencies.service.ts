import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { isUniqueViolation } from '../common/database/postgres-errors';
import { AppError, invalidInput } from '../common/errors/app-error';
import {
  AccountKind,
  LedgerError,
  parseAmount,
  parsePercent,
  parseRate,
  parseSignedAmount,
} from '../ledger';
import { CurrencyPolicyEntity } from './currency-policy.entity';
import { CurrencyEntity, CurrencyKind } from './currency.entity';
import { CreateCurrencyInput, IssuancePolicyInput } from './dto/create-currency.input';
import { DemurragePeriod, FeePayerEnum, IssuanceMode, PolicyRules } from './issuance-policy';
import { SystemAccounts } from './system-accounts';

/** At most this many currencies per community: a handful is normal. */
export const MAX_CURRENCIES_PER_COMMUNITY = 50;

@Injectable()
export class CurrenciesService {
  private systemAccounts?: SystemAccounts;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * A currency, its first policy version and its ISSUANCE account (no floor:
   * its negative balance is the money in circulation), together or not at all.
   */
  async create(
    communityId: string,
    stewardId: string,
    input: CreateCurrencyInput,
  ): Promise<CurrencyEntity> {
    const rules = await this.parseRules(communityId, input, input.policy, null);
    try {
      return await this.dataSource.transaction(async (manager) => {
        const count = await manager.countBy(CurrencyEntity, { communityId });
        if (count >= MAX_CURRENCIES_PER_COMMUNITY) {
          throw new AppError(
            'CONFLICT',
            `A community has at most ${MAX_CURRENCIES_PER_COMMUNITY} currencies`,
          );
        }
        // insert, not save: save would quietly update a currency with the same code.
        const currency = manager.create(CurrencyEntity, {
          communityId,
          code: input.code,
          name: input.name,
          kind: input.kind,
          scale: input.scale,
          createdBy: stewardId,
        });
        await manager.insert(CurrencyEntity, currency);
        if (rules.reserveCurrencyCode !== null) {
          rules.reserveAccountId = await this.accounts().open(
            manager,
            communityId,
            rules.reserveCurrencyCode,
            AccountKind.RESERVE,
            `Reserve backing ${input.code}`,
          );
          if (rules.redemptionFeeAccountId === null || rules.redemptionFeeAccountId === undefined) {
            rules.redemptionFeeAccountId = await this.accounts().open(
              manager,
              communityId,
              input.code,
              AccountKind.FEES,
              'Redemption fees',
            );
          }
        }
        await manager.insert(CurrencyPolicyEntity, {
          communityId,
          currencyCode: input.code,
          version: 1,
          rules,
          createdBy: stewardId,
        });
        await this.accounts().open(
          manager,
          communityId,
          input.code,
          AccountKind.ISSUANCE,
          'Issuance',
        );
        return currency;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'pk_currencies')) {
        throw new AppError('CONFLICT', `code: a currency ${input.code} exists already`, {
          field: 'code',
        });
      }
      throw error;
    }
  }

  /** Called once by the accounts module when it starts (see SystemAccounts). */
  useSystemAccounts(accounts: SystemAccounts): void {
    this.systemAccounts = accounts;
  }

  private accounts(): SystemAccounts {
    if (this.systemAccounts === undefined) {
      throw new Error('the accounts module has not provided its system accounts to currencies');
    }
    return this.systemAccounts;
  }

  /**
   * A currency of the community, NOT_FOUND otherwise. Inside a transaction,
   * pass its `manager`: a transaction that holds a connection (and perhaps
   * row locks) must not wait for a second one from the pool, whose other
   * connections may all be waiting on those very locks.
   */
  async get(
    communityId: string,
    code: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<CurrencyEntity> {
    const currency = await manager.getRepository(CurrencyEntity).findOneBy({ communityId, code });
    if (currency === null)
      throw new AppError('NOT_FOUND', `No currency ${code}`, { field: 'currencyCode' });
    return currency;
  }

  list(communityId: string): Promise<CurrencyEntity[]> {
    return this.dataSource
      .getRepository(CurrencyEntity)
      .find({ where: { communityId }, order: { code: 'ASC' }, take: MAX_CURRENCIES_PER_COMMUNITY });
  }

  /** The policy version in force for each of these currencies. */
  async currentPolicies(
    communityId: string,
    codes: readonly string[],
  ): Promise<Map<string, { version: number; rules: PolicyRules }>> {
    const rows = await this.dataSource.query<
      Array<{ currency_code: string; version: number; rules: PolicyRules }>
    >(
      `SELECT DISTINCT ON (currency_code) currency_code, version, rules
         FROM currency_policies
        WHERE community_id = $1 AND currency_code = ANY($2::varchar[])
        ORDER BY currency_code, version DESC`,
      [communityId, codes],
    );
    return new Map(
      rows.map((row) => [row.currency_code, { version: row.version, rules: row.rules }]),
    );
  }

  /**
   * Turns a policy as given through the API into stored rules, checking every
   * amount against the currency's scale, every rate, and every account it
   * names (a fee account must be a FEES or FUND account of this currency).
   * Errors name the field.
   */
  async parseRules(
    communityId: string,
    currency: { code: string; kind: CurrencyKind; scale: number },
    policy: IssuancePolicyInput | undefined,
    previous: PolicyRules | null,
  ): Promise<PolicyRules> {
    const { kind, scale } = currency;
    const mode =
      policy?.mode ??
      (kind === CurrencyKind.TIME ? IssuanceMode.MUTUAL_CREDIT : IssuanceMode.BACKED);
    const amount = (
      field: string,
      value: string | null | undefined,
      positive = false,
    ): string | null => {
      if (value === null || value === undefined) return null;
      try {
        return (positive ? parseAmount(value, scale) : parseSignedAmount(value, scale)).toString();
      } catch (error) {
        if (error instanceof LedgerError) throw invalidInput(field, `${field}: ${error.message}`);
        throw error;
      }
    };
    const rate = (field: string, value: string | undefined, asPercent = false): string | null => {
      if (value === undefined) return null;
      try {
        return (asPercent ? parsePercent(value) : parseRate(value)).toFixed();
      } catch (error) {
        if (error instanceof LedgerError) throw invalidInput(field, `${field}: ${error.message}`);
        throw error;
      }
    };
    const floor = amount('defaultFloor', policy?.defaultFloor) ?? '0';
    const ceiling = amount('defaultCeiling', policy?.defaultCeiling);
    if (ceiling !== null && BigInt(floor) > BigInt(ceiling)) {
      throw invalidInput('defaultCeiling', 'defaultCeiling: must not be below defaultFloor');
    }
    const rules: PolicyRules = {
      mode,
      defaultFloorMinor: floor,
      defaultCeilingMinor: ceiling,
      onboardingGrantMinor: amount('onboardingGrant', policy?.onboardingGrant, true),
      reserveCurrencyCode: null,
      reserveAccountId: null,
      mintRate: null,
      backingRatio: null,
      redemptionFeePercent: null,
      redemptionFeeAccountId: null,
      transactionFeePercent: rate('transactionFeePercent', policy?.transactionFeePercent, true),
      transactionFeeFixedMinor: amount('transactionFeeFixed', policy?.transactionFeeFixed, true),
      transactionFeePaidBy: policy?.transactionFeePaidBy ?? FeePayerEnum.PAYER,
      transactionFeeAccountId: null,
      maxTransferMinor: amount('maxTransfer', policy?.maxTransfer, true),
      dailyOutflowLimitMinor: amount('dailyOutflowLimit', policy?.dailyOutflowLimit, true),
    };
    const demurragePercent = rate('demurragePercent', policy?.demurragePercent, true);
    if (demurragePercent !== null) {
      if (policy?.demurrageFundAccountId === undefined) {
        throw invalidInput(
          'demurrageFundAccountId',
          'demurrageFundAccountId: demurrage needs a fund to receive it',
        );
      }
      rules.demurrage = {
        percent: demurragePercent,
        period: policy.demurragePeriod ?? DemurragePeriod.QUARTER,
        accountKinds: policy.demurrageAccountKinds ?? [AccountKind.MEMBER, AccountKind.SHOP],
        fundAccountId: await this.feeAccount(
          communityId,
          currency.code,
          policy.demurrageFundAccountId,
          'demurrageFundAccountId',
        ),
      };
    }
    const earnedPercent = rate('earnedCreditPercent', policy?.earnedCreditPercent, true);
    const earnedCap = amount('earnedCreditCap', policy?.earnedCreditCap, true);
    if (earnedPercent !== null || earnedCap !== null) {
      if (mode !== IssuanceMode.MUTUAL_CREDIT) {
        throw invalidInput(
          'earnedCreditPercent',
          'earnedCreditPercent: earning a lower floor is a MUTUAL_CREDIT rule',
        );
      }
      if (earnedPercent === null || earnedCap === null) {
        throw invalidInput(
          earnedPercent === null ? 'earnedCreditPercent' : 'earnedCreditCap',
          'earnedCreditPercent and earnedCreditCap: both are needed to earn a lower floor',
        );
      }
      rules.earnedCredit = { percent: earnedPercent, capMinor: earnedCap };
    }
    const hasFee = rules.transactionFeePercent !== null || rules.transactionFeeFixedMinor !== null;
    if (hasFee) {
      if (policy?.transactionFeeAccountId === undefined) {
        throw invalidInput(
          'transactionFeeAccountId',
          'transactionFeeAccountId: a fee needs an account to receive it',
        );
      }
      rules.transactionFeeAccountId = await this.feeAccount(
        communityId,
        currency.code,
        policy.transactionFeeAccountId,
        'transactionFeeAccountId',
      );
    }
    if (mode === IssuanceMode.BACKED && kind !== CurrencyKind.NATIONAL) {
      // A NATIONAL currency mirrors money held outside Mutua: it backs others and has no reserve of its own.
      if (policy?.reserveCurrencyCode !== undefined) {
        const reserve = await this.dataSource
          .getRepository(CurrencyEntity)
          .findOneBy({ communityId, code: policy.reserveCurrencyCode });
        if (reserve === null || reserve.kind !== CurrencyKind.NATIONAL) {
          throw invalidInput(
            'reserveCurrencyCode',
            'reserveCurrencyCode: must name a NATIONAL currency of this community',
          );
        }
        rules.reserveCurrencyCode = reserve.code;
        rules.reserveAccountId =
          previous?.reserveCurrencyCode === reserve.code
            ? (previous.reserveAccountId ?? null)
            : null;
      }
      rules.mintRate = rate('mintRate', policy?.mintRate);
      rules.backingRatio = rate('backingRatio', policy?.backingRatio);
      rules.redemptionFeePercent = rate('redemptionFeePercent', policy?.redemptionFeePercent, true);
      if (
        rules.reserveCurrencyCode !== null &&
        (rules.mintRate === null || rules.backingRatio === null)
      ) {
        throw invalidInput('mintRate', 'mintRate and backingRatio: both are needed with a reserve');
      }
      if (policy?.redemptionFeeAccountId !== undefined) {
        rules.redemptionFeeAccountId = await this.feeAccount(
          communityId,
          currency.code,
          policy.redemptionFeeAccountId,
          'redemptionFeeAccountId',
        );
      } else {
        rules.redemptionFeeAccountId = previous?.redemptionFeeAccountId ?? null;
      }
    }
    return rules;
  }

  private async feeAccount(
    communityId: string,
    currencyCode: string,
    id: string,
    field: string,
  ): Promise<string> {
    const account = await this.accounts().describe(communityId, id);
    if (
      account === null ||
      account.currencyCode !== currencyCode ||
      (account.kind !== AccountKind.FEES && account.kind !== AccountKind.FUND)
    ) {
      throw invalidInput(field, `${field}: must be a FEES or FUND account of ${currencyCode}`);
    }
    return id;
  }
}
