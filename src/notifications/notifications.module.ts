import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ShopsModule } from '../shops/shops.module';
import { LedgerListener } from './ledger-listener';
import { NotificationHub } from './notification-hub';
import { NotificationsResolver } from './notifications.resolver';
import { PaymentEvents } from './payment-events';
import { SubscriptionServer } from './subscription-server';

/**
 * Live notifications: GraphQL subscriptions over WebSocket, fed by one
 * LISTEN connection per process on the database's own notifications of
 * posted entries (sent only at commit, so across processes and whatever
 * posted them).
 */
@Module({
  imports: [AuthModule, ShopsModule],
  providers: [
    NotificationHub,
    LedgerListener,
    PaymentEvents,
    SubscriptionServer,
    NotificationsResolver,
  ],
  exports: [SubscriptionServer, NotificationHub, LedgerListener],
})
export class NotificationsModule {}
