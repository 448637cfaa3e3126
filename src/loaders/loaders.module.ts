import { Global, Module } from '@nestjs/common';
import { CurrenciesModule } from '../currencies/currencies.module';
import { LoadersService } from './loaders.service';

@Global()
@Module({
  imports: [CurrenciesModule],
  providers: [LoadersService],
  exports: [LoadersService],
})
export class LoadersModule {}
