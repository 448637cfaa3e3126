import { GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';

/**
 * The committed schema.gql: sorted, so that a change to the API shows as a
 * readable diff and never as a reordering.
 */
export const SCHEMA_FILE_HEADER =
  '# Mutua GraphQL schema. Generated from the code by `npm run schema:generate`; do not edit.\n\n';

export function printSortedSchema(schema: GraphQLSchema): string {
  return SCHEMA_FILE_HEADER + printSchema(lexicographicSortSchema(schema)) + '\n';
}
