import { useRef } from 'preact/hooks';

/**
 * The idempotency key of a money-moving form. One key per payload: clicking
 * twice, or retrying after a lost answer, sends the same key, so the server
 * posts the payment once and answers the retry with the same transfer. A
 * different payload (another amount, another payee) gets a new key, and
 * `done()` starts afresh after a success.
 */
export function useIdempotencyKey(): {
  keyFor: (payload: unknown) => string;
  done: () => void;
} {
  const current = useRef<{ payload: string; key: string } | null>(null);
  return {
    keyFor(payload: unknown): string {
      const text = JSON.stringify(payload);
      if (current.current === null || current.current.payload !== text) {
        current.current = { payload: text, key: newKey() };
      }
      return current.current.key;
    },
    done(): void {
      current.current = null;
    },
  };
}

function newKey(): string {
  if (typeof crypto.randomUUID === 'function') return `web-${crypto.randomUUID()}`;
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `web-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}
