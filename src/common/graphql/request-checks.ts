import { ApolloServerPlugin } from '@apollo/server';
import {
  DocumentNode,
  OperationTypeNode,
  FragmentDefinitionNode,
  getArgumentValues,
  getNamedType,
  getNullableType,
  getVariableValues,
  GraphQLCompositeType,
  GraphQLError,
  GraphQLInputType,
  GraphQLSchema,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isObjectType,
  isScalarType,
  Kind,
  OperationDefinitionNode,
  SelectionSetNode,
  typeFromAST,
} from 'graphql';

/**
 * Checks of a GraphQL request that hold for every operation, made once
 * before any resolver runs instead of in each of them:
 *
 * - Every value of type `ID` that a client sends, as an argument or a field
 *   of an input object, at any depth and whether written in the document or
 *   passed as a variable, is a UUID: Mutua's ids all are. Anything else is
 *   refused as BAD_USER_INPUT naming the argument, so that no resolver or
 *   database statement ever sees an id that cannot exist.
 * - A subscription is served over WebSocket (graphql-ws), never over HTTP
 *   POST: refused as BAD_USER_INPUT rather than left to fail in execution.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

function badInput(message: string, field?: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code: 'BAD_USER_INPUT',
      reason: 'INVALID_INPUT',
      ...(field !== undefined ? { field } : {}),
      http: { status: 400 },
    },
  });
}

/**
 * The path (`input.stewardIds.1`) of the first `ID` value of an operation
 * that is not a UUID, or undefined when there is none. Variables that do not
 * coerce are left to GraphQL's own error.
 */
export function findInvalidId(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  rawVariables: Record<string, unknown> | undefined,
): string | undefined {
  const coerced = getVariableValues(
    schema,
    operation.variableDefinitions ?? [],
    rawVariables ?? {},
    { maxErrors: 1 },
  );
  if (coerced.errors !== undefined) return undefined;
  const variables = coerced.coerced;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      fragments.set(definition.name.value, definition);
    }
  }
  const root =
    operation.operation === OperationTypeNode.QUERY
      ? schema.getQueryType()
      : operation.operation === OperationTypeNode.MUTATION
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  if (root === null || root === undefined) return undefined;
  const seenFragments = new Set<string>();

  const walk = (
    selectionSet: SelectionSetNode,
    parent: GraphQLCompositeType,
  ): string | undefined => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (!isObjectType(parent) && !isInterfaceType(parent)) continue;
        const field = parent.getFields()[selection.name.value];
        if (field === undefined) continue;
        if (field.args.length > 0) {
          let values: Record<string, unknown>;
          try {
            values = getArgumentValues(field, selection, variables);
          } catch {
            continue; // GraphQL reports arguments that do not coerce itself.
          }
          for (const argument of field.args) {
            const found = invalidIdIn(values[argument.name], argument.type, argument.name);
            if (found !== undefined) return found;
          }
        }
        const named = getNamedType(field.type);
        if (selection.selectionSet !== undefined && !isScalarType(named)) {
          const found = walk(selection.selectionSet, named as GraphQLCompositeType);
          if (found !== undefined) return found;
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type =
          selection.typeCondition === undefined
            ? parent
            : (typeFromAST(schema, selection.typeCondition) as GraphQLCompositeType | undefined);
        if (type === undefined) continue;
        const found = walk(selection.selectionSet, type);
        if (found !== undefined) return found;
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (fragment === undefined || seenFragments.has(name)) continue;
        seenFragments.add(name);
        const type = typeFromAST(schema, fragment.typeCondition) as
          GraphQLCompositeType | undefined;
        if (type === undefined) continue;
        const found = walk(fragment.selectionSet, type);
        if (found !== undefined) return found;
      }
    }
    return undefined;
  };
  return walk(operation.selectionSet, root);
}

function invalidIdIn(value: unknown, type: GraphQLInputType, path: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    if (!Array.isArray(value)) return invalidIdIn(value, nullable.ofType, path);
    for (const [index, item] of value.entries()) {
      const found = invalidIdIn(item, nullable.ofType, `${path}.${index}`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (isInputObjectType(nullable)) {
    if (typeof value !== 'object') return undefined;
    const record = value as Record<string, unknown>;
    for (const field of Object.values(nullable.getFields())) {
      const found = invalidIdIn(record[field.name], field.type, `${path}.${field.name}`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (isScalarType(nullable) && nullable.name === 'ID') {
    return typeof value === 'string' && isUuid(value) ? undefined : path;
  }
  return undefined;
}

/** The Apollo plugin that applies these checks to every HTTP request. */
export const requestChecks: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ schema, document, operation, request }) {
        if (operation === undefined) return;
        if (operation.operation === OperationTypeNode.SUBSCRIPTION) {
          throw badInput(
            'Subscriptions are served over WebSocket (the graphql-ws protocol at /graphql), not over HTTP',
          );
        }
        const field = findInvalidId(schema, document, operation, request.variables);
        if (field !== undefined) {
          throw badInput(`${field}: not an id of Mutua (ids are UUIDs)`, field);
        }
      },
    };
  },
};
