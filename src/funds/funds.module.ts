import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AppConfig } from '../common/config/app-config';
import { AccountsModule } from '../accounts/accounts.module';
import { CurrenciesModule } from '../currencies/currencies.module';
import { FundAccountOpening } from './fund-account-opening';
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
 * disbursements. A fund's stewards are recorded in the transaction that
 * opens its account (FundAccountOpening, a hook of AccountsService), and
 * changed by FundStewardsService (setFundStewards).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([FundEntity, FundStewardEntity, DisbursementVoteEntity]),
    AccountsModule,
    CurrenciesModule,
    TransfersModule,
  ],
  providers: [
    FundAccountOpening,
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
