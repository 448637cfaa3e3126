import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AccountEntity, AccountKind, AccountStatusEnum } from '../accounts/account.entity';
import { isUniqueViolation } from '../common/database/postgres-errors';
import { AppError, invalidInput } from '../common/errors/app-error';
import { GENESIS_HASH, LedgerError, parseRate, parsePercent, parseSignedAmount } from '../ledger';
import { CurrencyPolicyEntity } from './currency-policy.entity';
import { CurrencyEntity, CurrencyKind } from './currency.entity';
import { CreateCurrencyInput, IssuancePolicyInput } from './dto/create-currency.input';
import { IssuanceMode, PolicyRules } from './issuance-policy';

/** At most this many currencies per community: a handful is normal. */
export const MAX_CURRENCIES_PER_COMMUNITY = 50;

@Injectable()
export class CurrenciesService {
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
    const rules = await this.rulesFromInput(communityId, input.kind, input.scale, input.policy);
    try {
      return await this.dataSource.transaction(async (manager) => {
        const count = await manager.countBy(CurrencyEntity, { communityId });
        if (count >= MAX_CURRENCIES_PER_COMMUNITY) {
          throw new AppError(
            'CONFLICT',
            `A community has at most ${MAX_CURRENCIES_PER_COMMUNITY} currencies`,
          );
        }
        const currency = await manager.save(
          manager.create(CurrencyEntity, {
            communityId,
            code: input.code,
            name: input.name,
            kind: input.kind,
            scale: input.scale,
            createdBy: stewardId,
          }),
        );
        await manager.insert(CurrencyPolicyEntity, {
          communityId,
          currencyCode: input.code,
          version: 1,
          rules,
          createdBy: stewardId,
        });
        await this.openSystemAccount(
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

  async openSystemAccount(
    manager: EntityManager,
    communityId: string,
    currencyCode: string,
    kind: AccountKind,
    name: string,
  ): Promise<AccountEntity> {
    return manager.save(
      manager.create(AccountEntity, {
        communityId,
        id: randomUUID(),
        currencyCode,
        kind,
        name,
        ownerId: null,
        status: AccountStatusEnum.OPEN,
        floorMinor: null,
        ceilingMinor: null,
        warningMinor: null,
        balanceMinor: '0',
        pendingDebitMinor: '0',
        pendingCreditMinor: '0',
        entryCount: '0',
        lastHash: GENESIS_HASH,
      }),
    );
  }

  async get(communityId: string, code: string): Promise<CurrencyEntity> {
    const currency = await this.dataSource
      .getRepository(CurrencyEntity)
      .findOneBy({ communityId, code });
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

  private async rulesFromInput(
    communityId: string,
    kind: CurrencyKind,
    scale: number,
    policy: IssuancePolicyInput | undefined,
  ): Promise<PolicyRules> {
    const mode =
      policy?.mode ??
      (kind === CurrencyKind.TIME ? IssuanceMode.MUTUAL_CREDIT : IssuanceMode.BACKED);
    const parse = (field: string, value: string | null | undefined): bigint | null => {
      if (value === null || value === undefined) return null;
      try {
        return parseSignedAmount(value, scale);
      } catch (error) {
        if (error instanceof LedgerError) throw invalidInput(field, `${field}: ${error.message}`);
        throw error;
      }
    };
    const floor =
      parse('defaultFloor', policy?.defaultFloor) ?? (kind === CurrencyKind.TIME ? null : 0n);
    const ceiling = parse('defaultCeiling', policy?.defaultCeiling);
    if (floor !== null && ceiling !== null && floor > ceiling) {
      throw invalidInput('defaultCeiling', 'defaultCeiling: must not be below defaultFloor');
    }
    const rules: PolicyRules = {
      mode,
      defaultFloorMinor: (floor ?? 0n).toString(),
      defaultCeilingMinor: ceiling === null ? null : ceiling.toString(),
      reserveCurrencyCode: null,
      mintRate: null,
      backingRatio: null,
      redemptionFeePercent: null,
    };
    if (mode === IssuanceMode.BACKED) {
      if (kind === CurrencyKind.NATIONAL) {
        // A reserve currency mirrors money held outside Mutua: it has no policy of its own.
        return rules;
      }
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
      }
      const rate = (field: string, value: string | undefined, asPercent = false) => {
        if (value === undefined) return null;
        try {
          return (asPercent ? parsePercent(value) : parseRate(value)).toFixed();
        } catch (error) {
          if (error instanceof LedgerError) throw invalidInput(field, `${field}: ${error.message}`);
          throw error;
        }
      };
      rules.mintRate = rate('mintRate', policy?.mintRate);
      rules.backingRatio = rate('backingRatio', policy?.backingRatio);
      rules.redemptionFeePercent = rate('redemptionFeePercent', policy?.redemptionFeePercent, true);
    }
    return rules;
  }
}
