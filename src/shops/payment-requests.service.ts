import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { mayDebitAccount, mayReadAccount } from '../accounts/account-access';
import { AccountEntity } from '../accounts/account.entity';
import { Actor } from '../access/actor';
import { sqlState } from '../common/database/postgres-errors';
import { AppError, invalidInput } from '../common/errors/app-error';
import { decodeCursor, encodeCursor } from '../common/pagination/connection';
import {
  formatAmount,
  parseAmount,
  readField,
  requestFingerprint,
  TransferCommand,
} from '../ledger';
import { LedgerDirectory } from '../transfers/ledger-directory';
import { answerOf, PostingService } from '../transfers/posting.service';
import { initiatorOf } from '../transfers/transfers.service';
import { TransferEntity, TransferKind, TransferStatusEnum } from '../transfers/transfer.entity';
import {
  CreatePaymentRequestInput,
  PayPaymentRequestInput,
  RefundPaymentInput,
} from './dto/shop.inputs';
import { PaymentRequestEntity, StoredPaymentRequestStatus } from './payment-request.entity';
import { Payment, PaymentRequestStatus, ShopSales } from './payment-request.model';
import { isShopAccount, mayRequestPaymentsInto } from './shop-access';
import { PaymentRow, ShopsStore } from './shops.store';

/** A single-use request without an expiry of its own lasts this long. */
export const DEFAULT_SINGLE_USE_EXPIRY_MS = 15 * 60 * 1000;
/** The furthest a request may expire. */
export const MAX_EXPIRY_MS = 366 * 24 * 3600 * 1000;
/** Open, unexpired requests one shop account may have at once. */
export const MAX_OPEN_REQUESTS_PER_ACCOUNT = 1000;
/** The longest period shopSales sums. */
export const MAX_SALES_PERIOD_MS = 366 * 24 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;
/** Ids are UUIDs; anything else names nothing (and must not reach a uuid column). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A request's status as clients see it: an OPEN one past its expiry is EXPIRED. */
export function paymentRequestStatus(
  request: PaymentRequestEntity,
  now: Date = new Date(),
): PaymentRequestStatus {
  if (
    request.status === StoredPaymentRequestStatus.OPEN &&
    request.expiresAt !== null &&
    request.expiresAt.getTime() <= now.getTime()
  ) {
    return PaymentRequestStatus.EXPIRED;
  }
  return PaymentRequestStatus[request.status];
}

/** The refusal of a payment into a request that is not open, saying why. */
function notOpen(request: PaymentRequestEntity, status: PaymentRequestStatus): AppError {
  switch (status) {
    case PaymentRequestStatus.PAID:
      return new AppError('PAYMENT_REQUEST_PAID', 'This payment request has already been paid', {
        status,
      });
    case PaymentRequestStatus.CANCELLED:
      return new AppError('PAYMENT_REQUEST_CANCELLED', 'The shop cancelled this payment request', {
        status,
      });
    case PaymentRequestStatus.EXPIRED:
    case PaymentRequestStatus.OPEN:
      return new AppError(
        'PAYMENT_REQUEST_EXPIRED',
        `This payment request expired at ${request.expiresAt?.toISOString() ?? 'an earlier time'}`,
        { status: PaymentRequestStatus.EXPIRED },
      );
  }
}

export function paymentCursor(sequence: bigint): string {
  return encodeCursor([sequence.toString()]);
}

export function sequenceOfCursor(cursor: string | undefined): bigint {
  if (cursor === undefined) return 0n;
  const [sequence] = decodeCursor(cursor, ['digits']);
  return BigInt(sequence);
}

export function toPayment(row: PaymentRow): Payment {
  return {
    transferId: row.transferId,
    paymentRequestId: row.paymentRequestId,
    accountId: row.accountId,
    currencyCode: row.currencyCode,
    amount: formatAmount(row.amountMinor, row.scale),
    fee: formatAmount(row.amountMinor - row.creditedMinor, row.scale),
    payerName: row.payerName,
    memo: row.memo,
    reference: row.reference,
    postedAt: row.postedAt,
    refundedAmount: formatAmount(row.refundedMinor, row.scale),
    cursor: paymentCursor(row.sequence),
  };
}

