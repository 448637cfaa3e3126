import {
  GraphQLID,
  GraphQLInt,
  GraphQLList,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  parse,
} from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { connectionComplexityEstimator, DEFAULT_PAGE_SIZE } from './connection';

/** A connection shaped like the ones `Connection()` declares: edges priced at a default page. */
const Item = new GraphQLObjectType({
  name: 'Item',
  fields: { id: { type: GraphQLID }, name: { type: GraphQLString } },
});
const ItemEdge = new GraphQLObjectType({
  name: 'ItemEdge',
  fields: { node: { type: Item }, cursor: { type: GraphQLString } },
});
const ItemConnection = new GraphQLObjectType({
  name: 'ItemConnection',
  fields: {
    edges: {
      type: new GraphQLList(ItemEdge),
      extensions: {
        complexity: ({ childComplexity }: { childComplexity: number }) =>
          DEFAULT_PAGE_SIZE * childComplexity,
      },
    },
  },
});
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: { items: { type: ItemConnection, args: { first: { type: GraphQLInt } } } },
  }),
});

function cost(query: string): number {
  return getComplexity({
    schema,
    query: parse(query),
    variables: {},
    estimators: [
      connectionComplexityEstimator(),
      fieldExtensionsEstimator(),
      simpleEstimator({ defaultComplexity: 1 }),
    ],
  });
}

describe('the price of a page', () => {
  const page = (args: string) => `{ items${args} { edges { node { id name } } } }`;

  it('grows with the page size asked for', () => {
    expect(cost(page(''))).toBe(cost(page('(first: 25)')));
    expect(cost(page('(first: 100)'))).toBeGreaterThanOrEqual(4 * cost(page('(first: 25)')) - 3);
    expect(cost(page('(first: 1)'))).toBeLessThan(cost(page('(first: 25)')) / 10);
  });

  it('prices each of the items asked for', () => {
    // The field itself, then 100 nodes of 3 each (node, id, name).
    expect(cost(page('(first: 100)'))).toBe(1 + 100 * 3);
  });
});
