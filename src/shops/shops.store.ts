import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccountEntity } from '../accounts/account.entity';
import { TransferEntity } from '../transfers/transfer.entity';
import { PaymentRequestEntity, StoredPaymentRequestStatus } from './payment-request.entity';
import { PaymentRequestStatus } from './payment-request.model';

/** One payment into a shop account as read from the ledger, in minor units. */
export interface PaymentRow {
  transferId: string;
  paymentRequestId: string | null;
  accountId: string;
  currencyCode: string;
  scale: number;
  /** The shop account's entry for it: its position in the account's history. */
  sequence: bigint;
  amountMinor: bigint;
  /** What reached the shop account (the amount less fees the shop bore). */
  creditedMinor: bigint;
  refundedMinor: bigint;
  payerName: string;
  memo: string | null;
  reference: string | null;
  postedAt: Date;
}

export interface SalesTotals {
  count: number;
  totalReceivedMinor: bigint;
  feesMinor: bigint;
  refundsMinor: bigint;
  netMinor: bigint;
}

interface PaymentSqlRow {
  transfer_id: string;
  payment_request_id: string | null;
  account_id: string;
  currency_code: string;
  scale: number;
  sequence: string;
  amount_minor: string;
  credited_minor: string;
  refunded_minor: string;
  payer_name: string;
  memo: string | null;
  reference: string | null;
  posted_at: Date;
}

/**
 * A payment is a posted PAYMENT transfer into the account that is not itself
 * a refund, read through the account's own entry for it: the entry's
 * sequence is the payment's cursor. Sequences of one account are handed out
 * under its row lock, so they grow in commit order: once a reader has seen
 * sequence n, every later payment has a larger one, and "after n" misses
 * nothing that commits later.
 */
const PAYMENT_SELECT = `
  SELECT t.id AS transfer_id, t.payment_request_id, e.account_id, t.currency_code, c.scale,
         e.sequence::text AS sequence, t.amount_minor::text AS amount_minor,
         e.amount_minor::text AS credited_minor,
         (SELECT coalesce(sum(r.amount_minor), 0)::text FROM transfers r
           WHERE r.community_id = t.community_id AND r.refund_of = t.id AND r.status = 'POSTED')
           AS refunded_minor,
         coalesce(u.display_name, pa.name) AS payer_name, t.memo, pr.reference, e.posted_at
    FROM entries e
    JOIN transfers t ON t.community_id = e.community_id AND t.id = e.transfer_id
    JOIN currencies c ON c.community_id = t.community_id AND c.code = t.currency_code
    JOIN accounts pa ON pa.community_id = t.community_id AND pa.id = t.from_account_id
    LEFT JOIN users u ON u.community_id = pa.community_id AND u.id = pa.owner_id
    LEFT JOIN payment_requests pr
      ON pr.community_id = t.community_id AND pr.id = t.payment_request_id`;

const IS_PAYMENT_INTO_ENTRY_ACCOUNT = `t.kind = 'PAYMENT' AND t.to_account_id = e.account_id
   AND t.refund_of IS NULL AND e.amount_minor > 0`;

function toPaymentRow(row: PaymentSqlRow): PaymentRow {
  return {
    transferId: row.transfer_id,
    paymentRequestId: row.payment_request_id,
    accountId: row.account_id,
    currencyCode: row.currency_code,
    scale: Number(row.scale),
    sequence: BigInt(row.sequence),
    amountMinor: BigInt(row.amount_minor),
    creditedMinor: BigInt(row.credited_minor),
    refundedMinor: BigInt(row.refunded_minor),
    payerName: row.payer_name,
    memo: row.memo,
    reference: row.reference,
    postedAt: row.posted_at,
  };
}

/** Runs one statement and returns its rows: the pool by default, or a connection of one's own. */
export type RunQuery = <T>(sql: string, parameters: unknown[]) => Promise<T[]>;

/** An entry of an account, by its position. */
export interface EntryKey {
  communityId: string;
  accountId: string;
  sequence: bigint;
}

