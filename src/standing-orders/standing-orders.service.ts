import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { mayDebitAccount, mayReadAccount, refusePolicyBypass } from '../accounts/account-access';
import { AccountEntity } from '../accounts/account.entity';
import { Actor } from '../auth/actor';
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
    const startsAt = input.startsAt ?? new Date();
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
    const due = await this.dataSource
      .getRepository(StandingOrderEntity)
      .createQueryBuilder('o')
      .where('o.status = :status AND o.next_run_at <= :now', {
        status: StandingOrderStatus.ACTIVE,
        now,
      })
      .orderBy('o.next_run_at', 'ASC')
      .take(DUE_PER_SWEEP)
      .getMany();
    let handled = 0;
    for (const order of due) {
      if (order.endsAt !== null && order.nextRunAt.getTime() > order.endsAt.getTime()) {
        await this.advance(order, StandingOrderStatus.ENDED);
        continue;
      }
      await this.payOccurrence(order);
      handled += 1;
    }
    return handled;
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
