import { Module } from '@nestjs/common';
import { CommunitiesModule } from '../communities/communities.module';
import { PublicFundsResolver } from './public-funds.resolver';
import { PublicFundsService } from './public-funds.service';
import { PublicFundsStore } from './public-funds.store';

@Module({
  imports: [CommunitiesModule],
  providers: [PublicFundsStore, PublicFundsService, PublicFundsResolver],
})
export class PublicFundsModule {}
