import { Module } from '@nestjs/common';
import { CurrenciesModule } from '../currencies/currencies.module';
import { AccountLoaders } from './account-loaders';
import { AccountsResolver } from './accounts.resolver';
import { AccountsService } from './accounts.service';
import { SystemAccountsProvider } from './system-accounts.provider';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountEntity } from './account.entity';

@Module({
  imports: [TypeOrmModule.forFeature([AccountEntity]), CurrenciesModule],
  providers: [AccountsService, AccountsResolver, AccountLoaders, SystemAccountsProvider],
  exports: [AccountsService, AccountLoaders],
})
export class AccountsModule {}
