import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AccountEntity } from '../accounts/account.entity';
import { Actor, isSteward } from '../access/actor';
import { isUniqueViolation, sqlState } from '../common/database/postgres-errors';
import { AppError } from '../common/errors/app-error';
import { CurrenciesService } from '../currencies/currencies.service';
import {
  AccountKind,
  formatAmount,
  isExpired,
  parseAmount,
  PostingCommand,
  readField,
  requestFingerprint,
} from '../ledger';
import { answerOf, PostingService } from '../transfers/posting.service';
import { initiatorOf } from '../transfers/transfers.service';
import { TransferEntity, TransferKind, TransferStatusEnum } from '../transfers/transfer.entity';
import { UserEntity } from '../users/user.entity';
import {
  assertMayRequest,
  assertMayVote,
  countedVotes,
  disbursementRule,
  electorate,
  FundRule,
  outcomeOf,
  tally,
  Tally,
  tallyWith,
  VoteDecision,
} from './disbursement-rules';
import { DisbursementVoteEntity } from './disbursement-vote.entity';
import { RequestDisbursementInput } from './dto/request-disbursement.input';
import { FundsOptions, FUNDS_OPTIONS } from './funds.options';
import { inFundTransaction } from './fund-transaction';
import { FundsService } from './funds.service';

/**
 * A disbursement as the API shows it: the transfer, the rule it is decided
 * by (the fund's current stewards, the k it was requested under) and the
 * votes so far.
 */
export interface DisbursementView {
  transfer: TransferEntity;
  rule: FundRule;
  requester: UserEntity;
  /** The fund's current stewards who may vote on it: all but the requester. */
  voters: UserEntity[];
  /** Every vote; `counted` is false for a steward no longer among the fund's stewards. */
  votes: Array<{ vote: DisbursementVoteEntity; steward: UserEntity; counted: boolean }>;
  /** The counted votes. */
  tally: Tally;
}

type VoteResult = { transfer: TransferEntity; expired: boolean };

/**
 * Requests for money from a fund and its stewards' votes on them; the rules
 * and the approval state machine are in disbursement-rules.ts.
 *
 * Who may ask: anyone of the community (members, shops, stewards) may ask a
 * fund for aid paid into an account they own; the fund's own stewards may
 * also ask for a payment into any account of the currency (a bill paid for
 * someone). A request is a PENDING DISBURSEMENT transfer made by the posting
 * engine, so the fund's floor counts the held money at once, and it expires
 * after FundsOptions.disbursementExpiryMs (14 days by default). It is
 * checked against the fund's request limits and written in one transaction
 * under the fund's row lock (see assertWithinRequestLimits), through
 * PostingService.postWithin rather than the posting lanes.
 *
 * A vote is one transaction: the pending transfer's row is locked with
 * SELECT … FOR UPDATE, the earlier votes are counted, and the transfer is
 * posted or voided through PostingService.postWithin under the same lock
 * before the vote is written. Concurrent votes on one request therefore
 * queue on that row, each sees every vote committed before it, and exactly
 * one of them can cross a threshold; the rest find the transfer decided.
 *
 * A change of the fund's stewards (FundStewardsService) re-decides every
 * pending request of the fund through `redecidePending`, taking the same
 * row locks in id order, so that a vote and a change on one request are
 * serialized: the vote counts under the rule it found, and the change
 * re-decides with the vote in. See disbursement-rules.ts for the rule.
 */
@Injectable()
export class DisbursementsService {
  private readonly logger = new Logger(DisbursementsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(FUNDS_OPTIONS) private readonly options: FundsOptions,
    private readonly posting: PostingService,
    private readonly funds: FundsService,
    private readonly currencies: CurrenciesService,
  ) {}