/** The SQL of payment requests and of the shop views of the ledger, in one place. */
@Injectable()
export class ShopsStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  insertRequest(request: PaymentRequestEntity): Promise<PaymentRequestEntity> {
    return this.dataSource.getRepository(PaymentRequestEntity).save(request);
  }

  findRequest(communityId: string, id: string): Promise<PaymentRequestEntity | null> {
    return this.dataSource.getRepository(PaymentRequestEntity).findOneBy({ communityId, id });
  }

  /** A request with the owner of the account it pays into, in one read: what paying needs first. */
  async findRequestAndShopOwner(
    communityId: string,
    id: string,
  ): Promise<{ request: PaymentRequestEntity; shopOwnerId: string | null } | null> {
    const { entities, raw } = await this.dataSource
      .getRepository(PaymentRequestEntity)
      .createQueryBuilder('request')
      .innerJoin(
        AccountEntity,
        'account',
        'account.community_id = request.community_id AND account.id = request.to_account_id',
      )
      .addSelect('account.owner_id', 'shop_owner_id')
      .where('request.community_id = :communityId AND request.id = :id', { communityId, id })
      .getRawAndEntities<{ shop_owner_id: string | null }>();
    if (entities.length === 0) return null;
    return { request: entities[0], shopOwnerId: raw[0].shop_owner_id };
  }

  /** Open, unexpired requests of an account, counted up to `limit`. */
  async countOpenRequests(communityId: string, accountId: string, limit: number): Promise<number> {
    const [row] = await this.dataSource.query<Array<{ count: string }>>(
      `SELECT count(*)::text AS count FROM (
         SELECT 1 FROM payment_requests
          WHERE community_id = $1 AND to_account_id = $2 AND status = 'OPEN'
            AND (expires_at IS NULL OR expires_at > now())
          LIMIT $3) open_requests`,
      [communityId, accountId, limit],
    );
    return Number(row.count);
  }

  /** An account's requests, newest first, after a (createdAt, id) key. */
  listRequests(
    communityId: string,
    accountId: string,
    status: PaymentRequestStatus | undefined,
    after: { createdAt: Date; id: string } | undefined,
    limit: number,
  ): Promise<PaymentRequestEntity[]> {
    const query = this.dataSource
      .getRepository(PaymentRequestEntity)
      .createQueryBuilder('request')
      .where('request.community_id = :communityId AND request.to_account_id = :accountId', {
        communityId,
        accountId,
      })
      .orderBy('request.created_at', 'DESC')
      .addOrderBy('request.id', 'DESC')
      .take(limit);
    switch (status) {
      case undefined:
        break;
      case PaymentRequestStatus.OPEN:
        query.andWhere(
          "request.status = 'OPEN' AND (request.expires_at IS NULL OR request.expires_at > now())",
        );
        break;
      case PaymentRequestStatus.EXPIRED:
        query.andWhere("request.status = 'OPEN' AND request.expires_at <= now()");
        break;
      case PaymentRequestStatus.PAID:
      case PaymentRequestStatus.CANCELLED:
        query.andWhere('request.status = :status', { status });
        break;
    }
    if (after !== undefined) {
      query.andWhere('(request.created_at, request.id) < (:createdAt, :afterId)', {
        createdAt: after.createdAt,
        afterId: after.id,
      });
    }
    return query.getMany();
  }

  /**
   * Cancels an open, unexpired request; null when it was not open (the
   * caller reads it again to say why). A payment that commits first wins:
   * the update waits for its lock and then finds the request PAID.
   */
  async cancelRequest(communityId: string, id: string): Promise<PaymentRequestEntity | null> {
    const result = await this.dataSource
      .getRepository(PaymentRequestEntity)
      .createQueryBuilder()
      .update()
      .set({ status: StoredPaymentRequestStatus.CANCELLED, cancelledAt: () => 'now()' })
      .where('community_id = :communityId AND id = :id', { communityId, id })
      .andWhere("status = 'OPEN' AND (expires_at IS NULL OR expires_at > now())")
      .returning('*')
      .execute();
    const raw = result.raw as Array<Record<string, unknown>>;
    if (raw.length === 0) return null;
    return this.findRequest(communityId, id);
  }

  findTransfer(communityId: string, id: string): Promise<TransferEntity | null> {
    return this.dataSource.getRepository(TransferEntity).findOneBy({ communityId, id });
  }

  /** The transfer a user made with an idempotency key, for a replay. */
  findTransferByKey(
    communityId: string,
    initiatedBy: string,
    idempotencyKey: string,
  ): Promise<TransferEntity | null> {
    return this.dataSource
      .getRepository(TransferEntity)
      .findOneBy({ communityId, initiatedBy, idempotencyKey });
  }

  async refundedMinor(communityId: string, paymentId: string): Promise<bigint> {
    const [row] = await this.dataSource.query<Array<{ refunded: string }>>(
      `SELECT coalesce(sum(amount_minor), 0)::text AS refunded FROM transfers
        WHERE community_id = $1 AND refund_of = $2 AND status = 'POSTED'`,
      [communityId, paymentId],
    );
    return BigInt(row.refunded);
  }

  /** Payments into an account after its entry `afterSequence`, oldest first. */
  async paymentsSince(
    communityId: string,
    accountId: string,
    afterSequence: bigint,
    limit: number,
  ): Promise<PaymentRow[]> {
    const rows = await this.dataSource.query<PaymentSqlRow[]>(
      `${PAYMENT_SELECT}
        WHERE e.community_id = $1 AND e.account_id = $2 AND e.sequence > $3
          AND ${IS_PAYMENT_INTO_ENTRY_ACCOUNT}
        ORDER BY e.sequence
        LIMIT $4`,
      [communityId, accountId, afterSequence.toString(), limit],
    );
    return rows.map(toPaymentRow);
  }

  /**
   * Many payments at once, by the entries that received them (entries that
   * are not payments are left out): one statement for a burst of
   * notifications. `run` lets the caller use a connection of its own.
   */
  async paymentsAt(keys: EntryKey[], run?: RunQuery): Promise<PaymentRow[]> {
    if (keys.length === 0) return [];
    const query: RunQuery =
      run ??
      (<T>(sql: string, parameters: unknown[]) => this.dataSource.query<T[]>(sql, parameters));
    const rows = await query<PaymentSqlRow>(
      `${PAYMENT_SELECT}
        JOIN unnest($1::uuid[], $2::uuid[], $3::bigint[]) AS k(community_id, account_id, sequence)
          ON e.community_id = k.community_id AND e.account_id = k.account_id
         AND e.sequence = k.sequence
        WHERE ${IS_PAYMENT_INTO_ENTRY_ACCOUNT}`,
      [
        keys.map((key) => key.communityId),
        keys.map((key) => key.accountId),
        keys.map((key) => key.sequence.toString()),
      ],
    );
    return rows.map(toPaymentRow);
  }

  /** The newest payments into a request. */
  async paymentsOfRequest(
    communityId: string,
    request: PaymentRequestEntity,
    limit: number,
  ): Promise<PaymentRow[]> {
    const rows = await this.dataSource.query<PaymentSqlRow[]>(
      `${PAYMENT_SELECT}
        WHERE t.community_id = $1 AND t.payment_request_id = $2
          AND e.account_id = $3 AND ${IS_PAYMENT_INTO_ENTRY_ACCOUNT}
        ORDER BY e.sequence DESC
        LIMIT $4`,
      [communityId, request.id, request.toAccountId, limit],
    );
    return rows.map(toPaymentRow);
  }

  /** What one user has paid into a request. */
  async paidByUser(communityId: string, requestId: string, userId: string): Promise<bigint> {
    const [row] = await this.dataSource.query<Array<{ paid: string }>>(
      `SELECT coalesce(sum(amount_minor), 0)::text AS paid FROM transfers
        WHERE community_id = $1 AND payment_request_id = $2 AND initiated_by = $3
          AND status = 'POSTED'`,
      [communityId, requestId, userId],
    );
    return BigInt(row.paid);
  }

  /**
   * A shop account's sales in [from, to), by when its entries were posted:
   * payments received and the fees they bore, refunds paid and the fees
   * those bore. net is what those entries added to the account.
   */
  async sales(communityId: string, accountId: string, from: Date, to: Date): Promise<SalesTotals> {
    const [row] = await this.dataSource.query<
      Array<{ count: string; received: string; fees: string; refunds: string; net: string }>
    >(
      `SELECT count(*) FILTER (WHERE t.refund_of IS NULL)::text AS count,
              coalesce(sum(t.amount_minor) FILTER (WHERE t.refund_of IS NULL), 0)::text AS received,
              coalesce(sum(CASE WHEN t.refund_of IS NULL THEN t.amount_minor - e.amount_minor
                                ELSE -e.amount_minor - t.amount_minor END), 0)::text AS fees,
              coalesce(sum(t.amount_minor) FILTER (WHERE t.refund_of IS NOT NULL), 0)::text AS refunds,
              coalesce(sum(e.amount_minor), 0)::text AS net
         FROM entries e
         JOIN transfers t ON t.community_id = e.community_id AND t.id = e.transfer_id
        WHERE e.community_id = $1 AND e.account_id = $2
          AND e.posted_at >= $3 AND e.posted_at < $4
          AND t.kind = 'PAYMENT'
          AND ((t.refund_of IS NULL AND t.to_account_id = e.account_id AND e.amount_minor > 0)
            OR (t.refund_of IS NOT NULL AND t.from_account_id = e.account_id))`,
      [communityId, accountId, from, to],
    );
    return {
      count: Number(row.count),
      totalReceivedMinor: BigInt(row.received),
      feesMinor: BigInt(row.fees),
      refundsMinor: BigInt(row.refunds),
      netMinor: BigInt(row.net),
    };
  }
}
