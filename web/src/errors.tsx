import type { CombinedError } from '@urql/core';

/**
 * An API error in words a person can act on: the server's own message,
 * which already names the field, the limit or the amount (the app adds no
 * rule of its own), and for a refusal of funds what can still be sent. A
 * network failure says so; an internal error gives the request id to quote.
 */
export function ErrorNotice({
  error,
  available,
}: {
  error: CombinedError | Error | string | null | undefined;
  /** What the account can spend as the app last read it, for a refusal that does not say. */
  available?: string | null;
}) {
  if (error === null || error === undefined) return null;
  const lines = describe(error, available ?? undefined);
  if (lines.length === 0) return null;
  return (
    <div class="notice error" role="alert">
      {lines.map((line) => (
        <p key={line}>{line}</p>
      ))}
    </div>
  );
}

export function describe(error: CombinedError | Error | string, availableHint?: string): string[] {
  if (typeof error === 'string') return [error];
  if (!('graphQLErrors' in error)) return [error.message];
  if (error.graphQLErrors.length > 0) {
    return error.graphQLErrors.flatMap((item) => {
      const extensions = item.extensions as Record<string, unknown> | undefined;
      const code = extensions?.code;
      const lines = [item.message];
      if (code === 'INSUFFICIENT_FUNDS') {
        const amount =
          typeof extensions?.available === 'string' ? extensions.available : availableHint;
        const currency =
          typeof extensions?.currencyCode === 'string' ? ` ${extensions.currencyCode}` : '';
        if (amount !== undefined && !item.message.includes(amount)) {
          lines.push(`Available to send now: ${amount}${currency}.`);
        }
      }
      if (code === 'UNAUTHENTICATED') lines.push('Please sign in again.');
      if (code === 'INTERNAL_SERVER_ERROR') {
        // The server's message carries the request id to quote.
        lines.push(
          'Something went wrong on the server: tell your steward, quoting the request id.',
        );
      }
      return lines;
    });
  }
  if (error.networkError !== undefined) {
    const status = (error.response as Response | undefined)?.status;
    if (status === 429) return ['Too many attempts: wait a minute, then try again.'];
    return ['Cannot reach the Mutua server. Check your connection and try again.'];
  }
  return [error.message];
}
