import {
  Args,
  Context,
  ID,
  Int,
  Mutation,
  Parent,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import Decimal from 'decimal.js';
import { accountStateFor, mayReadAccount } from '../accounts/account-access';
import { Account, toAccountShell } from '../accounts/account.model';
import { Access, COMMUNITY_ROLES } from '../access/access.decorator';
import { Actor, ApiKeyScope } from '../access/actor';
import { CurrentActor } from '../access/current-actor.decorator';
import { apiCodeFor } from '../common/errors/error-codes';
import { GraphQLContext } from '../common/graphql/graphql-context';
import { invalidInput } from '../common/errors/app-error';
import {
  Connection,
  MAX_PAGE_SIZE,
  PageArgs,
  pageSize,
  toConnection,
} from '../common/pagination/connection';
import { CurrenciesService } from '../currencies/currencies.service';
import { formatAmount, isExpired } from '../ledger';
import { AccountLoaders } from '../accounts/account-loaders';
import { Role } from '../access/role';
import {
  ReverseTransferInput,
  TransferBatchInput,
  TransferFilter,
  TransferInput,
} from './dto/transfer.inputs';
import { EntryEntity } from './entry.entity';
import { LedgerVerifier } from './ledger-verifier.service';
import { CheckpointView, LedgerCheckpointsService } from './ledger-checkpoints.service';
import {
  Entry,
  LedgerCheck,
  LedgerCheckpoint,
  Transfer,
  TransferBatchResult,
} from './transfer.model';
import { TransferLoaders } from './transfer-loaders';
import { TransferEntity, TransferStatusEnum } from './transfer.entity';
import { TransfersService } from './transfers.service';

const TransferConnection = Connection(Transfer, 'Transfer');

/** A transfer as the API shows it; a pending one past its expiry already reads as EXPIRED. */
function toCheckpoint(view: CheckpointView): LedgerCheckpoint {
  return {
    id: view.row.id,
    currencyCode: view.row.currencyCode,
    takenAt: view.row.takenAt,
    accountCount: view.row.accountCount,
    merkleRoot: view.row.merkleRoot,
    publicKey: view.row.publicKey,
    signature: view.row.signature,
    document: view.row.document,
    heads: view.heads,
  };
}

export function toTransferShell(entity: TransferEntity): Transfer {
  const expired =
    entity.status === TransferStatusEnum.PENDING && isExpired(entity.expiresAt, new Date());
  return {
    id: entity.id,
    kind: entity.kind,
    status: expired ? TransferStatusEnum.EXPIRED : entity.status,
    currencyCode: entity.currencyCode,
    memo: entity.memo,
    createdAt: entity.createdAt,
    postedAt: entity.postedAt,
    expiresAt: entity.expiresAt,
    forced: entity.forced,
    policyVersion: entity.policyVersion,
    entity,
  } as Transfer;
}

@Resolver(() => Transfer)
export class TransfersResolver {
  constructor(
    private readonly transferService: TransfersService,
    private readonly verifier: LedgerVerifier,
    private readonly checkpoints: LedgerCheckpointsService,
    private readonly currencies: CurrenciesService,
    private readonly accountLoaders: AccountLoaders,
    private readonly transferLoaders: TransferLoaders,
  ) {}

  @Mutation(() => Transfer, {
    description: 'Move money from one of your accounts (stewards: any) to another account.',
  })
  @Access({ roles: COMMUNITY_ROLES })
  async transfer(
    @CurrentActor() actor: Actor,
    @Args('input') input: TransferInput,
  ): Promise<Transfer> {
    return toTransferShell(await this.transferService.transfer(actor, input));
  }

  @Mutation(() => TransferBatchResult, {
    description: 'Up to 100 transfers in one request; atomic: all or none.',
  })
  @Access({ roles: COMMUNITY_ROLES })
  async transferBatch(
    @CurrentActor() actor: Actor,
    @Args('input') input: TransferBatchInput,
  ): Promise<TransferBatchResult> {
    const outcomes = await this.transferService.transferBatch(
      actor,
      input.transfers,
      input.atomic === true,
    );
    const results = outcomes.map((outcome, index) =>
      'error' in outcome
        ? {
            index,
            transfer: null,
            error: {
              code: apiCodeFor(outcome.error.code),
              reason: outcome.error.code,
              message: outcome.error.message,
            },
          }
        : { index, transfer: toTransferShell(outcome.transfer), error: null },
    );
    const failedCount = results.filter((result) => result.error !== null).length;
    return { results, postedCount: results.length - failedCount, failedCount };
  }

  @Mutation(() => Transfer, { description: 'Post a pending transfer you created (stewards: any).' })
  @Access({ roles: COMMUNITY_ROLES })
  async postTransfer(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<Transfer> {
    return toTransferShell(await this.transferService.settle(actor, id, 'POST'));
  }

  @Mutation(() => Transfer, {
    description: 'Void a pending transfer you created (stewards: any), releasing its hold.',
  })
  @Access({ roles: COMMUNITY_ROLES })
  async voidTransfer(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<Transfer> {
    return toTransferShell(await this.transferService.settle(actor, id, 'VOID'));
  }

  @Mutation(() => Transfer, {
    description: 'Steward: undo a posted transfer with a REVERSAL transfer, once.',
  })
  @Access({ roles: [Role.STEWARD] })
  async reverseTransfer(
    @CurrentActor() actor: Actor,
    @Args('input') input: ReverseTransferInput,
  ): Promise<Transfer> {
    return toTransferShell(await this.transferService.reverse(actor, input));
  }

  @Query(() => Transfer, { description: 'A transfer you took part in (stewards: any).' })
  @Access({ roles: COMMUNITY_ROLES, apiKeyScopes: [ApiKeyScope.READ_PAYMENTS] })
  async transferById(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<Transfer> {
    return toTransferShell(await this.transferService.get(actor, id));
  }

  @Query(() => TransferConnection, {
    description: 'Transfers touching your accounts (stewards: any), newest first.',
  })
  @Access({ roles: COMMUNITY_ROLES, apiKeyScopes: [ApiKeyScope.READ_PAYMENTS] })
  async transfers(
    @CurrentActor() actor: Actor,
    @Args() page: PageArgs,
    @Args('filter', { nullable: true }) filter?: TransferFilter,
  ) {
    const rows = await this.transferService.list(actor, filter ?? {}, page);
    return toConnection(rows, pageSize(page), toTransferShell, (row) => [
      row.createdAt.toISOString(),
      row.id,
    ]);
  }

  @Query(() => LedgerCheck, {
    description:
      'Steward: prove the books of a currency (invariants 1-3 and 8); with a kept checkpoint, also that nothing up to it was rewritten.',
  })
  @Access({ roles: [Role.STEWARD] })
  async verifyLedger(
    @CurrentActor() actor: Actor,
    @Args('currencyCode') currencyCode: string,
    @Args('checkpoint', {
      nullable: true,
      description: "A checkpoint's document, as ledgerCheckpoint returned it.",
    })
    checkpoint?: string,
  ): Promise<LedgerCheck> {
    await this.currencies.get(actor.communityId, currencyCode);
    const kept =
      checkpoint === undefined || checkpoint === null
        ? null
        : await this.checkpoints.check(actor.communityId, currencyCode, checkpoint);
    const check = await this.verifier.verify(actor.communityId, currencyCode);
    if (kept === null) return check;
    const problems = [...kept.problems, ...check.problems];
    return {
      ...check,
      ok: problems.length === 0,
      problems,
      checkpointAccountsCompared: kept.compared,
    };
  }

  @Query(() => LedgerCheckpoint, {
    description:
      "Steward: take, record and return a signed checkpoint of a currency's ledger, to keep or publish outside Mutua.",
  })
  @Access({ roles: [Role.STEWARD] })
  async ledgerCheckpoint(
    @CurrentActor() actor: Actor,
    @Args('currencyCode') currencyCode: string,
  ): Promise<LedgerCheckpoint> {
    await this.currencies.get(actor.communityId, currencyCode);
    return toCheckpoint(await this.checkpoints.take(actor.communityId, currencyCode, actor.userId));
  }

  @Query(() => [LedgerCheckpoint], {
    description: "Steward: a currency's recorded checkpoints, newest first.",
  })
  @Access({ roles: [Role.STEWARD] })
  async ledgerCheckpoints(
    @CurrentActor() actor: Actor,
    @Args('currencyCode') currencyCode: string,
    @Args('first', { type: () => Int, nullable: true, description: 'At most 100; default 25.' })
    first?: number,
  ): Promise<LedgerCheckpoint[]> {
    if (first !== undefined && first !== null && (first < 1 || first > MAX_PAGE_SIZE)) {
      throw invalidInput('first', `first: from 1 to ${MAX_PAGE_SIZE}`);
    }
    await this.currencies.get(actor.communityId, currencyCode);
    const views = await this.checkpoints.list(
      actor.communityId,
      currencyCode,
      pageSize({ first: first ?? undefined }),
    );
    return views.map(toCheckpoint);
  }

  @ResolveField(() => String)
  async amount(@Parent() transfer: Transfer, @Context() context: GraphQLContext): Promise<string> {
    const scale = await this.scale(transfer.entity, context);
    return formatAmount(BigInt(transfer.entity.amountMinor), scale);
  }

  @ResolveField(() => Account)
  async fromAccount(
    @Parent() transfer: Transfer,
    @Context() context: GraphQLContext,
  ): Promise<Account> {
    return this.account(transfer.entity.communityId, transfer.entity.fromAccountId, context);
  }

  @ResolveField(() => Account)
  async toAccount(
    @Parent() transfer: Transfer,
    @Context() context: GraphQLContext,
  ): Promise<Account> {
    return this.account(transfer.entity.communityId, transfer.entity.toAccountId, context);
  }

  @ResolveField(() => [Entry])
  async entries(
    @Parent() transfer: Transfer,
    @Context() context: GraphQLContext,
  ): Promise<Entry[]> {
    const rows = await this.transferLoaders
      .for(context.req, transfer.entity.communityId)
      .entriesOfTransfer.load(transfer.entity.id);
    const scale = await this.scale(transfer.entity, context);
    return rows.map((row) => toEntry(row, scale, transfer));
  }

  /** A soft limit crossed is the account's state: only the warnings on accounts the caller may read. */
  @ResolveField(() => [String])
  async warnings(
    @Parent() transfer: Transfer,
    @CurrentActor() actor: Actor,
    @Context() context: GraphQLContext,
  ): Promise<string[]> {
    if (transfer.entity.warnings.length === 0) return [];
    const loaders = this.accountLoaders.for(context.req, transfer.entity.communityId);
    const shown: string[] = [];
    for (const warning of transfer.entity.warnings) {
      const accountId = warning.slice(warning.lastIndexOf(':') + 1);
      const account = await loaders.account.load(accountId);
      if (account !== null && mayReadAccount(actor, account)) shown.push(warning);
    }
    return shown;
  }

  @ResolveField(() => Transfer, { nullable: true })
  async reversalOf(
    @Parent() transfer: Transfer,
    @Context() context: GraphQLContext,
  ): Promise<Transfer | null> {
    if (transfer.entity.reversalOf === null) return null;
    const original = await this.transferLoaders
      .for(context.req, transfer.entity.communityId)
      .transfer.load(transfer.entity.reversalOf);
    return original === null ? null : toTransferShell(original);
  }

  @ResolveField(() => Transfer, { nullable: true })
  async reversedBy(
    @Parent() transfer: Transfer,
    @Context() context: GraphQLContext,
  ): Promise<Transfer | null> {
    const reversal = await this.transferLoaders
      .for(context.req, transfer.entity.communityId)
      .reversalOf.load(transfer.entity.id);
    return reversal === null ? null : toTransferShell(reversal);
  }

  private async account(
    communityId: string,
    id: string,
    context: GraphQLContext,
  ): Promise<Account> {
    const account = await this.accountLoaders.for(context.req, communityId).account.load(id);
    if (account === null) throw new Error(`transfer refers to missing account ${id}`);
    return toAccountShell(account);
  }

  private async scale(transfer: TransferEntity, context: GraphQLContext): Promise<number> {
    const currency = await this.accountLoaders
      .for(context.req, transfer.communityId)
      .currency.load(transfer.currencyCode);
    if (currency === null) throw new Error(`transfer ${transfer.id} has no currency`);
    return currency.scale;
  }
}

/**
 * An entry's API id: its transfer and its account (a transfer writes at most
 * one entry per account, src/ledger/posting.ts), base64url-encoded so that
 * clients treat it as opaque. Not the account's sequence number: that is the
 * account's state (how many entries it has), and an entry of a counterparty's
 * account is shown to callers who may not read that account.
 */
export function entryId(row: Pick<EntryEntity, 'transferId' | 'accountId'>): string {
  return Buffer.from(`Entry:${row.transferId}:${row.accountId}`).toString('base64url');
}

export function toEntry(row: EntryEntity, scale: number, transfer?: Transfer): Entry {
  return {
    id: entryId(row),
    amount: formatAmount(BigInt(row.amountMinor), scale),
    postedAt: row.postedAt,
    ...(transfer !== undefined ? { transfer } : {}),
    entity: row,
    scale,
  } as Entry;
}

@Resolver(() => Entry)
export class EntriesResolver {
  constructor(
    private readonly accountLoaders: AccountLoaders,
    private readonly transferLoaders: TransferLoaders,
  ) {}

  /** The running balance is the account's state: for those who may read the account only. */
  @ResolveField(() => Decimal, { nullable: true })
  async balanceAfter(
    @Parent() entry: Entry,
    @CurrentActor() actor: Actor,
    @Context() context: GraphQLContext,
  ): Promise<string | null> {
    const account = await this.accountLoaders
      .for(context.req, entry.entity.communityId)
      .account.load(entry.entity.accountId);
    if (account === null)
      throw new Error(`entry refers to missing account ${entry.entity.accountId}`);
    return accountStateFor(actor, account, () =>
      formatAmount(BigInt(entry.entity.balanceAfterMinor), entry.scale),
    );
  }

  /** The place in the account's history tells how many entries it has: account state too. */
  @ResolveField(() => Int, { nullable: true })
  async sequence(
    @Parent() entry: Entry,
    @CurrentActor() actor: Actor,
    @Context() context: GraphQLContext,
  ): Promise<number | null> {
    const account = await this.accountLoaders
      .for(context.req, entry.entity.communityId)
      .account.load(entry.entity.accountId);
    if (account === null)
      throw new Error(`entry refers to missing account ${entry.entity.accountId}`);
    return accountStateFor(actor, account, () => Number(entry.entity.sequence));
  }

  @ResolveField(() => Account)
  async account(@Parent() entry: Entry, @Context() context: GraphQLContext): Promise<Account> {
    const account = await this.accountLoaders
      .for(context.req, entry.entity.communityId)
      .account.load(entry.entity.accountId);
    if (account === null)
      throw new Error(`entry refers to missing account ${entry.entity.accountId}`);
    return toAccountShell(account);
  }

  @ResolveField(() => Transfer)
  async transfer(@Parent() entry: Entry, @Context() context: GraphQLContext): Promise<Transfer> {
    if (entry.transfer !== undefined) return entry.transfer;
    const transfer = await this.transferLoaders
      .for(context.req, entry.entity.communityId)
      .transfer.load(entry.entity.transferId);
    if (transfer === null)
      throw new Error(`entry refers to missing transfer ${entry.entity.transferId}`);
    return toTransferShell(transfer);
  }
}
