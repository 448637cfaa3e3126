import { Logger } from '@nestjs/common';
import { isTransientConflict, sqlState } from './postgres-errors';

/**
 * The one retry of Mutua's transactions. A transaction that fails with a
 * serialization failure or a deadlock has changed nothing and may succeed
 * when run again from the start; every other error is final. `work` must be
 * the whole transaction, so that running it again repeats every read.
 */
export const MAX_TRANSACTION_ATTEMPTS = 5;

export interface RetryOptions {
  /** Further errors the caller knows to be transient (a trigger's refusal that a re-read settles). */
  alsoRetry?: (error: unknown) => boolean;
  attempts?: number;
}

export async function retryTransient<T>(
  what: string,
  logger: Logger,
  work: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? MAX_TRANSACTION_ATTEMPTS;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work(attempt);
    } catch (error) {
      const transient = isTransientConflict(error) || (options.alsoRetry?.(error) ?? false);
      if (!transient || attempt >= attempts) throw error;
      logger.warn(
        { attempt, state: sqlState(error) },
        `retrying ${what} after a transient database conflict`,
      );
      // A short, growing, jittered pause lets the transaction that won finish first.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
    }
  }
}