  async request(actor: Actor, input: RequestDisbursementInput): Promise<TransferEntity> {
    const fund = await this.dataSource
      .getRepository(AccountEntity)
      .findOneBy({ communityId: actor.communityId, id: input.fundAccountId });
    if (fund === null) {
      throw new AppError('NOT_FOUND', 'No such fund', { field: 'fundAccountId' });
    }
    const rule = await this.funds.ruleOf(this.dataSource.manager, actor.communityId, fund.id);
    if (fund.kind !== AccountKind.FUND || rule === null) {
      throw new AppError('NOT_A_FUND', 'Disbursements are paid out of FUND accounts only', {
        field: 'fundAccountId',
      });
    }
    assertMayRequest(rule, actor.userId);
    const fundSteward = rule.stewardIds.includes(actor.userId);
    const currency = await this.currencies.get(actor.communityId, fund.currencyCode);
    const amountMinor = readField('amount', () => parseAmount(input.amount, currency.scale));

    const memo = input.memo ?? null;
    const command: PostingCommand = {
      type: 'DISBURSEMENT_REQUEST',
      initiator: initiatorOf(actor),
      idempotencyKey: input.idempotencyKey,
      fingerprint: requestFingerprint({
        operation: 'requestDisbursement',
        fundAccountId: fund.id,
        toAccountId: input.toAccountId,
        amountMinor,
        memo,
      }),
      memo,
      fundAccountId: fund.id,
      toAccountId: input.toAccountId,
      amountMinor,
      holdUntil: new Date(Date.now() + this.options.disbursementExpiryMs),
      requesterIsFundSteward: fundSteward,
    };
    // Everything above borrowed its own connections; from here on, one transaction holds the
    // fund's row lock and uses nothing but its own connection.
    const [result] = await inFundTransaction(
      this.dataSource,
      this.logger,
      'a disbursement request',
      async (manager) => {
        await this.assertWithinRequestLimits(
          manager,
          actor,
          fund.id,
          currency,
          amountMinor,
          input.idempotencyKey,
        );
        return this.posting.postWithin(manager, actor.communityId, [command]);
      },
      // Another request with the same key committed between the snapshot and the write: run
      // again, the key is then found and the request answered with the original or refused.
      (error) => isUniqueViolation(error, 'uq_transfers_idempotency'),
    );
    return answerOf(result);
  }

  /** A fund steward's vote; see disbursement-rules.ts for what it may cause. */
  async vote(actor: Actor, transferId: string, decision: VoteDecision): Promise<TransferEntity> {
    const result = await this.inTransaction((manager) =>
      this.voteOnce(manager, actor, transferId, decision),
    );
    if (result.expired) {
      // The expiry is committed; the vote is refused and was not counted.
      throw new AppError('DISBURSEMENT_EXPIRED', 'This disbursement request has expired', {
        status: TransferStatusEnum.EXPIRED,
      });
    }
    return result.transfer;
  }

  /** A disbursement with its votes, for the fund's stewards, the community's stewards and the requester. */
  async get(actor: Actor, transferId: string): Promise<DisbursementView> {
    const transfer = await this.dataSource
      .getRepository(TransferEntity)
      .findOneBy({ communityId: actor.communityId, id: transferId });
    if (transfer === null || transfer.kind !== TransferKind.DISBURSEMENT) {
      throw new AppError('NOT_FOUND', 'No such disbursement', { field: 'transferId' });
    }
    const rule = await this.ruleOfDisbursement(this.dataSource.manager, transfer);
    if (
      !isSteward(actor) &&
      !rule.stewardIds.includes(actor.userId) &&
      transfer.initiatedBy !== actor.userId
    ) {
      throw new AppError(
        'FORBIDDEN',
        "Only the requester and the community's stewards see a disbursement's votes",
      );
    }
    const votes = await this.votesOf(this.dataSource.manager, transfer);
    const counted = new Set(countedVotes(rule, transfer.initiatedBy, votes));
    const voterIds = electorate(rule, transfer.initiatedBy);
    const users = new Map(
      (
        await this.funds.users(actor.communityId, [
          ...new Set([transfer.initiatedBy, ...voterIds, ...votes.map((vote) => vote.stewardId)]),
        ])
      ).map((user) => [user.id, user]),
    );
    const user = (id: string): UserEntity => {
      const found = users.get(id);
      if (found === undefined)
        throw new Error(`disbursement ${transfer.id} names unknown user ${id}`);
      return found;
    };
    return {
      transfer,
      rule,
      requester: user(transfer.initiatedBy),
      voters: voterIds.map(user),
      votes: votes.map((vote) => ({
        vote,
        steward: user(vote.stewardId),
        counted: counted.has(vote),
      })),
      tally: tally([...counted]),
    };
  }

