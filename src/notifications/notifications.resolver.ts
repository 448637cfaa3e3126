import { Args, Context, ID, Resolver, Subscription } from '@nestjs/graphql';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Access, COMMUNITY_ROLES } from '../access/access.decorator';
import { Actor, ApiKeyScope } from '../access/actor';
import { CurrentActor } from '../access/current-actor.decorator';
import { AppError } from '../common/errors/app-error';
import { GraphQLContext } from '../common/graphql/graphql-context';
import { Payment } from '../shops/payment-request.model';
import {
  PaymentRequestsService,
  sequenceOfCursor,
  toPayment,
} from '../shops/payment-requests.service';
import { ShopsStore } from '../shops/shops.store';
import { PaymentEvents } from './payment-events';
import { TransferEntity } from '../transfers/transfer.entity';
import { Transfer } from '../transfers/transfer.model';
import { toTransferShell } from '../transfers/transfers.resolver';
import { LedgerListener } from './ledger-listener';
import { liveFeed, Positioned } from './live-feed';
import { LedgerEvent, NotificationHub, StreamBreak } from './notification-hub';
import {
  CLOSE_SERVICE_RESTART,
  CLOSE_TRY_AGAIN_LATER,
  WsConnection,
  WsContext,
} from './subscription-server';

/** How long a new subscription waits for the database listener after a reconnect. */
const LISTENER_WAIT_MS = 5000;
const BACKLOG_PAGE = 100;

/**
 * Each event is resolved with a fresh request object, so that loaders (which
 * cache per request) read accounts as they are now, not as at the first
 * event of a long subscription.
 */
function freshRequest(context: GraphQLContext): void {
  context.req = { ...context.req } as GraphQLContext['req'];
}

@Resolver()
export class NotificationsResolver {
  /** What an event loaded, shared by the subscribers of its account in this process. */
  private readonly transfers = new WeakMap<LedgerEvent, Promise<TransferEntity | null>>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly hub: NotificationHub,
    private readonly listener: LedgerListener,
    private readonly requests: PaymentRequestsService,
    private readonly store: ShopsStore,
    private readonly paymentEvents: PaymentEvents,
  ) {}

  @Subscription(() => Payment, {
    description:
      'Payments into a shop account as they commit, for its till: the payer’s name, never their balance. With `after` (a Payment.cursor), first every payment since then, so a till that reconnects misses none and sees none twice.',
    resolve(
      this: NotificationsResolver,
      payment: Payment,
      _args: unknown,
      context: GraphQLContext,
    ) {
      freshRequest(context);
      return payment;
    },
  })
  @Access({ roles: COMMUNITY_ROLES, apiKeyScopes: [ApiKeyScope.READ_PAYMENTS] })
  async paymentReceived(
    @CurrentActor() actor: Actor,
    @Context() context: WsContext,
    @Args('accountId', { type: () => ID }) accountId: string,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ): Promise<AsyncIterableIterator<Payment>> {
    const connection = this.connectionOf(context);
    const afterSequence = after === undefined ? undefined : sequenceOfCursor(after);
    const account = await this.requests.readableAccount(actor, accountId);
    await this.waitForListener(connection);
    const stream = this.hub.subscribe(actor.communityId, account.id, (reason) =>
      this.broken(connection, reason),
    );
    const store = this.store;
    return liveFeed<Payment>(stream, {
      after: afterSequence,
      backlog: async function* (from: bigint): AsyncIterable<Positioned<Payment>> {
        for (let last = from; ;) {
          const page = await store.paymentsSince(actor.communityId, account.id, last, BACKLOG_PAGE);
          for (const row of page) {
            last = row.sequence;
            yield { value: toPayment(row), sequence: row.sequence };
          }
          if (page.length < BACKLOG_PAGE) return;
        }
      },
      load: async (event) => {
        const row = await this.paymentEvents.paymentOf(event);
        return row === null ? null : toPayment(row);
      },
    });
  }

  @Subscription(() => Transfer, {
    description:
      'Transfers posted to or from an account you may read, as they commit. Fields follow the same rules as in queries (a counterparty’s balance stays hidden).',
    resolve(
      this: NotificationsResolver,
      transfer: TransferEntity,
      _args: unknown,
      context: GraphQLContext,
    ) {
      freshRequest(context);
      return toTransferShell(transfer);
    },
  })
  @Access({ roles: COMMUNITY_ROLES, apiKeyScopes: [ApiKeyScope.READ_PAYMENTS] })
  async transferPosted(
    @CurrentActor() actor: Actor,
    @Context() context: WsContext,
    @Args('accountId', { type: () => ID }) accountId: string,
  ): Promise<AsyncIterableIterator<TransferEntity>> {
    const connection = this.connectionOf(context);
    const account = await this.requests.readableAccount(actor, accountId);
    await this.waitForListener(connection);
    const stream = this.hub.subscribe(actor.communityId, account.id, (reason) =>
      this.broken(connection, reason),
    );
    return liveFeed<TransferEntity>(stream, { load: (event) => this.transferOf(event) });
  }

  private connectionOf(context: WsContext): WsConnection {
    if (context.connection === undefined) {
      throw new AppError(
        'INVALID_INPUT',
        'Subscriptions go over WebSocket (the graphql-ws protocol) at /graphql',
      );
    }
    return context.connection;
  }

  private async waitForListener(connection: WsConnection): Promise<void> {
    if (await this.listener.ready(LISTENER_WAIT_MS)) return;
    connection.close(CLOSE_TRY_AGAIN_LATER, 'Live notifications are reconnecting: try again');
    throw new Error('the database listener is not connected');
  }

  private broken(connection: WsConnection, reason: StreamBreak): void {
    if (reason === 'OVERFLOW') {
      connection.close(
        CLOSE_TRY_AGAIN_LATER,
        'Too many events waiting: reconnect and continue after your last cursor',
      );
    } else {
      connection.close(
        CLOSE_SERVICE_RESTART,
        'Live notifications restarted: reconnect and continue after your last cursor',
      );
    }
  }

  private transferOf(event: LedgerEvent): Promise<TransferEntity | null> {
    let loaded = this.transfers.get(event);
    if (loaded === undefined) {
      loaded = this.dataSource
        .getRepository(TransferEntity)
        .findOneBy({ communityId: event.communityId, id: event.transferId });
      this.transfers.set(event, loaded);
    }
    return loaded;
  }
}
