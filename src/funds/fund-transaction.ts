import { Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { isTransientConflict, sqlState } from '../common/database/postgres-errors';
import { MAX_ATTEMPTS } from '../transfers/posting-engine';

/**
 * One transaction of a funds command (a vote, a change of stewards), retried
 * as a whole on a serialization failure, a deadlock, or another error that
 * `alsoRetry` names as transient, at most MAX_ATTEMPTS times.
 */
export async function inFundTransaction<T>(
  dataSource: DataSource,
  logger: Logger,
  what: string,
  work: (manager: EntityManager) => Promise<T>,
  alsoRetry: (error: unknown) => boolean = () => false,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await dataSource.transaction(work);
    } catch (error) {
      if (!(isTransientConflict(error) || alsoRetry(error)) || attempt >= MAX_ATTEMPTS) throw error;
      logger.warn(
        { attempt, state: sqlState(error) },
        `retrying ${what} after a transient database conflict`,
      );
    }
  }
}
