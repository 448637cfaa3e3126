import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import { DataSource, In } from 'typeorm';
import { AccountEntity } from '../accounts/account.entity';
import { CurrenciesService } from '../currencies/currencies.service';
import { Currency, toCurrency } from '../currencies/currency.model';
import { CurrencyEntity } from '../currencies/currency.entity';
import { EntryEntity } from '../transfers/entry.entity';
import { TransferEntity } from '../transfers/transfer.entity';
import { UserEntity } from '../users/user.entity';

/**
 * Batched lookups for nested GraphQL fields: a page of 100 transfers asks
 * for their 200 accounts, currencies and owners in a handful of queries, not
 * hundreds. Loaders live for one HTTP request (they cache) and one community
 * (every key is looked up inside the caller's community only).
 */
export interface RequestLoaders {
  account: DataLoader<string, AccountEntity | null>;
  currency: DataLoader<string, Currency | null>;
  user: DataLoader<string, UserEntity | null>;
  transfer: DataLoader<string, TransferEntity | null>;
  entriesOfTransfer: DataLoader<string, EntryEntity[]>;
  reversalOf: DataLoader<string, TransferEntity | null>;
}

@Injectable()
export class LoadersService {
  private readonly perRequest = new WeakMap<object, Map<string, RequestLoaders>>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly currencies: CurrenciesService,
  ) {}

  for(request: object, communityId: string): RequestLoaders {
    let byCommunity = this.perRequest.get(request);
    if (byCommunity === undefined) {
      byCommunity = new Map();
      this.perRequest.set(request, byCommunity);
    }
    let loaders = byCommunity.get(communityId);
    if (loaders === undefined) {
      loaders = this.create(communityId);
      byCommunity.set(communityId, loaders);
    }
    return loaders;
  }

  private create(communityId: string): RequestLoaders {
    const byKey = <T>(
      rows: T[],
      keyOf: (row: T) => string,
      keys: readonly string[],
    ): Array<T | null> => {
      const found = new Map(rows.map((row) => [keyOf(row), row]));
      return keys.map((key) => found.get(key) ?? null);
    };
    return {
      account: new DataLoader(async (ids) =>
        byKey(
          await this.dataSource
            .getRepository(AccountEntity)
            .findBy({ communityId, id: In([...ids]) }),
          (row) => row.id,
          ids,
        ),
      ),
      user: new DataLoader(async (ids) =>
        byKey(
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
      transfer: new DataLoader(async (ids) =>
        byKey(
          await this.dataSource
            .getRepository(TransferEntity)
            .findBy({ communityId, id: In([...ids]) }),
          (row) => row.id,
          ids,
        ),
      ),
      reversalOf: new DataLoader(async (ids) =>
        byKey(
          await this.dataSource
            .getRepository(TransferEntity)
            .findBy({ communityId, reversalOf: In([...ids]) }),
          (row) => row.reversalOf ?? '',
          ids,
        ),
      ),
      entriesOfTransfer: new DataLoader(async (ids) => {
        const rows = await this.dataSource
          .getRepository(EntryEntity)
          .find({ where: { communityId, transferId: In([...ids]) }, order: { accountId: 'ASC' } });
        return ids.map((id) => rows.filter((row) => row.transferId === id));
      }),
    };
  }
}
