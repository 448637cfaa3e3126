import { Module } from '@nestjs/common';
import { DateTimeScalar } from './date-time.scalar';
import { DecimalScalar } from './decimal.scalar';

/** The scalars every feature shares. */
@Module({
  providers: [DecimalScalar, DateTimeScalar],
})
export class GraphQLCommonModule {}
