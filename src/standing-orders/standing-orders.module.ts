import { Module } from '@nestjs/common';
import { TransfersModule } from '../transfers/transfers.module';
import { StandingOrdersResolver } from './standing-orders.resolver';
import { StandingOrdersService } from './standing-orders.service';
import { TypeOrmModule } from '@nestjs/typeorm';
import { StandingOrderEntity, StandingOrderRunEntity } from './standing-order.entity';

@Module({
  imports: [
    TypeOrmModule.forFeature([StandingOrderEntity, StandingOrderRunEntity]),
    TransfersModule,
  ],
  providers: [StandingOrdersService, StandingOrdersResolver],
})
export class StandingOrdersModule {}
