import { Module } from '@nestjs/common';
import { SystemResolver } from './system.resolver';

/** What this server is: the public `serverInfo` query. */
@Module({ providers: [SystemResolver] })
export class SystemModule {}
