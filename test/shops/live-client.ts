import { Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

/**
 * A small subscription client, as a till would run one: graphql-ws over a
 * WebSocket, authenticated in connection_init with a bearer token or till
 * key, collecting what each subscription receives.
 */
export interface Received<T> {
  /** Every `next` payload as it came, data and errors. */
  results: Array<{ data?: unknown; errors?: unknown }>;
  events: T[];
  errors: unknown[];
  completed: boolean;
  /** Resolves once `count` events have arrived (or rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<T[]>;
  stop(): void;
}

export interface LiveClient {
  client: Client;
  closes: Array<{ code: number; reason: string }>;
  subscribe<T>(query: string, variables: Record<string, unknown>, field: string): Received<T>;
  dispose(): Promise<void>;
}

export function liveClient(
  port: number,
  credential: string | undefined,
  options: { retry?: boolean } = {},
): LiveClient {
  const closes: LiveClient['closes'] = [];
  const client = createClient({
    url: `ws://127.0.0.1:${port}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: credential === undefined ? {} : { authorization: `Bearer ${credential}` },
    retryAttempts: options.retry === true ? 20 : 0,
    retryWait: async () => new Promise((resolve) => setTimeout(resolve, 200)),
    shouldRetry: () => options.retry === true,
    lazy: true,
    on: {
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        closes.push({ code, reason: String(reason) });
      },
    },
  });
  return {
    client,
    closes,
    subscribe<T>(query: string, variables: Record<string, unknown>, field: string) {
      const received: Received<T> = {
        results: [],
        events: [],
        errors: [],
        completed: false,
        waitFor: (count, timeoutMs = 15_000) =>
          new Promise((resolve, reject) => {
            const deadline = Date.now() + timeoutMs;
            const poll = () => {
              if (received.events.length >= count) return resolve(received.events);
              if (Date.now() > deadline) {
                return reject(
                  new Error(
                    `received ${received.events.length} of ${count} events; errors ${JSON.stringify(received.errors)}; closes ${JSON.stringify(closes)}`,
                  ),
                );
              }
              setTimeout(poll, 20);
            };
            poll();
          }),
        stop: () => undefined,
      };
      received.stop = client.subscribe<Record<string, T>>(
        { query, variables },
        {
          next: (result) => {
            received.results.push(result);
            if (result.errors !== undefined) received.errors.push(...result.errors);
            const value = result.data?.[field];
            if (value !== undefined && value !== null) received.events.push(value);
          },
          error: (error) => received.errors.push(error),
          complete: () => (received.completed = true),
        },
      );
      return received;
    },
    dispose: () => client.dispose() as Promise<void>,
  };
}

/** Waits until `check` holds, polling. */
export async function eventually(check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export const PAYMENT_RECEIVED = `subscription($id: ID!, $after: String) {
  paymentReceived(accountId: $id, after: $after) {
    transferId paymentRequestId accountId amount fee payerName memo reference postedAt refundedAmount cursor
  }
}`;
