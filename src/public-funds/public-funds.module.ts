import { Module } from '@nestjs/common';
import { CommunitiesModule } from '../communities/communities.module';
import { PublicFundsResolver } from './public-funds.resolver';
import { PublicFundsService } from './public-funds.service';
import { PublicFundsStore } from './public-funds.store';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PublicFundPageEntity } from './public-fund-page.entity';

@Module({
  imports: [TypeOrmModule.forFeature([PublicFundPageEntity]), CommunitiesModule],
  providers: [PublicFundsStore, PublicFundsService, PublicFundsResolver],
})
export class PublicFundsModule {}
