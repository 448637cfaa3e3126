import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import { DataSource, In } from 'typeorm';
import { perRequest, rowsByKey } from '../common/graphql/per-request';
import { EntryEntity } from './entry.entity';
import { TransferEntity } from './transfer.entity';

/** Loaders of transfers, their entries and their reversals. */
export interface TransferLoadersOfRequest {
  transfer: DataLoader<string, TransferEntity | null>;
  entriesOfTransfer: DataLoader<string, EntryEntity[]>;
  reversalOf: DataLoader<string, TransferEntity | null>;
}

/**
 * Batched lookups of transfers for nested GraphQL fields, per HTTP request
 * and per community, as AccountLoaders does for accounts.
 */
@Injectable()
export class TransferLoaders {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  for(request: object, communityId: string): TransferLoadersOfRequest {
    return perRequest(request, `transfers:${communityId}`, () => this.create(communityId));
  }

  private create(communityId: string): TransferLoadersOfRequest {
    return {
      transfer: new DataLoader(async (ids) =>
        rowsByKey(
          await this.dataSource
            .getRepository(TransferEntity)
            .findBy({ communityId, id: In([...ids]) }),
          (row) => row.id,
          ids,
        ),
      ),
      reversalOf: new DataLoader(async (ids) =>
        rowsByKey(
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
