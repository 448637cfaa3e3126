import { Module } from '@nestjs/common';
import { CurrenciesResolver } from './currencies.resolver';
import { CurrenciesService } from './currencies.service';

@Module({
  providers: [CurrenciesService, CurrenciesResolver],
  exports: [CurrenciesService],
})
export class CurrenciesModule {}
