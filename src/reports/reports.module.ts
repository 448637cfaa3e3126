import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AuthModule } from '../auth/auth.module';
import { CurrenciesModule } from '../currencies/currencies.module';
import { TransfersModule } from '../transfers/transfers.module';
import { BalancesService } from './balances.service';
import { CirculationService } from './circulation.service';
import { ExportsController } from './exports.controller';
import { FundReportService } from './fund-report.service';
import { JournalExportService } from './journal-export.service';
import { ReportScope } from './report-scope';
import {
  EntryDetailsResolver,
  ReportsResolver,
  StatementResolver,
  TrialBalanceResolver,
} from './reports.resolver';
import { StatementService } from './statement.service';

/**
 * Reports read the ledger and never write it: statements, balances at an
 * instant, trial balances, fund reports, circulation, and exports over
 * GraphQL and HTTP.
 */
@Module({
  imports: [AuthModule, CurrenciesModule, AccountsModule, TransfersModule],
  controllers: [ExportsController],
  providers: [
    ReportScope,
    BalancesService,
    StatementService,
    FundReportService,
    CirculationService,
    JournalExportService,
    ReportsResolver,
    StatementResolver,
    TrialBalanceResolver,
    EntryDetailsResolver,
  ],
})
export class ReportsModule {}
