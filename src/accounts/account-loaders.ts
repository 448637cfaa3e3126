import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import { DataSource, In } from 'typeorm';
import { perRequest, rowsByKey } from '../common/graphql/per-request';
import { CurrenciesService } from '../currencies/currencies.service';
import { Currency, toCurrency } from '../currencies/currency.model';
import { CurrencyEntity } from '../currencies/currency.entity';
import { UserEntity } from '../users/user.entity';
import { AccountEntity } from './account.entity';

/** Loaders of accounts and what an account's fields show: its currency, its owner. */
export interface AccountLoadersOfRequest {
  account: DataLoader<string, AccountEntity | null>;
  currency: DataLoader<string, Currency | null>;
  user: DataLoader<string, UserEntity | null>;
}

/**
 * Batched lookups for nested GraphQL fields: a page of 100 transfers asks
 * for their 200 accounts, currencies and owners in a handful of queries, not
 * hundreds. Loaders live for one HTTP request (they cache) and one community
 * (every key is looked up inside the caller's community only).
 */
@Injectable()
export class AccountLoaders {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly currencies: CurrenciesService,
  ) {}

  for(request: object, communityId: string): AccountLoadersOfRequest {
    return perRequest(request, `accounts:${communityId}`, () => this.create(communityId));
  }

  private create(communityId: string): AccountLoadersOfRequest {
    return {
      account: new DataLoader(async (ids) =>
        rowsByKey(
          await this.dataSource
            .getRepository(AccountEntity)
            .findBy({ communityId, id: In([...ids]) }),
          (row) => row.id,
          ids,
        ),
      ),
      user: new DataLoader(async (ids) =>
        rowsByKey(
          await this.dataSource.getRepository(UserEntity).findBy({ communityId, id: In([...ids]) }),
          (row) => row.id,
          ids,
        ),
      ),
      currency: new DataLoader(async (codes) => {
        const rows = await this.dataSource
          .getRepository(CurrencyEntity)
          .findBy({ communityId, code: In([...codes]) });
        const policies = await this.currencies.currentPolicies(communityId, codes);
        return codes.map((code) => {
          const row = rows.find((candidate) => candidate.code === code);
          if (row === undefined) return null;
          const policy = policies.get(code);
          return toCurrency(row, policy?.rules ?? null, policy?.version ?? null);
        });
      }),
    };
  }
}
