import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { CurrenciesModule } from '../currencies/currencies.module';
import { ExpirySweeper } from './expiry-sweeper';
import { LedgerCheckpointsService } from './ledger-checkpoints.service';
import { LedgerDirectory } from './ledger-directory';
import { LedgerSigningKey } from './ledger-signing-key';
import { LedgerStore } from './ledger-store';
import { LedgerVerifier } from './ledger-verifier.service';
import { PostingService } from './posting.service';
import { EntriesResolver, TransfersResolver } from './transfers.resolver';
import { TransferLoaders } from './transfer-loaders';
import { TransfersService } from './transfers.service';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TransferEntity } from './transfer.entity';
import { EntryEntity } from './entry.entity';
import { LedgerCheckpointEntity } from './ledger-checkpoint.entity';

@Module({
  imports: [
    TypeOrmModule.forFeature([TransferEntity, EntryEntity, LedgerCheckpointEntity]),
    CurrenciesModule,
    AccountsModule,
  ],
  providers: [
    LedgerDirectory,
    LedgerStore,
    PostingService,
    TransfersService,
    TransfersResolver,
    EntriesResolver,
    LedgerVerifier,
    LedgerSigningKey,
    LedgerCheckpointsService,
    ExpirySweeper,
    TransferLoaders,
  ],
  exports: [PostingService, TransfersService, LedgerDirectory, TransferLoaders],
})
export class TransfersModule {}