  /**
   * Re-decides every pending disbursement of a fund whose rule `manager`'s
   * transaction has just changed, and returns those it settled. Takes each
   * request's row lock in id order, as a vote takes one, and then the
   * accounts of those it settles in id order, as the posting engine does, so
   * that it neither misses nor overtakes a concurrent vote. A request past
   * its deadline is expired; the others get outcomeOf under the new stewards
   * and the k they were requested under.
   */
  async redecidePending(
    manager: EntityManager,
    communityId: string,
    fundAccountId: string,
  ): Promise<TransferEntity[]> {
    const pending = await manager
      .getRepository(TransferEntity)
      .createQueryBuilder('transfer')
      .setLock('pessimistic_write')
      .where(
        'transfer.community_id = :communityId AND transfer.from_account_id = :fundAccountId' +
          ' AND transfer.kind = :kind AND transfer.status = :status',
        {
          communityId,
          fundAccountId,
          kind: TransferKind.DISBURSEMENT,
          status: TransferStatusEnum.PENDING,
        },
      )
      .orderBy('transfer.id', 'ASC')
      .getMany();
    const now = new Date();
    const decisions: Array<{ transfer: TransferEntity; event: 'POST' | 'VOID' | 'EXPIRE' }> = [];
    for (const transfer of pending) {
      if (isExpired(transfer.expiresAt, now)) {
        decisions.push({ transfer, event: 'EXPIRE' });
        continue;
      }
      const rule = await this.ruleOfDisbursement(manager, transfer);
      const counted = tally(
        countedVotes(rule, transfer.initiatedBy, await this.votesOf(manager, transfer)),
      );
      const outcome = outcomeOf(rule, transfer.initiatedBy, counted);
      if (outcome !== 'WAIT') decisions.push({ transfer, event: outcome });
    }
    if (decisions.length === 0) return [];
    // One group: the store locks every account of every decision at once, in id order.
    const results = await this.posting.postWithin(
      manager,
      communityId,
      decisions.map(({ transfer, event }) => ({
        type: 'SETTLE' as const,
        transferId: transfer.id,
        event,
        authority: { by: 'FUND_VOTE' as const },
      })),
    );
    const settled = results.map(answerOf);
    settled.forEach((result, index) =>
      this.logger.log(
        { transferId: result.id, event: decisions[index].event, status: result.status },
        'pending disbursement decided by a change of the fund’s stewards',
      ),
    );
    return settled;
  }

