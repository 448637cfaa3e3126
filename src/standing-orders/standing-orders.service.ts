import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { mayDebitAccount, mayReadAccount, refusePolicyBypass } from '../accounts/account-access';
import { AccountEntity } from '../accounts/account.entity';
import { Actor } from '../access/actor';
import { withinCommunity, withoutCommunity } from '../common/database/tenancy';
import { AppError, invalidInput } from '../common/errors/app-error';
import {
  LedgerError,
  parseAmount,
  requestFingerprint,
  simpleTransferLegs,
  TransferKindValue,
} from '../ledger';
import { LedgerDirectory } from '../transfers/ledger-directory';
import { PostingService } from '../transfers/posting.service';
import { TransferKind } from '../transfers/transfer.entity';
import { CreateStandingOrderInput } from './dto/standing-order.inputs';
import {
  StandingOrderEntity,
  StandingOrderInterval,
  StandingOrderRunEntity,
  StandingOrderStatus,
} from './standing-order.entity';

/**
 * Standing orders and membership fees, paid by the scheduler.
 *
 * Each occurrence (an order and its due instant) is paid at most once: its
 * transfer's idempotency key is derived from the order and the due instant,
 * in the name of whoever set the order up, so a run that crashed after
 * paying, or two servers running at once, pay it once. A failed occurrence
 * (insufficient funds, a frozen account) is recorded with its reason, shown
 * to the payer and stewards, and never retried: the order moves on to its
 * next due date, so a late retry can never turn into a double payment.
 */
export const MAX_STANDING_ORDERS_PER_ACCOUNT = 50;
const DUE_PER_SWEEP = 200;
/** A first payment may lie this far in the past (a form filled in slowly), not further. */
export const STARTS_AT_GRACE_MS = 60 * 60 * 1000;
/** A first payment may lie at most this far ahead. */
export const STARTS_AT_MAX_AHEAD_MS = 366 * 24 * 60 * 60 * 1000;
/**
 * Occurrences missed while no scheduler ran (a server stopped for weeks) are
 * paid late, but only the latest few: older ones are skipped and recorded as
 * such, so that a long outage never turns into a burst of back payments.
 */
export const MAX_MISSED_OCCURRENCES_PAID = 3;
export const SKIPPED_OCCURRENCES = 'MISSED_OCCURRENCES_SKIPPED';

/**
 * Of the occurrences due by `now` from `nextRunAt` on, the first one still to
 * be paid when at most `keep` are paid late, and how many before it are
 * skipped. Walks at most one step per occurrence, remembering only the last
 * `keep`.
 */
export function catchUpFrom(
  nextRunAt: Date,
  interval: StandingOrderInterval,
  now: Date,
  keep = MAX_MISSED_OCCURRENCES_PAID,
): { firstPaid: Date; skipped: number } {
  const latest: Date[] = [];
  let due = 0;
  for (let at = nextRunAt; at.getTime() <= now.getTime(); at = nextOccurrence(at, interval)) {
    latest.push(at);
    if (latest.length > keep) latest.shift();
    due += 1;
  }
  if (due <= keep) return { firstPaid: nextRunAt, skipped: 0 };
  return { firstPaid: latest[0], skipped: due - keep };
}

export function nextOccurrence(from: Date, interval: StandingOrderInterval): Date {
  const next = new Date(from.getTime());
  switch (interval) {
    case StandingOrderInterval.DAY:
      next.setUTCDate(next.getUTCDate() + 1);
      break;
    case StandingOrderInterval.WEEK:
      next.setUTCDate(next.getUTCDate() + 7);
      break;
    case StandingOrderInterval.MONTH:
      next.setUTCMonth(next.getUTCMonth() + 1);
      break;
  }
  return next;
}

