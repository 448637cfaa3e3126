import { Module } from '@nestjs/common';
import { CurrenciesModule } from '../currencies/currencies.module';
import { TransfersModule } from '../transfers/transfers.module';
import { DisbursementsService } from './disbursements.service';
import { DEFAULT_FUNDS_OPTIONS, FUNDS_OPTIONS } from './funds.options';
import { FundsResolver } from './funds.resolver';
import { FundsService } from './funds.service';

/**
 * Mutual-aid funds: the stewards of FUND accounts and their votes on
 * disbursements. A fund's stewards are recorded by AccountsService when the
 * account opens, through the plain function in record-fund.ts.
 */
@Module({
  imports: [CurrenciesModule, TransfersModule],
  providers: [
    FundsService,
    DisbursementsService,
    FundsResolver,
    { provide: FUNDS_OPTIONS, useValue: DEFAULT_FUNDS_OPTIONS },
  ],
})
export class FundsModule {}
