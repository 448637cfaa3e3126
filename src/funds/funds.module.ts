import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AppConfig } from '../common/config/app-config';
import { CurrenciesModule } from '../currencies/currencies.module';
import { TransfersModule } from '../transfers/transfers.module';
import { DisbursementsService } from './disbursements.service';
import { FUNDS_OPTIONS, fundsOptionsFrom } from './funds.options';
import { FundStewardsService } from './fund-stewards.service';
import { FundsResolver } from './funds.resolver';
import { FundsService } from './funds.service';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FundEntity } from './fund.entity';
import { FundStewardEntity } from './fund-steward.entity';
import { DisbursementVoteEntity } from './disbursement-vote.entity';

/**
 * Mutual-aid funds: the stewards of FUND accounts and their votes on
 * disbursements. A fund's stewards are recorded by AccountsService when the
 * account opens, through the plain function in record-fund.ts, and changed
 * by FundStewardsService (setFundStewards).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([FundEntity, FundStewardEntity, DisbursementVoteEntity]),
    CurrenciesModule,
    TransfersModule,
  ],
  providers: [
    FundsService,
    DisbursementsService,
    FundStewardsService,
    FundsResolver,
    {
      // From DISBURSEMENT_EXPIRY_HOURS; tests override this provider for a short expiry.
      provide: FUNDS_OPTIONS,
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) =>
        fundsOptionsFrom({
          DISBURSEMENT_EXPIRY_HOURS: config.get('DISBURSEMENT_EXPIRY_HOURS', { infer: true }),
        }),
    },
  ],
})
export class FundsModule {}