  private async voteOnce(
    manager: EntityManager,
    actor: Actor,
    transferId: string,
    decision: VoteDecision,
  ): Promise<VoteResult> {
    const transfer = await manager
      .getRepository(TransferEntity)
      .createQueryBuilder('transfer')
      .setLock('pessimistic_write')
      .where('transfer.community_id = :communityId AND transfer.id = :id', {
        communityId: actor.communityId,
        id: transferId,
      })
      .getOne();
    if (transfer === null) throw new AppError('NOT_FOUND', 'No such transfer');
    if (transfer.kind !== TransferKind.DISBURSEMENT) {
      throw new AppError(
        'NOT_A_DISBURSEMENT',
        'Only fund disbursements are decided by vote; post or void other pending transfers',
      );
    }
    const rule = await this.ruleOfDisbursement(manager, transfer);
    assertMayVote(rule, transfer.initiatedBy, actor.userId);
    if (transfer.status !== TransferStatusEnum.PENDING) {
      throw new AppError(
        'DISBURSEMENT_DECIDED',
        `This disbursement is already ${transfer.status.toLowerCase()}`,
        { status: transfer.status },
      );
    }
    const now = new Date();
    if (isExpired(transfer.expiresAt, now)) {
      const expired = await this.settleWithin(manager, actor.communityId, transfer.id, 'EXPIRE');
      return { transfer: expired, expired: true };
    }

    const counted = tallyWith(
      countedVotes(rule, transfer.initiatedBy, await this.votesOf(manager, transfer)),
      actor.userId,
      decision,
    );
    const outcome = outcomeOf(rule, transfer.initiatedBy, counted);
    let result = transfer;
    if (outcome !== 'WAIT') {
      result = await this.settleWithin(manager, actor.communityId, transfer.id, outcome);
      // The engine expires rather than posts a transfer whose deadline passed since `now`.
      if (result.status === TransferStatusEnum.EXPIRED) return { transfer: result, expired: true };
      this.logger.log(
        { transferId: transfer.id, outcome, ...counted },
        outcome === 'POST' ? 'disbursement approved and posted' : 'disbursement rejected',
      );
    }
    await manager.insert(DisbursementVoteEntity, {
      communityId: actor.communityId,
      transferId: transfer.id,
      stewardId: actor.userId,
      decision,
      votedAt: now,
    });
    return { transfer: result, expired: false };
  }

  private async settleWithin(
    manager: EntityManager,
    communityId: string,
    transferId: string,
    event: 'POST' | 'VOID' | 'EXPIRE',
  ): Promise<TransferEntity> {
    const [result] = await this.posting.postWithin(manager, communityId, [
      { type: 'SETTLE', transferId, event, authority: { by: 'FUND_VOTE' } },
    ]);
    return answerOf(result);
  }

  /** The fund's current stewards and the k in force when `transfer` was requested. */
  private async ruleOfDisbursement(
    manager: EntityManager,
    transfer: TransferEntity,
  ): Promise<FundRule> {
    const current = await this.funds.ruleOf(manager, transfer.communityId, transfer.fromAccountId);
    if (current === null) {
      throw new Error(`disbursement ${transfer.id} is not paid out of a fund`);
    }
    const approvalsRequired = await this.funds.approvalsRequiredAt(
      manager,
      transfer.communityId,
      transfer.fromAccountId,
      transfer.createdAt,
    );
    return disbursementRule(current, approvalsRequired);
  }

  private votesOf(
    manager: EntityManager,
    transfer: TransferEntity,
  ): Promise<DisbursementVoteEntity[]> {
    return manager.getRepository(DisbursementVoteEntity).find({
      where: { communityId: transfer.communityId, transferId: transfer.id },
      order: { votedAt: 'ASC', stewardId: 'ASC' },
    });
  }

