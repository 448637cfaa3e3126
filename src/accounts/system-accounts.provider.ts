import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CurrenciesService } from '../currencies/currencies.service';
import { AccountKind } from '../ledger';
import { AccountEntity, newAccountRow } from './account.entity';

/**
 * The accounts a currency opens and checks (its ISSUANCE, RESERVE and fee
 * accounts), handed to CurrenciesService when the module starts, so that
 * currencies need not import accounts.
 */
@Injectable()
export class SystemAccountsProvider implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly currencies: CurrenciesService,
  ) {}

  onModuleInit(): void {
    this.currencies.useSystemAccounts({
      open: (manager, communityId, currencyCode, kind, name) =>
        this.open(manager, communityId, currencyCode, kind, name),
      describe: async (communityId, id) => {
        const account = await this.dataSource
          .getRepository(AccountEntity)
          .findOneBy({ communityId, id });
        return account === null ? null : { currencyCode: account.currencyCode, kind: account.kind };
      },
    });
  }

  private async open(
    manager: EntityManager,
    communityId: string,
    currencyCode: string,
    kind: AccountKind,
    name: string,
  ): Promise<string> {
    const account = await manager.save(
      manager.create(
        AccountEntity,
        newAccountRow({
          communityId,
          currencyCode,
          kind,
          name,
          ownerId: null,
          // ISSUANCE has no floor: its negative balance is the money in circulation.
          floorMinor: kind === AccountKind.ISSUANCE ? null : '0',
          ceilingMinor: null,
        }),
      ),
    );
    return account.id;
  }
}
