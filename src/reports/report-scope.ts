import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, ObjectLiteral } from 'typeorm';
import { mayReadAccount } from '../accounts/account-access';
import { AccountEntity } from '../accounts/account.entity';
import { Actor } from '../access/actor';
import { AppError, invalidInput } from '../common/errors/app-error';
import { CurrenciesService } from '../currencies/currencies.service';
import { CurrencyEntity } from '../currencies/currency.entity';

const JOINED_CURRENCY = 'reportCurrency';

export interface ReadableAccount {
  account: AccountEntity;
  currency: CurrencyEntity;
  /** The raw values of the extras asked for, by key. */
  extras: Record<string, unknown>;
}

/**
 * What a report may look at. Every report reads inside the caller's
 * community only, so another community's account or currency is NOT_FOUND,
 * never FORBIDDEN. Within the community an account's reports follow
 * mayReadAccount (its owner, the owner's till keys that read payments, and
 * stewards); currency-wide reports (trial balance, circulation, exports) are
 * for stewards, which the resolvers' access rules already require.
 */
@Injectable()
export class ReportScope {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly currencies: CurrenciesService,
  ) {}

  /**
   * An account the caller may read, with its currency, in one statement.
   * `extras` are further values a report needs about the account, as SQL
   * expressions over the alias `account` (e.g. its balance at an instant),
   * read in the same statement and returned raw under their keys: a report
   * then costs one round trip for all it learns about the account.
   */
  async readableAccount(
    actor: Actor,
    accountId: string,
    extras: { select: Record<string, string>; parameters?: ObjectLiteral } = { select: {} },
  ): Promise<ReadableAccount> {
    const query = this.dataSource
      .getRepository(AccountEntity)
      .createQueryBuilder('account')
      // Mapped onto a property of its own, read and removed below: the
      // documented TypeORM way to hydrate a joined entity that is no relation.
      .innerJoinAndMapOne(
        `account.${JOINED_CURRENCY}`,
        CurrencyEntity,
        'currency',
        'currency.communityId = account.communityId AND currency.code = account.currencyCode',
      )
      .where('account.communityId = :communityId AND account.id = :accountId', {
        communityId: actor.communityId,
        accountId,
      })
      .setParameters(extras.parameters ?? {});
    for (const [key, sql] of Object.entries(extras.select)) query.addSelect(sql, key);
    const { entities, raw } = await query.getRawAndEntities();
    const account = entities[0] as
      (AccountEntity & { [JOINED_CURRENCY]?: CurrencyEntity }) | undefined;
    if (account === undefined)
      throw new AppError('NOT_FOUND', 'No such account', { field: 'accountId' });
    if (!mayReadAccount(actor, account)) {
      throw new AppError('FORBIDDEN', "Only the account's owner and stewards see its reports");
    }
    const currency = account[JOINED_CURRENCY];
    delete account[JOINED_CURRENCY];
    if (currency === undefined) throw new Error(`account ${account.id} has no currency`);
    const row = raw[0] as Record<string, unknown>;
    const values: Record<string, unknown> = {};
    for (const key of Object.keys(extras.select)) values[key] = row[key];
    return { account, currency, extras: values };
  }

  /** A currency of the caller's community. */
  currency(actor: Actor, currencyCode: string): Promise<CurrencyEntity> {
    return this.currencies.get(actor.communityId, currencyCode);
  }
}

/**
 * Refuses a period whose end is not after its start. An end given as null
 * (a client's empty variable) is an open end, as if left out.
 */
export function checkPeriod(from: Date | null | undefined, to: Date | null | undefined): void {
  if (from instanceof Date && to instanceof Date && from.getTime() >= to.getTime()) {
    throw invalidInput('to', 'to: must be later than from');
  }
}
