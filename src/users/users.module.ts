import { Module } from '@nestjs/common';
import { UsersResolver } from './users.resolver';
import { UsersService } from './users.service';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UserEntity } from './user.entity';
import { InviteEntity } from './invite.entity';
import { CallerCache } from './caller-cache';

@Module({
  imports: [TypeOrmModule.forFeature([UserEntity, InviteEntity])],
  providers: [UsersService, UsersResolver, CallerCache],
  exports: [UsersService, CallerCache],
})
export class UsersModule {}
