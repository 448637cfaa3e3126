import { Module } from '@nestjs/common';
import { CommunitiesResolver } from './communities.resolver';
import { CommunitiesService } from './communities.service';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CommunityEntity } from './community.entity';

@Module({
  imports: [TypeOrmModule.forFeature([CommunityEntity])],
  providers: [CommunitiesService, CommunitiesResolver],
  exports: [CommunitiesService],
})
export class CommunitiesModule {}
