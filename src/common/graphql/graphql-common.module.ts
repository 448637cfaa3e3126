import { Module } from '@nestjs/common';
import { DateTimeScalar } from './date-time.scalar';
import { DecimalScalar } from './decimal.scalar';
import { SystemResolver } from './system.resolver';

/** Scalars and the server-info query shared by every feature. */
@Module({
  providers: [DecimalScalar, DateTimeScalar, SystemResolver],
})
export class GraphQLCommonModule {}
