import { Type } from '@nestjs/common';
import { ArgsType, Field, Int, ObjectType } from '@nestjs/graphql';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { getNamedType } from 'graphql';
import { ComplexityEstimator } from 'graphql-query-complexity';
import { invalidInput } from '../errors/app-error';
import { badTextProblem } from '../errors/validation';

/**
 * Cursor connections for every list of the API (`edges`, `node`,
 * `pageInfo { hasNextPage endCursor }`). Pages hold 25 items unless asked,
 * never more than 100. A cursor is an opaque base64url string of the sort key
 * of the last item seen, so that paging is a keyset seek (no OFFSET scans)
 * and stays stable while new rows arrive. A client may send `first: null` and
 * `after: null` (what Relay-style clients send for the first page): both
 * mean "not given".
 */
export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, {
    nullable: true,
    description: `Page size, 1 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).`,
  })
  @Transform(({ value }: { value: unknown }) => value ?? undefined)
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first?: number;

  @Field(() => String, {
    nullable: true,
    description: 'The endCursor of the previous page; omitted or null for the first page.',
  })
  @Transform(({ value }: { value: unknown }) => value ?? undefined)
  @IsOptional()
  @IsString()
  @MaxLength(500)
  after?: string;
}

export interface Edge<T> {
  node: T;
  cursor: string;
}

export interface ConnectionShape<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
}

/** Declares `<Name>Connection` and `<Name>Edge` GraphQL types for a node type. */
export function Connection<T>(nodeType: Type<T>, name: string): Type<ConnectionShape<T>> {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field(() => nodeType)
    node!: T;

    @Field()
    cursor!: string;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionType {
    @Field(() => [EdgeType], {
      // A default page; connectionComplexityEstimator scales it by the size asked for.
      complexity: (options) => DEFAULT_PAGE_SIZE * options.childComplexity,
    })
    edges!: EdgeType[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;
  }
  return ConnectionType;
}

/**
 * Prices a field that returns a page (`…Connection`) by the size asked for.
 * `edges` is priced at a default page of 25 nodes, because the page size is
 * an argument of the field above it, which `edges` cannot see: here the
 * whole page's price is scaled by `first` / 25, so that 100 items cost four
 * times 25. For the complexity plugin, before the other estimators.
 */
export function connectionComplexityEstimator(): ComplexityEstimator {
  return ({ args, childComplexity, field }) => {
    if (!getNamedType(field.type).name.endsWith('Connection')) return undefined;
    const first = typeof args.first === 'number' && args.first > 0 ? args.first : DEFAULT_PAGE_SIZE;
    return 1 + Math.ceil((childComplexity * first) / DEFAULT_PAGE_SIZE);
  };
}

export function pageSize(args: PageArgs): number {
  return args.first ?? DEFAULT_PAGE_SIZE;
}

export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/**
 * The kinds of value a cursor's sort key holds, each checked when a cursor
 * comes back: a client may send anything, and nothing that reaches a query
 * may be other than what the list itself put there.
 *
 * - `uuid`: an id.
 * - `instant`: a timestamp as Date#toISOString() writes it.
 * - `count`: a non-negative safe integer (a sequence number).
 * - `digits`: a non-negative integer of up to 18 digits, as text (a bigint).
 * - `text`: up to 500 characters of well-formed text (an email, a name).
 */
export type CursorPart = 'uuid' | 'instant' | 'count' | 'digits' | 'text';

type CursorValue<P extends CursorPart> = P extends 'instant'
  ? Date
  : P extends 'count'
    ? number
    : string;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

function readPart(part: CursorPart, value: unknown): unknown {
  switch (part) {
    case 'uuid':
      return typeof value === 'string' && UUID.test(value) ? value : undefined;
    case 'instant': {
      if (typeof value !== 'string' || !ISO_INSTANT.test(value)) return undefined;
      const instant = new Date(value);
      return Number.isNaN(instant.getTime()) ? undefined : instant;
    }
    case 'count':
      return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
        ? value
        : undefined;
    case 'digits':
      return typeof value === 'string' && /^\d{1,18}$/.test(value) ? value : undefined;
    case 'text':
      return typeof value === 'string' && value.length <= 500 && badTextProblem(value) === undefined
        ? value
        : undefined;
  }
}

/**
 * Decodes a cursor made by encodeCursor for a sort key of this shape, each
 * part checked (see CursorPart), or refuses it as bad input naming `after`.
 */
export function decodeCursor<const S extends readonly CursorPart[]>(
  cursor: string,
  shape: S,
): { [K in keyof S]: CursorValue<S[K]> } {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
  } catch {
    key = undefined;
  }
  if (Array.isArray(key) && key.length === shape.length) {
    const values = shape.map((part, index) => readPart(part, key[index]));
    if (values.every((value) => value !== undefined)) {
      return values as { [K in keyof S]: CursorValue<S[K]> };
    }
  }
  throw invalidInput('after', 'after: not a cursor returned by this list');
}

/**
 * Builds a connection from rows fetched with `LIMIT size + 1`: the extra row
 * only tells whether another page exists.
 */
export function toConnection<R, T>(
  rows: R[],
  size: number,
  toNode: (row: R) => T,
  cursorKey: (row: R) => (string | number)[],
): ConnectionShape<T> {
  const page = rows.slice(0, size);
  const edges = page.map((row) => ({ node: toNode(row), cursor: encodeCursor(cursorKey(row)) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > size,
      endCursor: edges.length > 0 ? edges[edges.length - 1].cursor : null,
    },
  };
}
