import { Module } from '@nestjs/common';
import { CurrenciesModule } from '../currencies/currencies.module';
import { TransfersModule } from '../transfers/transfers.module';
import { DemurrageService } from './demurrage.service';
import { IssuanceResolver } from './issuance.resolver';
import { IssuanceService } from './issuance.service';

@Module({
  imports: [CurrenciesModule, TransfersModule],
  providers: [IssuanceService, DemurrageService, IssuanceResolver],
  exports: [IssuanceService],
})
export class IssuanceModule {}
