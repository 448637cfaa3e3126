import { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { Inject } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApolloPlugin } from './apollo-driver';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { DocumentNode, GraphQLError, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { AppConfig } from '../config/app-config';
import { connectionComplexityEstimator } from '../pagination/connection';

/**
 * Refuses an operation whose estimated cost exceeds GRAPHQL_MAX_COMPLEXITY
 * before any resolver runs. Each field costs 1; list fields declare their
 * own cost (page size times the cost of a node) with `complexity` on the
 * field, so a query asking for 100 statements of 100 entries is priced as
 * such.
 */
@ApolloPlugin()
export class ComplexityPlugin implements ApolloServerPlugin {
  private readonly maxComplexity: number;
  /** Estimates of operations without variables, by document and operation. */
  private readonly withoutVariables = new WeakMap<
    DocumentNode,
    WeakMap<OperationDefinitionNode, number>
  >();

  constructor(
    private readonly schemaHost: GraphQLSchemaHost,
    @Inject(ConfigService) config: ConfigService<AppConfig, true>,
  ) {
    this.maxComplexity = config.get('GRAPHQL_MAX_COMPLEXITY', { infer: true });
  }

  async requestDidStart(): Promise<GraphQLRequestListener<object>> {
    const { schema } = this.schemaHost;
    const maxComplexity = this.maxComplexity;
    const known = this.withoutVariables;
    return {
      async didResolveOperation({ request, document, operation }) {
        // Without variables the cost depends on the document alone, and
        // Apollo hands the same parsed document to every request that sends
        // the same query text: its cost is estimated once. The cache holds
        // documents weakly, so it lives no longer than Apollo's own.
        const cacheable =
          operation !== undefined && (operation.variableDefinitions ?? []).length === 0;
        let complexity = cacheable ? known.get(document)?.get(operation) : undefined;
        if (complexity === undefined) {
          complexity = estimate(schema, request.operationName, document, request.variables);
          if (cacheable) {
            let byOperation = known.get(document);
            if (byOperation === undefined) {
              byOperation = new WeakMap();
              known.set(document, byOperation);
            }
            byOperation.set(operation, complexity);
          }
        }
        if (complexity > maxComplexity) {
          throw new GraphQLError(
            `Query is too complex: it costs ${complexity}, the limit is ${maxComplexity}. Ask for fewer fields or smaller pages.`,
            {
              extensions: {
                code: 'GRAPHQL_VALIDATION_FAILED',
                reason: 'QUERY_TOO_COMPLEX',
                complexity,
                maxComplexity,
                http: { status: 400 },
              },
            },
          );
        }
      },
    };
  }
}

function estimate(
  schema: GraphQLSchema,
  operationName: string | undefined,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
): number {
  try {
    return getComplexity({
      schema,
      operationName,
      query: document,
      variables,
      estimators: [
        connectionComplexityEstimator(),
        fieldExtensionsEstimator(),
        simpleEstimator({ defaultComplexity: 1 }),
      ],
    });
  } catch (error) {
    // Estimating coerces the variables; a bad one (an unknown enum value, say) is the
    // client's mistake, answered as such before Apollo would have.
    throw new GraphQLError(error instanceof Error ? error.message : 'Invalid variables', {
      extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
    });
  }
}
