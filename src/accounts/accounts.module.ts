import { Module } from '@nestjs/common';
import { CurrenciesModule } from '../currencies/currencies.module';
import { IssuanceModule } from '../issuance/issuance.module';
import { AccountsResolver } from './accounts.resolver';
import { AccountsService } from './accounts.service';

@Module({
  imports: [CurrenciesModule, IssuanceModule],
  providers: [AccountsService, AccountsResolver],
  exports: [AccountsService],
})
export class AccountsModule {}
