import { Module } from '@nestjs/common';
import { TransfersModule } from '../transfers/transfers.module';
import { StandingOrdersResolver } from './standing-orders.resolver';
import { StandingOrdersService } from './standing-orders.service';

@Module({
  imports: [TransfersModule],
  providers: [StandingOrdersService, StandingOrdersResolver],
})
export class StandingOrdersModule {}
