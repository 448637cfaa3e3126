import { GraphQLClient } from '../lib/graphql';

/**
 * Whether the running server offers an operation. The benchmark asks the
 * server itself rather than reading schema.gql, so that it measures what the
 * build it started can do. Introspection is off in production, so it sends
 * the bare field and reads the validation error: GraphQL answers "Cannot
 * query field" only for a field that does not exist; any other complaint
 * (a missing argument or selection) means the field is there.
 */
export async function hasOperation(
  client: GraphQLClient,
  type: 'Query' | 'Mutation',
  field: string,
): Promise<boolean> {
  const query = `${type === 'Mutation' ? 'mutation' : 'query'} { ${field} }`;
  const response = await client.executeRaw(query);
  const missing = `Cannot query field "${field}" on type "${type}"`;
  return !(response.errors ?? []).some((error) => error.message.includes(missing));
}
