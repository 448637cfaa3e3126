import { GraphQLResponse } from '../lib/graphql';
import { firstError, LoadRequest } from '../lib/load';

/**
 * What any request costs before it does any ledger work: the public
 * `serverInfo` query, which reads nothing from the database. Sent without a
 * token it measures HTTP, GraphQL parsing, validation and the server's
 * plugins; sent with the steward's token it adds what every authenticated
 * operation pays (checking the token and loading the caller). A transfer's
 * own cost is what it takes beyond the second.
 */

const SERVER_INFO = JSON.stringify({ query: 'query ServerInfo { serverInfo { version } }' });

export function serverInfoRequests(): (worker: number, sequence: number) => LoadRequest {
  return () => ({ body: SERVER_INFO, operations: 1 });
}

export function checkServerInfo(response: GraphQLResponse<unknown>): string | undefined {
  const error = firstError(response);
  if (error !== undefined) return error;
  const data = response.data as { serverInfo?: { version?: string } } | null | undefined;
  return typeof data?.serverInfo?.version === 'string' ? undefined : 'no serverInfo in the answer';
}
