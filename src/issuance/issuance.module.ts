import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { CurrenciesModule } from '../currencies/currencies.module';
import { TransfersModule } from '../transfers/transfers.module';
import { DemurrageService } from './demurrage.service';
import { IssuanceResolver } from './issuance.resolver';
import { IssuanceService } from './issuance.service';
import { OnboardingGrant } from './onboarding-grant';

@Module({
  imports: [AccountsModule, CurrenciesModule, TransfersModule],
  providers: [IssuanceService, DemurrageService, IssuanceResolver, OnboardingGrant],
  exports: [IssuanceService],
})
export class IssuanceModule {}
