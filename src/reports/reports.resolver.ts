import { Args, Context, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import Decimal from 'decimal.js';
import { Account, toAccountShell } from '../accounts/account.model';
import { Access, COMMUNITY_ROLES } from '../access/access.decorator';
import { Actor, ApiKeyScope } from '../access/actor';
import { CurrentActor } from '../access/current-actor.decorator';
import { GraphQLContext } from '../common/graphql/graphql-context';
import {
  ConnectionShape,
  decodeCursor,
  pageSize,
  toConnection,
} from '../common/pagination/connection';
import { formatAmount } from '../ledger';
import { AccountLoaders } from '../accounts/account-loaders';
import { TransferLoaders } from '../transfers/transfer-loaders';
import { Entry, Transfer } from '../transfers/transfer.model';
import { TransferKind } from '../transfers/transfer.entity';
import { toEntry, toTransferShell } from '../transfers/transfers.resolver';
import { Role } from '../access/role';
import { BalancesService } from './balances.service';
import { CirculationFigures, CirculationService } from './circulation.service';
import { formatAverage, velocity } from './circulation-math';
import { Circulation, CirculationPoint } from './circulation.model';
import {
  AccountStatementArgs,
  BalanceAsOfArgs,
  CirculationArgs,
  ExportJournalArgs,
  FundReportArgs,
  TrialBalanceArgs,
} from './dto/report.args';
import { Flows, FundReportService } from './fund-report.service';
import { FundFlows, FundReport } from './fund-report.model';
import { JournalExportService } from './journal-export.service';
import { counterpartyOf } from './journal-format';
import { checkPeriod, ReportScope } from './report-scope';
import { EntryConnection, Statement } from './statement.model';
import { StatementService } from './statement.service';
import { TrialBalance, TrialBalanceLine, TrialBalanceLineConnection } from './trial-balance.model';

/**
 * The reports of DESIGN.md: statements and balances for whoever may read the
 * account (its owner, the owner's till keys that read payments, stewards),
 * and the currency-wide and fund reports for stewards. Each report's
 * definition sits at the top of the service that computes it.
 */
@Resolver()
export class ReportsResolver {
  constructor(
    private readonly scope: ReportScope,
    private readonly balances: BalancesService,
    private readonly statements: StatementService,
    private readonly funds: FundReportService,
    private readonly circulations: CirculationService,
    private readonly journals: JournalExportService,
  ) {}

  @Query(() => Statement, {
    description:
      'The statement of an account of yours (stewards: any) for [from, to): opening and closing balance, totals, and a page of entries.',
  })
  @Access({ roles: COMMUNITY_ROLES, apiKeyScopes: [ApiKeyScope.READ_PAYMENTS] })
  async accountStatement(
    @CurrentActor() actor: Actor,
    @Args() args: AccountStatementArgs,
  ): Promise<Statement> {
    // A null end (a client's empty variable) is an open end, as if left out.
    const window = await this.statements.open(
      actor,
      args.accountId,
      args.from ?? undefined,
      args.to ?? undefined,
    );
    const scale = window.currency.scale;
    return {
      account: toAccountShell(window.account),
      from: window.from,
      to: window.to,
      openingBalance: formatAmount(window.openingMinor, scale),
      closingBalance: formatAmount(window.closingMinor, scale),
      window,
      page: { first: args.first, after: args.after },
    } as Statement;
  }

  @Query(() => Decimal, {
    description:
      'The balance of an account of yours (stewards: any) after every entry posted at or before `at`.',
  })
  @Access({ roles: COMMUNITY_ROLES, apiKeyScopes: [ApiKeyScope.READ_PAYMENTS] })
  async balanceAsOf(@CurrentActor() actor: Actor, @Args() args: BalanceAsOfArgs): Promise<string> {
    return this.balances.balanceAsOf(actor, args.accountId, args.at);
  }

  @Query(() => TrialBalance, {
    description:
      'Steward: every account of a currency with its balance at `at` (default: now), a page at a time, and their total.',
  })
  @Access({ roles: [Role.STEWARD] })
  async trialBalance(
    @CurrentActor() actor: Actor,
    @Args() args: TrialBalanceArgs,
  ): Promise<TrialBalance> {
    const scope = await this.balances.trialBalance(actor, args.currencyCode, args.at);
    return {
      currencyCode: scope.currency.code,
      at: scope.at,
      scope,
      page: { first: args.first, after: args.after },
    } as TrialBalance;
  }

  @Query(() => FundReport, {
    description:
      "Steward: a FUND account's inflows and outflows by kind and counterparty for [from, to), and its pending transfers out.",
  })
  @Access({ roles: [Role.STEWARD] })
  async fundReport(
    @CurrentActor() actor: Actor,
    @Args() args: FundReportArgs,
  ): Promise<FundReport> {
    const report = await this.funds.report(actor, args.accountId, args.from, args.to);
    const scale = report.window.currency.scale;
    return {
      account: toAccountShell(report.window.account),
      from: report.window.from,
      to: report.window.to,
      openingBalance: formatAmount(report.window.openingMinor, scale),
      closingBalance: formatAmount(report.window.closingMinor, scale),
      inflows: toFundFlows(report.inflows, scale),
      outflows: toFundFlows(report.outflows, scale),
      pending: report.pending.map(toTransferShell),
      pendingCount: report.pendingCount,
      pendingTotal: formatAmount(report.pendingTotalMinor, scale),
    };
  }

  @Query(() => Circulation, {
    description:
      'Steward: issued, redeemed, supply, volume, active accounts and velocity of a currency for [from, to), with a daily or weekly series.',
  })
  @Access({ roles: [Role.STEWARD] })
  async circulation(
    @CurrentActor() actor: Actor,
    @Args() args: CirculationArgs,
  ): Promise<Circulation> {
    const result = await this.circulations.report(
      actor,
      args.currencyCode,
      args.from,
      args.to,
      args.interval,
    );
    const scale = result.currency.scale;
    return {
      ...toCirculationPoint(result, scale),
      currencyCode: result.currency.code,
      interval: result.interval,
      series: result.series.map((point) => toCirculationPoint(point, scale)),
    };
  }

  @Query(() => String, {
    description:
      'Steward: the posted transfers of [from, to) as CSV or as an hledger journal, up to 10000 entries; larger exports download from GET /exports/<code>.csv or .journal.',
  })
  @Access({ roles: [Role.STEWARD] })
  async exportJournal(
    @CurrentActor() actor: Actor,
    @Args() args: ExportJournalArgs,
  ): Promise<string> {
    checkPeriod(args.from, args.to);
    const currency = await this.scope.currency(actor, args.currencyCode);
    return this.journals.inline({
      communityId: actor.communityId,
      currency,
      from: args.from,
      to: args.to,
      format: args.format,
    });
  }
}

function toFundFlows(flows: Flows, scale: number): FundFlows {
  return {
    total: formatAmount(flows.totalMinor, scale),
    transferCount: flows.transferCount,
    byKind: flows.byKind.map((line) => ({
      kind: line.kind,
      amount: formatAmount(line.amountMinor, scale),
      transferCount: line.transferCount,
    })),
    byCounterparty: flows.byCounterparty.map((line) => ({
      counterparty: toAccountShell(line.account),
      amount: formatAmount(line.amountMinor, scale),
      transferCount: line.transferCount,
    })),
    counterpartyCount: flows.counterpartyCount,
  };
}

function toCirculationPoint(figures: CirculationFigures, scale: number): CirculationPoint {
  return {
    start: figures.start,
    end: figures.end,
    issued: formatAmount(figures.issuedMinor, scale),
    redeemed: formatAmount(figures.redeemedMinor, scale),
    volume: formatAmount(figures.volumeMinor, scale),
    transferCount: figures.transferCount,
    activeAccounts: figures.activeAccounts,
    supplyAtStart: formatAmount(figures.supplyAtStartMinor, scale),
    supplyAtEnd: formatAmount(figures.supplyAtEndMinor, scale),
    averageSupply: formatAverage(figures.averageSupplyMinor, scale),
    velocity: velocity(figures.volumeMinor, figures.averageSupplyMinor),
  };
}

/** The lazily computed parts of a statement: its totals and its page of entries. */
@Resolver(() => Statement)
export class StatementResolver {
  constructor(
    private readonly statements: StatementService,
    private readonly accountLoaders: AccountLoaders,
  ) {}

  @ResolveField(() => Decimal)
  async totalIn(@Parent() statement: Statement): Promise<string> {
    const totals = await this.totals(statement);
    return formatAmount(totals.totalInMinor, statement.window.currency.scale);
  }

  @ResolveField(() => Decimal)
  async totalOut(@Parent() statement: Statement): Promise<string> {
    const totals = await this.totals(statement);
    return formatAmount(totals.totalOutMinor, statement.window.currency.scale);
  }

  @ResolveField(() => Int)
  async entryCount(@Parent() statement: Statement): Promise<number> {
    return (await this.totals(statement)).entryCount;
  }

  @ResolveField(() => EntryConnection)
  async entries(
    @Parent() statement: Statement,
    @Context() context: GraphQLContext,
  ): Promise<ConnectionShape<Entry>> {
    const lines = await this.statements.page(statement.window, statement.page);
    const scale = statement.window.currency.scale;
    // The page came with each entry's transfer and counterparty: the entry
    // carries its transfer, and the counterparties wait in the request's
    // account loader, so that kind, memo and counterparty read no more rows.
    const accounts = this.accountLoaders.for(
      context.req,
      statement.window.account.communityId,
    ).account;
    for (const line of lines) accounts.prime(line.counterparty.id, line.counterparty);
    return toConnection(
      lines,
      pageSize(statement.page),
      (line) => toEntry(line.entry, scale, toTransferShell(line.transfer)),
      (line) => [Number(line.entry.sequence)],
    );
  }

  private totals(statement: Statement) {
    statement.totals ??= this.statements.totals(statement.window);
    return statement.totals;
  }
}

/** The lazily computed parts of a trial balance: its totals and its page of lines. */
@Resolver(() => TrialBalance)
export class TrialBalanceResolver {
  constructor(private readonly balances: BalancesService) {}

  @ResolveField(() => Decimal)
  async total(@Parent() trialBalance: TrialBalance): Promise<string> {
    const totals = await this.totals(trialBalance);
    return formatAmount(totals.totalMinor, trialBalance.scope.currency.scale);
  }

  @ResolveField(() => Boolean)
  async balanced(@Parent() trialBalance: TrialBalance): Promise<boolean> {
    return (await this.totals(trialBalance)).problems.length === 0;
  }

  @ResolveField(() => [String])
  async problems(@Parent() trialBalance: TrialBalance): Promise<string[]> {
    return (await this.totals(trialBalance)).problems;
  }

  @ResolveField(() => Int)
  async accountCount(@Parent() trialBalance: TrialBalance): Promise<number> {
    return (await this.totals(trialBalance)).accountCount;
  }

  @ResolveField(() => TrialBalanceLineConnection)
  async accounts(@Parent() trialBalance: TrialBalance): Promise<ConnectionShape<TrialBalanceLine>> {
    const { scope, page } = trialBalance;
    const size = pageSize(page);
    const lines = await this.balances.trialBalanceLines(scope, lineCursor(page.after), size);
    return toConnection(
      lines,
      size,
      (line) => ({
        account: toAccountShell(line.account),
        balance: formatAmount(line.balanceMinor, scope.currency.scale),
      }),
      (line) => [line.account.kind, line.account.name, line.account.id],
    );
  }

  private totals(trialBalance: TrialBalance) {
    trialBalance.totals ??= this.balances.trialBalanceTotals(trialBalance.scope);
    return trialBalance.totals;
  }
}

/** The (kind, name, id) of the last line shown, from a cursor of the trial balance's lines. */
function lineCursor(after: string | undefined): readonly [string, string, string] | undefined {
  if (after === undefined) return undefined;
  return decodeCursor(after, ['text', 'text', 'uuid']);
}

/**
 * What a statement line shows besides the entry itself: the transfer's kind
 * and memo and the account on the other side, for any entry of the API.
 */
@Resolver(() => Entry)
export class EntryDetailsResolver {
  constructor(
    private readonly accountLoaders: AccountLoaders,
    private readonly transferLoaders: TransferLoaders,
  ) {}

  @ResolveField(() => TransferKind, { description: "The kind of the entry's transfer." })
  async kind(@Parent() entry: Entry, @Context() context: GraphQLContext): Promise<TransferKind> {
    return (await this.transfer(entry, context)).entity.kind;
  }

  @ResolveField(() => String, { nullable: true, description: "The memo of the entry's transfer." })
  async memo(@Parent() entry: Entry, @Context() context: GraphQLContext): Promise<string | null> {
    return (await this.transfer(entry, context)).entity.memo;
  }

  @ResolveField(() => Account, {
    description:
      "The other side: the transfer's destination for its source account, its source for any other account.",
  })
  async counterparty(@Parent() entry: Entry, @Context() context: GraphQLContext): Promise<Account> {
    const transfer = (await this.transfer(entry, context)).entity;
    const id = counterpartyOf(entry.entity.accountId, transfer);
    const account = await this.accountLoaders
      .for(context.req, transfer.communityId)
      .account.load(id);
    if (account === null)
      throw new Error(`transfer ${transfer.id} refers to missing account ${id}`);
    return toAccountShell(account);
  }

  private async transfer(entry: Entry, context: GraphQLContext): Promise<Transfer> {
    if (entry.transfer !== undefined) return entry.transfer;
    const transfer = await this.transferLoaders
      .for(context.req, entry.entity.communityId)
      .transfer.load(entry.entity.transferId);
    if (transfer === null)
      throw new Error(`entry refers to missing transfer ${entry.entity.transferId}`);
    return toTransferShell(transfer);
  }
}
