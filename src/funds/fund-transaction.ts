import { Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { retryTransient } from '../common/database/retry';

/**
 * One transaction of a funds command (a vote, a change of stewards), retried
 * as a whole on a serialization failure, a deadlock, or another error that
 * `alsoRetry` names as transient.
 */
export function inFundTransaction<T>(
  dataSource: DataSource,
  logger: Logger,
  what: string,
  work: (manager: EntityManager) => Promise<T>,
  alsoRetry: (error: unknown) => boolean = () => false,
): Promise<T> {
  return retryTransient(what, logger, () => dataSource.transaction(work), { alsoRetry });
}
