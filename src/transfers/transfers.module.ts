import { Module } from '@nestjs/common';
import { CurrenciesModule } from '../currencies/currencies.module';
import { AccountScaleCache } from './account-scale.cache';
import { ExpirySweeper } from './expiry-sweeper';
import { LedgerVerifier } from './ledger-verifier.service';
import { PostingEngine } from './posting-engine';
import { EntriesResolver, TransfersResolver } from './transfers.resolver';
import { TransfersService } from './transfers.service';

@Module({
  imports: [CurrenciesModule],
  providers: [
    PostingEngine,
    TransfersService,
    TransfersResolver,
    EntriesResolver,
    LedgerVerifier,
    AccountScaleCache,
    ExpirySweeper,
  ],
  exports: [PostingEngine, TransfersService, AccountScaleCache],
})
export class TransfersModule {}
