import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { mayReadAccount } from '../accounts/account-access';
import { AccountEntity } from '../accounts/account.entity';
import { Actor } from '../auth/actor';
import { AppError, invalidInput } from '../common/errors/app-error';
import { CurrenciesService } from '../currencies/currencies.service';
import { CurrencyEntity } from '../currencies/currency.entity';

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

  /** An account the caller may read, with its currency. */
  async readableAccount(
    actor: Actor,
    accountId: string,
  ): Promise<{ account: AccountEntity; currency: CurrencyEntity }> {
    const account = await this.dataSource
      .getRepository(AccountEntity)
      .findOneBy({ communityId: actor.communityId, id: accountId });
    if (account === null)
      throw new AppError('NOT_FOUND', 'No such account', { field: 'accountId' });
    if (!mayReadAccount(actor, account)) {
      throw new AppError('FORBIDDEN', "Only the account's owner and stewards see its reports");
    }
    const currency = await this.currencies.get(actor.communityId, account.currencyCode);
    return { account, currency };
  }

  /** A currency of the caller's community. */
  currency(actor: Actor, currencyCode: string): Promise<CurrencyEntity> {
    return this.currencies.get(actor.communityId, currencyCode);
  }
}

/** Refuses a period whose end is not after its start. */
export function checkPeriod(from: Date | undefined, to: Date | undefined): void {
  if (from !== undefined && to !== undefined && from.getTime() >= to.getTime()) {
    throw invalidInput('to', 'to: must be later than from');
  }
}
