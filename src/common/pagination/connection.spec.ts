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
import {
  connectionComplexityEstimator,
  decodeCursor,
  DEFAULT_PAGE_SIZE,
  encodeCursor,
} from './connection';

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

describe('cursors', () => {
  const at = new Date('2026-03-01T09:30:00.123Z');
  const id = '6f1d3c4e-1234-4abc-8def-0123456789ab';

  it('give back the sort key they were made of, typed', () => {
    const [instant, uuid] = decodeCursor(encodeCursor([at.toISOString(), id]), ['instant', 'uuid']);
    expect(instant).toEqual(at);
    expect(uuid).toBe(id);
    expect(decodeCursor(encodeCursor([42]), ['count'])).toEqual([42]);
    expect(decodeCursor(encodeCursor(['123456789012345678']), ['digits'])).toEqual([
      '123456789012345678',
    ]);
    expect(decodeCursor(encodeCursor(['ana@example.org']), ['text'])).toEqual(['ana@example.org']);
  });

  const dated = ['instant', 'uuid'] as const;
  it.each([
    ['not base64 JSON', '%%%', dated],
    ['too few parts', encodeCursor([id]), dated],
    ['a date that is none', encodeCursor(['yesterday', id]), dated],
    ['a date PostgreSQL cannot hold', encodeCursor(['+275760-09-13T00:00:00.000Z', id]), dated],
    ['an id that is none', encodeCursor([at.toISOString(), 'x']), dated],
    ['a number for text', encodeCursor([1e308, id]), dated],
    ['a negative count', encodeCursor([-1]), ['count'] as const],
    ['a fraction for a count', encodeCursor([1.5]), ['count'] as const],
  ])('refuse %s as bad input naming after', (_name, cursor, shape) => {
    expect(() => decodeCursor(cursor, shape)).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', details: { field: 'after' } }) as Error,
    );
  });

  it('refuse text holding NUL or a lone surrogate', () => {
    for (const text of ['a\u0000b', 'a\uD800', 'x'.repeat(501)]) {
      expect(() => decodeCursor(encodeCursor([text]), ['text'])).toThrow(/not a cursor/);
    }
  });
});
