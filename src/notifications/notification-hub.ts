import { Injectable } from '@nestjs/common';

/**
 * A posted entry as the database announced it: the account it moved, its
 * position in the account's history, and the transfer it belongs to. One
 * object per notification is handed to every subscriber of the account in
 * this process, so what is loaded for it can be shared (keyed by the object).
 */
export interface LedgerEvent {
  communityId: string;
  accountId: string;
  sequence: bigint;
  transferId: string;
}

/** Parses a `mutua_entries` payload: "community account sequence transfer". */
export function parseLedgerEvent(payload: string): LedgerEvent | undefined {
  const parts = payload.split(' ');
  if (parts.length !== 4 || !/^\d{1,18}$/.test(parts[2])) return undefined;
  return {
    communityId: parts[0],
    accountId: parts[1],
    sequence: BigInt(parts[2]),
    transferId: parts[3],
  };
}

/** Events a slow subscriber may have waiting before its connection is closed (it reconnects and catches up). */
export const MAX_QUEUED_EVENTS = 1000;

/** Why a stream stopped before its subscriber ended it. */
export type StreamBreak = 'OVERFLOW' | 'INTERRUPTED';

/**
 * The events of one account for one subscriber, in the order the database
 * committed them. Buffered up to MAX_QUEUED_EVENTS; past that, or when this
 * process stops hearing from the database, the stream breaks and calls
 * `onBreak` (which closes the subscriber's connection: its client reconnects
 * and catches up from its last cursor, so nothing is lost silently).
 */
export class EventStream implements AsyncIterableIterator<LedgerEvent> {
  private readonly queue: LedgerEvent[] = [];
  private waiter: ((result: IteratorResult<LedgerEvent>) => void) | undefined;
  private closed = false;

  constructor(
    private readonly detach: (stream: EventStream) => void,
    private readonly onBreak: (reason: StreamBreak) => void,
  ) {}

  push(event: LedgerEvent): void {
    if (this.closed) return;
    if (this.waiter !== undefined) {
      const waiter = this.waiter;
      this.waiter = undefined;
      waiter({ value: event, done: false });
      return;
    }
    if (this.queue.length >= MAX_QUEUED_EVENTS) {
      this.break('OVERFLOW');
      return;
    }
    this.queue.push(event);
  }

  break(reason: StreamBreak): void {
    if (this.closed) return;
    this.close();
    this.onBreak(reason);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.detach(this);
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<LedgerEvent>> {
    const event = this.queue.shift();
    if (event !== undefined) return Promise.resolve({ value: event, done: false });
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiter = resolve));
  }

  return(): Promise<IteratorResult<LedgerEvent>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  get size(): number {
    return this.queue.length;
  }
}

/**
 * This process's subscribers, by account. The listener hands it every
 * notification; it passes each one to the streams of that account and
 * ignores the rest, so an event costs nothing when nobody here listens.
 */
@Injectable()
export class NotificationHub {
  private readonly streams = new Map<string, Set<EventStream>>();

  subscribe(
    communityId: string,
    accountId: string,
    onBreak: (reason: StreamBreak) => void,
  ): EventStream {
    const key = `${communityId}/${accountId}`;
    let streams = this.streams.get(key);
    if (streams === undefined) {
      streams = new Set();
      this.streams.set(key, streams);
    }
    const stream = new EventStream((closed) => {
      const current = this.streams.get(key);
      current?.delete(closed);
      if (current?.size === 0) this.streams.delete(key);
    }, onBreak);
    streams.add(stream);
    return stream;
  }

  dispatch(event: LedgerEvent): void {
    const streams = this.streams.get(`${event.communityId}/${event.accountId}`);
    if (streams === undefined) return;
    for (const stream of [...streams]) stream.push(event);
  }

  /** The database connection was lost: events may have been missed, so every stream breaks. */
  interruptAll(): void {
    for (const streams of [...this.streams.values()]) {
      for (const stream of [...streams]) stream.break('INTERRUPTED');
    }
  }

  /** Subscribers in this process, for the benchmark and health. */
  get subscriberCount(): number {
    let count = 0;
    for (const streams of this.streams.values()) count += streams.size;
    return count;
  }
}
