import {
  cacheExchange,
  Client,
  fetchExchange,
  makeOperation,
  mapExchange,
  subscriptionExchange,
  type CombinedError,
} from '@urql/core';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';

/**
 * One GraphQL client per signed-in session (or none, for the public pages):
 * queries and mutations over POST /graphql with the bearer token,
 * subscriptions over the graphql-ws protocol at the same path with the token
 * in connection_init, as the server expects. When the server says the token
 * is no longer good (expired, revoked by a sign-out everywhere or a password
 * change), `onSignedOut` forgets it.
 */
export function createGraphQLClient(
  token: string | null,
  onSignedOut: () => void,
): { client: Client; close: () => void } {
  let ws: WsClient | undefined;
  const wsClient = (): WsClient => {
    ws ??= createWsClient({
      url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
      connectionParams: token === null ? {} : { authorization: `Bearer ${token}` },
      lazy: true,
      retryAttempts: Infinity,
      shouldRetry: () => true,
    });
    return ws;
  };
  const client = new Client({
    url: '/graphql',
    requestPolicy: 'cache-and-network',
    // POST with a JSON body, as the server's CSRF protection expects of every operation.
    preferGetMethod: false,
    fetchOptions: (): RequestInit => ({
      headers: token === null ? {} : { authorization: `Bearer ${token}` },
    }),
    exchanges: [
      mapExchange({
        // A query's empty variables are left out rather than sent as null:
        // the API reads an omitted period end or cursor as "none".
        onOperation(operation) {
          if (operation.kind !== 'query' || operation.variables === undefined) return operation;
          const variables = Object.fromEntries(
            Object.entries(operation.variables as Record<string, unknown>).filter(
              ([, value]) => value !== null,
            ),
          );
          return makeOperation(operation.kind, { ...operation, variables }, operation.context);
        },
        onError(error: CombinedError) {
          if (
            token !== null &&
            error.graphQLErrors.some((e) => e.extensions?.code === 'UNAUTHENTICATED')
          ) {
            onSignedOut();
          }
        },
      }),
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? '' };
          return {
            subscribe(sink) {
              const unsubscribe = wsClient().subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });
  return { client, close: () => void ws?.dispose() };
}