  /**
   * Keeps one member from tying up a fund: refuses a new request while the
   * requester already has the fund's `maxOpenRequests` pending on it
   * (TOO_MANY_OPEN_REQUESTS), or when their pending requests and this one
   * together would hold more than `memberSharePercent` of the fund's balance
   * (REQUEST_SHARE_EXCEEDED). A request the fund cannot pay at all is left
   * to the posting path's INSUFFICIENT_FUNDS, which says more. A retry of a
   * request already made is let through to be answered with the original.
   *
   * Runs first in the request's transaction and takes the fund's row lock
   * (FOR NO KEY UPDATE, which also queues behind a change of the fund's rule
   * holding FOR UPDATE), so that requests on one fund are checked and
   * written one after the other: each counts every request committed before
   * it, and a burst by one member passes the limits exactly, never by a few.
   * Every read after the lock is a fresh statement of READ COMMITTED, so it
   * sees what the previous holder committed. Lock order: the fund's row,
   * then accounts in id order (the posting path), as for a change of the
   * fund's stewards.
   */
  private async assertWithinRequestLimits(
    manager: EntityManager,
    actor: Actor,
    fundAccountId: string,
    currency: { code: string; scale: number },
    amountMinor: bigint,
    idempotencyKey: string,
  ): Promise<void> {
    const [fund] = await manager.query<
      Array<{
        share_percent: number;
        max_open: number;
        balance_minor: string;
        pending_debit_minor: string;
      }>
    >(
      `SELECT f.member_share_percent AS share_percent, f.max_open_requests AS max_open,
              a.balance_minor::text AS balance_minor, a.pending_debit_minor::text AS pending_debit_minor
         FROM funds f
         JOIN accounts a ON a.community_id = f.community_id AND a.id = f.account_id
        WHERE f.community_id = $1 AND f.account_id = $2
          FOR NO KEY UPDATE OF f`,
      [actor.communityId, fundAccountId],
    );
    if (fund === undefined) {
      throw new Error(`fund ${fundAccountId} disappeared while a request was being made`);
    }
    const [row] = await manager.query<Array<{ open: string; held: string; retry: boolean }>>(
      `SELECT count(*) FILTER (WHERE t.status = 'PENDING' AND t.expires_at > now()) AS open,
              coalesce(sum(t.amount_minor) FILTER (WHERE t.status = 'PENDING' AND t.expires_at > now()), 0)::text AS held,
              coalesce(bool_or(t.idempotency_key = $4), false) AS retry
         FROM transfers t
        WHERE t.community_id = $1 AND t.from_account_id = $3
          AND t.initiated_by = $2 AND t.kind = 'DISBURSEMENT'
          AND (t.status = 'PENDING' OR t.idempotency_key = $4)`,
      [actor.communityId, actor.userId, fundAccountId, idempotencyKey],
    );
    if (row.retry) return;
    if (Number(row.open) >= fund.max_open) {
      throw new AppError(
        'TOO_MANY_OPEN_REQUESTS',
        `You have ${fund.max_open} requests open on this fund; wait for the stewards to decide`,
        { limit: fund.max_open },
      );
    }
    const balanceMinor = BigInt(fund.balance_minor);
    const fundAvailableMinor = balanceMinor - BigInt(fund.pending_debit_minor);
    if (amountMinor > fundAvailableMinor) return;
    const limitMinor = balanceMinor > 0n ? (balanceMinor * BigInt(fund.share_percent)) / 100n : 0n;
    const heldMinor = BigInt(row.held);
    if (heldMinor + amountMinor <= limitMinor) return;
    const leftMinor = limitMinor > heldMinor ? limitMinor - heldMinor : 0n;
    const units = (minor: bigint) => `${formatAmount(minor, currency.scale)} ${currency.code}`;
    throw new AppError(
      'REQUEST_SHARE_EXCEEDED',
      `One member may have at most ${units(limitMinor)} requested from this fund at once (${fund.share_percent}% of its ${units(balanceMinor)}); you have ${units(heldMinor)} open, so at most ${units(leftMinor)} more`,
      {
        field: 'amount',
        currencyCode: currency.code,
        limit: formatAmount(limitMinor, currency.scale),
        open: formatAmount(heldMinor, currency.scale),
        available: formatAmount(leftMinor, currency.scale),
        amount: formatAmount(amountMinor, currency.scale),
      },
    );
  }

  /**
   * One transaction, retried as a whole on a serialization failure or
   * deadlock, and when the database refuses the vote of a steward whom a
   * change of the fund's stewards removed after the vote read the rule (the
   * retry reads the new rule and refuses it as NOT_A_FUND_STEWARD).
   */
  private async inTransaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await inFundTransaction(this.dataSource, this.logger, 'a vote', work, (error) =>
        isRefusedVoter(error),
      );
    } catch (error) {
      if (isUniqueViolation(error, 'pk_disbursement_votes')) {
        // Unreachable while every vote takes the transfer's row lock; kept as the database's word.
        throw new AppError('ALREADY_VOTED', 'You have already voted on this disbursement');
      }
      throw error;
    }
  }
}

/** The check of the Funds migration's vote trigger (check_violation, "may not vote"). */
function isRefusedVoter(error: unknown): boolean {
  return (
    sqlState(error) === CHECK_VIOLATION &&
    error instanceof Error &&
    error.message.includes('may not vote on transfer')
  );
}

const CHECK_VIOLATION = '23514';
