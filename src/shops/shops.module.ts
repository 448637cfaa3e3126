import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { TransfersModule } from '../transfers/transfers.module';
import { PaymentRequestsService } from './payment-requests.service';
import { ShopsResolver } from './shops.resolver';
import { ShopsStore } from './shops.store';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PaymentRequestEntity } from './payment-request.entity';

/**
 * Shops: payment requests with their payment URI and QR code, paying and
 * refunding them through the posting engine, and the shop's views of its
 * payments and sales.
 */
@Module({
  imports: [TypeOrmModule.forFeature([PaymentRequestEntity]), TransfersModule, AccountsModule],
  providers: [ShopsStore, PaymentRequestsService, ShopsResolver],
  exports: [ShopsStore, PaymentRequestsService],
})
export class ShopsModule {}
