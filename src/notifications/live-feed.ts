import { EventStream, LedgerEvent } from './notification-hub';

/** An item of a feed and its position in the account's history. */
export interface Positioned<T> {
  value: T;
  sequence: bigint;
}

/**
 * What a subscriber receives: first, when it asked to continue after a
 * position, what it missed (read from the database), then live events, in
 * commit order, each at most once.
 *
 * The stream is registered before the backlog is read, so nothing can fall
 * between the two: an event committed after the backlog's snapshot arrives
 * live, and one that is in both (committed just before the snapshot,
 * announced just after) is skipped by its position. `load` turns an event
 * into what the subscriber sees, or null for an event that is not for it.
 *
 * Ending the feed (the client unsubscribes or disconnects) closes the stream
 * at once, even while it waits for an event.
 */
export function liveFeed<T>(
  stream: EventStream,
  options: {
    after?: bigint;
    backlog?: (after: bigint) => AsyncIterable<Positioned<T>>;
    load: (event: LedgerEvent) => Promise<T | null>;
  },
): AsyncIterableIterator<T> {
  async function* run(): AsyncGenerator<T> {
    let last = options.after ?? -1n;
    try {
      if (options.backlog !== undefined && options.after !== undefined) {
        for await (const item of options.backlog(options.after)) {
          last = item.sequence;
          yield item.value;
        }
      }
      for await (const event of stream) {
        if (event.sequence <= last) continue;
        last = event.sequence;
        const value = await options.load(event);
        if (value !== null) yield value;
      }
    } finally {
      stream.close();
    }
  }
  const generator = run();
  return {
    next: () => generator.next(),
    return: () => {
      stream.close();
      return generator.return(undefined);
    },
    throw: (error?: unknown) => {
      stream.close();
      return generator.throw(error);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