@Injectable()
export class StandingOrdersService {
  private readonly logger = new Logger('StandingOrders');
  private sweeping = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly posting: PostingService,
    private readonly scales: LedgerDirectory,
  ) {}

  async create(actor: Actor, input: CreateStandingOrderInput): Promise<StandingOrderEntity> {
    const accounts = this.dataSource.getRepository(AccountEntity);
    const from = await accounts.findOneBy({
      communityId: actor.communityId,
      id: input.fromAccountId,
    });
    const to = await accounts.findOneBy({ communityId: actor.communityId, id: input.toAccountId });
    if (from === null || to === null) throw new AppError('NOT_FOUND', 'No such account');
    if (!mayDebitAccount(actor, from)) {
      throw new AppError('FORBIDDEN', 'Standing orders pay from your own accounts only');
    }
    if (from.currencyCode !== to.currencyCode) {
      throw new LedgerError('CURRENCY_MISMATCH', 'Both accounts must hold the same currency');
    }
    refusePolicyBypass(from, to);
    const scale = (await this.scales.scaleOf(actor.communityId, from.id))!;
    let amountMinor: bigint;
    try {
      amountMinor = parseAmount(input.amount, scale);
    } catch (error) {
      if (error instanceof LedgerError) throw invalidInput('amount', `amount: ${error.message}`);
      throw error;
    }
    simpleTransferLegs(from.id, to.id, amountMinor);
    const now = Date.now();
    const startsAt = input.startsAt ?? new Date(now);
    if (
      startsAt.getTime() < now - STARTS_AT_GRACE_MS ||
      startsAt.getTime() > now + STARTS_AT_MAX_AHEAD_MS
    ) {
      throw invalidInput(
        'startsAt',
        'startsAt: the first payment must fall between an hour ago and a year from now',
      );
    }
    if (input.endsAt !== undefined && input.endsAt.getTime() <= startsAt.getTime()) {
      throw invalidInput('endsAt', 'endsAt: must come after startsAt');
    }
    const repository = this.dataSource.getRepository(StandingOrderEntity);
    const count = await repository.countBy({
      communityId: actor.communityId,
      fromAccountId: from.id,
      status: StandingOrderStatus.ACTIVE,
    });
    if (count >= MAX_STANDING_ORDERS_PER_ACCOUNT) {
      throw new AppError(
        'CONFLICT',
        `An account has at most ${MAX_STANDING_ORDERS_PER_ACCOUNT} active standing orders`,
      );
    }
    return repository.save(
      repository.create({
        communityId: actor.communityId,
        id: randomUUID(),
        fromAccountId: from.id,
        toAccountId: to.id,
        amountMinor: amountMinor.toString(),
        kind: input.kind ?? TransferKind.PAYMENT,
        memo: input.memo ?? null,
        interval: input.interval,
        nextRunAt: startsAt,
        endsAt: input.endsAt ?? null,
        status: StandingOrderStatus.ACTIVE,
        createdBy: actor.userId,
      }),
    );
  }

  async cancel(actor: Actor, id: string): Promise<StandingOrderEntity> {
    const repository = this.dataSource.getRepository(StandingOrderEntity);
    const order = await repository.findOneBy({ communityId: actor.communityId, id });
    if (order === null) throw new AppError('NOT_FOUND', 'No such standing order');
    const from = await this.dataSource
      .getRepository(AccountEntity)
      .findOneByOrFail({ communityId: actor.communityId, id: order.fromAccountId });
    if (!mayDebitAccount(actor, from))
      throw new AppError('FORBIDDEN', 'This standing order is not yours');
    if (order.status === StandingOrderStatus.ACTIVE) {
      order.status = StandingOrderStatus.CANCELLED;
      await repository.save(order);
    }
    return order;
  }

  /** The standing orders paying from an account, with their latest runs. */
  async list(
    actor: Actor,
    accountId: string,
  ): Promise<Array<{ order: StandingOrderEntity; runs: StandingOrderRunEntity[] }>> {
    const account = await this.dataSource
      .getRepository(AccountEntity)
      .findOneBy({ communityId: actor.communityId, id: accountId });
    if (account === null) throw new AppError('NOT_FOUND', 'No such account');
    if (!mayReadAccount(actor, account))
      throw new AppError('FORBIDDEN', 'This account is not yours');
    const orders = await this.dataSource.getRepository(StandingOrderEntity).find({
      where: { communityId: actor.communityId, fromAccountId: accountId },
      order: { createdAt: 'DESC' },
      take: MAX_STANDING_ORDERS_PER_ACCOUNT,
    });
    return Promise.all(
      orders.map(async (order) => ({
        order,
        runs: await this.dataSource.getRepository(StandingOrderRunEntity).find({
          where: { communityId: order.communityId, standingOrderId: order.id },
          order: { dueAt: 'DESC' },
          take: 20,
        }),
      })),
    );
  }

  @Interval('standing-orders', 60_000)
  async sweep(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      await this.runDue(new Date());
    } catch (error) {
      this.logger.error({ err: error }, 'paying standing orders failed; the next run tries again');
    } finally {
      this.sweeping = false;
    }
  }

  /** Pays every occurrence due by `now`, oldest first, at most a few hundred per call. Returns how many it handled. */
  async runDue(now: Date): Promise<number> {
    // What is due, in every community; each order is then its community's work.
    const due = await withoutCommunity(() =>
      this.dataSource
        .getRepository(StandingOrderEntity)
        .createQueryBuilder('o')
        .where('o.status = :status AND o.next_run_at <= :now', {
          status: StandingOrderStatus.ACTIVE,
          now,
        })
        .orderBy('o.next_run_at', 'ASC')
        .take(DUE_PER_SWEEP)
        .getMany(),
    );
    let handled = 0;
    for (const order of due) {
      handled += await withinCommunity(order.communityId, () => this.runOne(order, now));
    }
    return handled;
  }

  /** Pays an order's due occurrence; 0 when the order ended instead. */
  private async runOne(order: StandingOrderEntity, now: Date): Promise<number> {
    await this.skipOldOccurrences(order, now);
    if (order.endsAt !== null && order.nextRunAt.getTime() > order.endsAt.getTime()) {
      await this.advance(order, StandingOrderStatus.ENDED);
      return 0;
    }
    await this.payOccurrence(order);
    return 1;
  }

  /**
   * Moves an order that missed more than MAX_MISSED_OCCURRENCES_PAID
   * occurrences on to the oldest one still paid, recording the skip as a run
   * of the first skipped occurrence (shown to the payer and stewards).
   */
  private async skipOldOccurrences(order: StandingOrderEntity, now: Date): Promise<void> {
    const { firstPaid, skipped } = catchUpFrom(order.nextRunAt, order.interval, now);
    if (skipped === 0) return;
    const moved = await this.dataSource.query<[unknown[], number]>(
      `UPDATE standing_orders SET next_run_at = $4, updated_at = now()
        WHERE community_id = $1 AND id = $2 AND next_run_at = $3`,
      [order.communityId, order.id, order.nextRunAt, firstPaid],
    );
    // Another server moved it first: it recorded the skip.
    if (moved[1] === 0) return;
    await this.dataSource.query(
      `INSERT INTO standing_order_runs (community_id, standing_order_id, due_at, transfer_id, error_code, error_message, ran_at)
       VALUES ($1, $2, $3, NULL, $4, $5, now()) ON CONFLICT DO NOTHING`,
      [
        order.communityId,
        order.id,
        order.nextRunAt,
        SKIPPED_OCCURRENCES,
        `${skipped} occurrences from ${order.nextRunAt.toISOString()} on were missed and are not paid; only the latest ${MAX_MISSED_OCCURRENCES_PAID} are`,
      ],
    );
    this.logger.log(
      { standingOrderId: order.id, skipped, resumesAt: firstPaid.toISOString() },
      'standing order: old missed occurrences skipped',
    );
    order.nextRunAt = firstPaid;
  }

  private async payOccurrence(order: StandingOrderEntity): Promise<void> {
    const dueAt = order.nextRunAt;
    const outcome = await this.posting.post(order.communityId, {
      type: 'TRANSFER',
      origin: 'STANDING_ORDER',
      initiator: { userId: order.createdBy, steward: false },
      kind: order.kind as TransferKindValue,
      fromAccountId: order.fromAccountId,
      toAccountId: order.toAccountId,
      amountMinor: BigInt(order.amountMinor),
      memo: order.memo,
      holdUntil: null,
      idempotencyKey: `standing-order#${order.id}#${dueAt.toISOString()}`,
      fingerprint: requestFingerprint({ operation: 'standingOrder', id: order.id, dueAt }),
    });
    const failed = outcome.outcome === 'REFUSED' ? outcome.error : null;
    const transfer =
      outcome.outcome === 'APPLIED' || outcome.outcome === 'REPLAYED'
        ? outcome.transfers[outcome.transfers.length - 1]
        : null;
    await this.dataSource.query(
      `INSERT INTO standing_order_runs (community_id, standing_order_id, due_at, transfer_id, error_code, error_message, ran_at)
       VALUES ($1, $2, $3, $4, $5, $6, now()) ON CONFLICT DO NOTHING`,
      [
        order.communityId,
        order.id,
        dueAt,
        transfer?.record.id ?? null,
        failed?.code ?? null,
        failed?.message.slice(0, 500) ?? null,
      ],
    );
    if (failed !== null) {
      this.logger.warn(
        { standingOrderId: order.id, reason: failed.code },
        'standing order occurrence failed; not retried',
      );
    }
    await this.advance(order, StandingOrderStatus.ACTIVE);
  }

  /** Moves to the next due date, unless another server already did. */
  private async advance(order: StandingOrderEntity, status: StandingOrderStatus): Promise<void> {
    const next = nextOccurrence(order.nextRunAt, order.interval);
    const ended =
      status === StandingOrderStatus.ENDED ||
      (order.endsAt !== null && next.getTime() > order.endsAt.getTime());
    await this.dataSource.query(
      `UPDATE standing_orders SET next_run_at = $4, status = $5, updated_at = now()
        WHERE community_id = $1 AND id = $2 AND next_run_at = $3`,
      [
        order.communityId,
        order.id,
        order.nextRunAt,
        next,
        ended ? StandingOrderStatus.ENDED : StandingOrderStatus.ACTIVE,
      ],
    );
  }
}