/**
 * Shops' payment requests and the payments into them. Paying and refunding
 * post PAYMENT transfers through the posting engine like any transfer
 * (locks, limits, fees, idempotency), carrying the request they pay or the
 * payment they refund; the trigger of migration ShopPayments checks those
 * links again in the posting transaction.
 */
@Injectable()
export class PaymentRequestsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: ShopsStore,
    private readonly posting: PostingService,
    private readonly scales: LedgerDirectory,
  ) {}

  async create(actor: Actor, input: CreatePaymentRequestInput): Promise<PaymentRequestEntity> {
    const account = await this.account(actor, input.toAccountId, 'toAccountId');
    if (!mayRequestPaymentsInto(actor, account)) {
      throw new AppError('FORBIDDEN', 'Payment requests go to your own shop accounts only', {
        field: 'toAccountId',
      });
    }
    if (!isShopAccount(account)) {
      throw new AppError('NOT_A_SHOP_ACCOUNT', 'Payment requests go to SHOP accounts only', {
        field: 'toAccountId',
      });
    }
    const scale = await this.scaleOf(actor.communityId, account.id);
    const amountMinor =
      input.amount === undefined
        ? null
        : readField('amount', () => parseAmount(input.amount!, scale));
    const now = Date.now();
    const reusable = input.reusable === true;
    let expiresAt = input.expiresAt ?? null;
    if (expiresAt !== null) {
      const at = expiresAt.getTime();
      if (Number.isNaN(at) || at <= now || at > now + MAX_EXPIRY_MS) {
        throw invalidInput('expiresAt', 'expiresAt: must be in the future and within a year');
      }
    } else if (!reusable) {
      expiresAt = new Date(now + DEFAULT_SINGLE_USE_EXPIRY_MS);
    }
    const open = await this.store.countOpenRequests(
      actor.communityId,
      account.id,
      MAX_OPEN_REQUESTS_PER_ACCOUNT,
    );
    if (open >= MAX_OPEN_REQUESTS_PER_ACCOUNT) {
      throw new AppError(
        'TOO_MANY_OPEN_REQUESTS',
        `A shop account may have at most ${MAX_OPEN_REQUESTS_PER_ACCOUNT} open payment requests: cancel some or let them expire`,
      );
    }
    const request = new PaymentRequestEntity();
    Object.assign(request, {
      communityId: actor.communityId,
      id: randomUUID(),
      toAccountId: account.id,
      currencyCode: account.currencyCode,
      amountMinor: amountMinor?.toString() ?? null,
      memo: input.memo ?? null,
      reference: input.reference ?? null,
      reusable,
      status: StoredPaymentRequestStatus.OPEN,
      expiresAt,
      createdBy: actor.userId,
      createdByKey: actor.kind === 'API_KEY' ? actor.keyId : null,
      cancelledAt: null,
      paidMinor: '0',
      paymentCount: 0,
    });
    return this.store.insertRequest(request);
  }

  /**
   * A request as a payer or its shop sees it: any member of the community
   * may look one up to pay it; a till key sees only its own shop's.
   */
  async get(actor: Actor, id: string): Promise<PaymentRequestEntity> {
    const request = UUID.test(id) ? await this.store.findRequest(actor.communityId, id) : null;
    if (request === null) throw new AppError('NOT_FOUND', 'No such payment request');
    if (actor.kind === 'API_KEY') {
      const account = await this.account(actor, request.toAccountId, 'id');
      if (!mayReadAccount(actor, account)) {
        throw new AppError('FORBIDDEN', "This payment request is not your shop's");
      }
    }
    return request;
  }

  async list(
    actor: Actor,
    accountId: string,
    status: PaymentRequestStatus | undefined,
    after: string | undefined,
    limit: number,
  ): Promise<PaymentRequestEntity[]> {
    await this.readableAccount(actor, accountId);
    let key: { createdAt: Date; id: string } | undefined;
    if (after !== undefined) {
      const [createdAt, id] = decodeCursor(after, ['instant', 'uuid']);
      key = { createdAt, id };
    }
    return this.store.listRequests(actor.communityId, accountId, status, key, limit);
  }

  /** Cancels an open request; cancelling a cancelled one again returns it as it is. */
  async cancel(actor: Actor, id: string): Promise<PaymentRequestEntity> {
    const request = UUID.test(id) ? await this.store.findRequest(actor.communityId, id) : null;
    if (request === null) throw new AppError('NOT_FOUND', 'No such payment request');
    const account = await this.account(actor, request.toAccountId, 'id');
    if (!mayRequestPaymentsInto(actor, account)) {
      throw new AppError('FORBIDDEN', 'Only the shop that made a payment request cancels it');
    }
    const cancelled = await this.store.cancelRequest(actor.communityId, id);
    if (cancelled !== null) return cancelled;
    const now = (await this.store.findRequest(actor.communityId, id))!;
    const status = paymentRequestStatus(now);
    if (status === PaymentRequestStatus.CANCELLED) return now;
    throw notOpen(now, status);
  }

  /** Whether the caller sees every payment of a request (its shop, the till key, stewards). */
  async seesAllPayments(actor: Actor, request: PaymentRequestEntity): Promise<boolean> {
    const account = await this.account(actor, request.toAccountId, 'id');
    return mayReadAccount(actor, account);
  }

  async paymentsOfRequest(request: PaymentRequestEntity, limit: number): Promise<Payment[]> {
    return (await this.store.paymentsOfRequest(request.communityId, request, limit)).map(toPayment);
  }

  paidByUser(request: PaymentRequestEntity, userId: string): Promise<bigint> {
    return this.store.paidByUser(request.communityId, request.id, userId);
  }

  /**
   * Pays a request from one of the caller's accounts. A retry with the same
   * idempotency key returns the original transfer, even once the request is
   * paid; any other payment into a request that is not open is refused with
   * CONFLICT saying why (paid, cancelled or expired).
   */
  async pay(actor: Actor, input: PayPaymentRequestInput): Promise<TransferEntity> {
    const found = UUID.test(input.paymentRequestId)
      ? await this.store.findRequestAndShopOwner(actor.communityId, input.paymentRequestId)
      : null;
    if (found === null) {
      throw new AppError('NOT_FOUND', 'No such payment request', { field: 'paymentRequestId' });
    }
    const { request } = found;
    if (found.shopOwnerId === actor.userId) {
      throw new AppError('OWN_PAYMENT_REQUEST', 'A shop cannot pay its own payment request', {
        field: 'paymentRequestId',
      });
    }
    const scale = await this.scaleOf(actor.communityId, request.toAccountId);
    let amountMinor: bigint;
    if (request.amountMinor === null) {
      if (input.amount === undefined) {
        throw new AppError(
          'PAYMENT_AMOUNT_MISMATCH',
          'amount: this request leaves the amount to you; say how much you pay',
          { field: 'amount' },
        );
      }
      amountMinor = readField('amount', () => parseAmount(input.amount!, scale));
    } else {
      amountMinor = BigInt(request.amountMinor);
      if (
        input.amount !== undefined &&
        readField('amount', () => parseAmount(input.amount!, scale)) !== amountMinor
      ) {
        throw new AppError(
          'PAYMENT_AMOUNT_MISMATCH',
          `amount: this request is for exactly ${formatAmount(amountMinor, scale)} ${request.currencyCode}; leave amount out`,
          { field: 'amount' },
        );
      }
    }
    const fingerprint = requestFingerprint({
      operation: 'payPaymentRequest',
      paymentRequestId: request.id,
      fromAccountId: input.fromAccountId,
      amountMinor,
    });
    const status = paymentRequestStatus(request);
    if (status !== PaymentRequestStatus.OPEN) {
      // A retry of a payment that went through is answered with it; any other payment is refused.
      const replay = await this.replay(actor, input.idempotencyKey, fingerprint);
      if (replay !== null) return replay;
      throw notOpen(request, status);
    }
    // An open request goes straight to the engine, which returns the original of a retry itself.

    const payment: TransferCommand = {
      type: 'TRANSFER',
      origin: 'USER',
      initiator: initiatorOf(actor),
      kind: 'PAYMENT',
      fromAccountId: input.fromAccountId,
      toAccountId: request.toAccountId,
      amountMinor,
      memo: request.memo,
      holdUntil: null,
      idempotencyKey: input.idempotencyKey,
      fingerprint,
      links: { paymentRequestId: request.id },
    };
    try {
      return await this.post(actor, payment, 'fromAccountId');
    } catch (error) {
      throw this.refusalOf(error, request) ?? error;
    }
  }

  /**
   * Refunds all or part of a payment into a shop account, back to its payer:
   * the shop's owner (or a steward) only, never a till key. All the refunds
   * of one payment together never exceed it, however many run at once.
   */
  async refund(actor: Actor, input: RefundPaymentInput): Promise<TransferEntity> {
    const original = await this.store.findTransfer(actor.communityId, input.transferId);
    if (original === null) {
      throw new AppError('NOT_FOUND', 'No such payment', { field: 'transferId' });
    }
    const shop = await this.account(actor, original.toAccountId, 'transferId');
    if (!mayDebitAccount(actor, shop)) {
      throw new AppError('FORBIDDEN', 'Only the shop that was paid refunds a payment', {
        field: 'transferId',
      });
    }
    if (
      original.kind !== TransferKind.PAYMENT ||
      original.status !== TransferStatusEnum.POSTED ||
      original.refundOf !== null ||
      !isShopAccount(shop)
    ) {
      throw new AppError('NOT_A_PAYMENT', 'Only posted payments into a shop account are refunded', {
        field: 'transferId',
      });
    }
    const scale = await this.scaleOf(actor.communityId, shop.id);
    const askedMinor =
      input.amount === undefined
        ? null
        : readField('amount', () => parseAmount(input.amount!, scale));
    const memo = input.reason ?? null;
    const fingerprint = requestFingerprint({
      operation: 'refundPayment',
      transferId: original.id,
      amountMinor: askedMinor,
      reason: memo,
    });
    const replay = await this.replay(actor, input.idempotencyKey, fingerprint);
    if (replay !== null) return replay;

    const paidMinor = BigInt(original.amountMinor);
    const leftMinor = paidMinor - (await this.store.refundedMinor(actor.communityId, original.id));
    const amountMinor = askedMinor ?? leftMinor;
    if (leftMinor <= 0n || amountMinor > leftMinor) {
      throw this.refundTooLarge(paidMinor, leftMinor, scale, original.currencyCode);
    }
    const refund: TransferCommand = {
      type: 'TRANSFER',
      origin: 'USER',
      initiator: initiatorOf(actor),
      kind: 'PAYMENT',
      fromAccountId: shop.id,
      toAccountId: original.fromAccountId,
      amountMinor,
      memo,
      holdUntil: null,
      idempotencyKey: input.idempotencyKey,
      fingerprint,
      links: { refundOf: original.id },
    };
    try {
      return await this.post(actor, refund, 'transferId');
    } catch (error) {
      if (sqlState(error) === 'MU004') {
        // A concurrent refund of the same payment committed first.
        const left = paidMinor - (await this.store.refundedMinor(actor.communityId, original.id));
        throw this.refundTooLarge(paidMinor, left, scale, original.currencyCode);
      }
      throw error;
    }
  }

  async paymentsSince(
    actor: Actor,
    accountId: string,
    after: string | undefined,
    limit: number,
  ): Promise<PaymentRow[]> {
    const afterSequence = sequenceOfCursor(after);
    await this.readableAccount(actor, accountId);
    return this.store.paymentsSince(actor.communityId, accountId, afterSequence, limit);
  }

  async sales(
    actor: Actor,
    accountId: string,
    from: Date | undefined,
    to: Date | undefined,
  ): Promise<ShopSales> {
    const account = await this.readableAccount(actor, accountId);
    const today = new Date();
    today.setUTCHours(0, 0, 0, 0);
    const start = from ?? (to !== undefined ? new Date(to.getTime() - DAY_MS) : today);
    const end = to ?? new Date(start.getTime() + DAY_MS);
    if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) || end <= start) {
      throw invalidInput('to', 'to: must come after from');
    }
    if (end.getTime() - start.getTime() > MAX_SALES_PERIOD_MS) {
      throw invalidInput('to', 'to: a period of sales is at most 366 days');
    }
    const scale = await this.scaleOf(actor.communityId, account.id);
    const totals = await this.store.sales(actor.communityId, account.id, start, end);
    return {
      accountId: account.id,
      currencyCode: account.currencyCode,
      from: start,
      to: end,
      count: totals.count,
      totalReceived: formatAmount(totals.totalReceivedMinor, scale),
      fees: formatAmount(totals.feesMinor, scale),
      refunds: formatAmount(totals.refundsMinor, scale),
      net: formatAmount(totals.netMinor, scale),
    };
  }

  /** An account the caller may read; NOT_FOUND outside their community, FORBIDDEN otherwise. */
  async readableAccount(actor: Actor, accountId: string): Promise<AccountEntity> {
    const account = await this.account(actor, accountId, 'accountId');
    if (!mayReadAccount(actor, account)) {
      throw new AppError('FORBIDDEN', 'This account is not yours');
    }
    return account;
  }

  /**
   * Posts a payment or refund through the posting path, which checks that the
   * caller may debit the account (NOT_YOURS, answered as FORBIDDEN naming
   * `field`) and every limit and fee of the currency.
   */
  private async post(
    actor: Actor,
    transfer: TransferCommand,
    field: string,
  ): Promise<TransferEntity> {
    const result = await this.posting.post(actor.communityId, transfer);
    if (result.outcome === 'REFUSED' && result.error.code === 'NOT_YOURS') {
      throw new AppError('FORBIDDEN', 'You may only pay from your own accounts', { field });
    }
    return answerOf(result);
  }

  private async replay(
    actor: Actor,
    idempotencyKey: string,
    fingerprint: string,
  ): Promise<TransferEntity | null> {
    const original = await this.store.findTransferByKey(
      actor.communityId,
      actor.userId,
      idempotencyKey,
    );
    if (original === null) return null;
    if (original.requestFingerprint !== fingerprint) {
      throw new AppError(
        'IDEMPOTENCY_CONFLICT',
        'This idempotency key was already used for a different request',
        { field: 'idempotencyKey' },
      );
    }
    return original;
  }

  /** The database's refusal of a payment into a request that stopped being open meanwhile. */
  private refusalOf(error: unknown, request: PaymentRequestEntity): AppError | undefined {
    switch (sqlState(error)) {
      case 'MU001':
        return notOpen(request, PaymentRequestStatus.PAID);
      case 'MU002':
        return notOpen(request, PaymentRequestStatus.CANCELLED);
      case 'MU003':
        return notOpen(request, PaymentRequestStatus.EXPIRED);
      default:
        return undefined;
    }
  }

  private refundTooLarge(
    paidMinor: bigint,
    leftMinor: bigint,
    scale: number,
    currencyCode: string,
  ): AppError {
    const left = formatAmount(leftMinor > 0n ? leftMinor : 0n, scale);
    return new AppError(
      'REFUND_EXCEEDS_PAYMENT',
      `At most ${left} ${currencyCode} of this payment of ${formatAmount(paidMinor, scale)} is left to refund`,
      { field: 'amount', left, paid: formatAmount(paidMinor, scale) },
    );
  }

  private async account(actor: Actor, id: string, field: string): Promise<AccountEntity> {
    if (!UUID.test(id)) throw new AppError('NOT_FOUND', 'No such account', { field });
    const account = await this.dataSource
      .getRepository(AccountEntity)
      .findOneBy({ communityId: actor.communityId, id });
    if (account === null) throw new AppError('NOT_FOUND', 'No such account', { field });
    return account;
  }

  private async scaleOf(communityId: string, accountId: string): Promise<number> {
    const scale = await this.scales.scaleOf(communityId, accountId);
    if (scale === undefined) throw new Error(`account ${accountId} has no currency`);
    return scale;
  }
}
