import { Module } from '@nestjs/common';
import { CurrenciesResolver } from './currencies.resolver';
import { CurrenciesService } from './currencies.service';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CurrencyEntity } from './currency.entity';
import { CurrencyPolicyEntity } from './currency-policy.entity';

@Module({
  imports: [TypeOrmModule.forFeature([CurrencyEntity, CurrencyPolicyEntity])],
  providers: [CurrenciesService, CurrenciesResolver],
  exports: [CurrenciesService],
})
export class CurrenciesModule {}
