import { ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { ApolloDriverConfig } from './apollo-driver';
import { ConfigService } from '@nestjs/config';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { GraphQLWsSubscriptionsConfig } from '@nestjs/graphql';
import {
  DocumentNode,
  GraphQLError,
  GraphQLSchema,
  specifiedRules,
  validate,
  ValidationContext,
} from 'graphql';
import { AppConfig } from '../config/app-config';
import {
  HTTP_STATUS_OF,
  isApiErrorCode,
  REQUEST_LEVEL_CODES,
  SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS,
} from '../errors/api-error-code';
import { formatGraphQLError } from '../errors/format-error';
import { GraphQLContext } from './graphql-context';
import { requestChecks } from './request-checks';

/**
 * Apollo settings for Mutua. The schema lives in memory; schema.gql is
 * written by `npm run schema:generate` and checked by a test, never by a
 * running server. Depth and alias limits run as validation rules, so an
 * abusive query is refused before it is executed.
 */
/**
 * graphql-armor throws its refusal by default, which Apollo would answer as an
 * internal error; reported as a validation error it reaches the client as
 * GRAPHQL_VALIDATION_FAILED (HTTP 400), naming the limit.
 */
const reportAsValidationError = {
  exposeLimits: true,
  propagateOnRejection: false,
  onReject: [
    (context: ValidationContext | null, error: GraphQLError) =>
      context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ''))),
  ],
};

/**
 * Apollo's cache-control plugin, installed unless disabled, wraps every field
 * resolver of the schema to collect cache hints; Mutua gives none, so all it
 * ever concluded was `Cache-Control: no-store`, at a cost on every field of
 * every answer. This says the same once per response: a ledger's answers are
 * private and never cached.
 */
const noStore: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        response.http.headers.set('cache-control', 'no-store');
      },
    };
  },
};

/**
 * Errors that concern the whole request set the HTTP status of the answer
 * even when one field raised them: 429 when the caller must slow down, 503
 * when the database cannot be reached, both with a standard Retry-After
 * header (seconds), so that any HTTP client or proxy knows to wait and send
 * the same request again.
 */
const statusOfRequestLevelErrors: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        if (response.body.kind !== 'single') return;
        for (const error of response.body.singleResult.errors ?? []) {
          const code = error.extensions?.code;
          if (!isApiErrorCode(code) || !REQUEST_LEVEL_CODES.has(code)) continue;
          const wait = error.extensions?.retryAfterSeconds;
          response.http.status = HTTP_STATUS_OF[code];
          response.http.headers.set(
            'retry-after',
            String(typeof wait === 'number' ? wait : SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS),
          );
          return;
        }
      },
    };
  },
};

/**
 * `subscriptions`: the graphql-ws server's options (authentication in
 * connection_init, error shape, limits), from the feature that serves
 * subscriptions; they get the same depth and alias limits as HTTP.
 */
export function graphqlOptions(
  config: ConfigService<AppConfig, true>,
  subscriptions?: GraphQLWsSubscriptionsConfig,
): ApolloDriverConfig {
  const debugErrors = config.get('DEBUG_ERRORS', { infer: true });
  const playground = config.get('GRAPHQL_PLAYGROUND', { infer: true });
  const validationRules = [
    maxDepthRule({
      n: config.get('GRAPHQL_MAX_DEPTH', { infer: true }),
      flattenFragments: true,
      ...reportAsValidationError,
    }),
    maxAliasesRule({
      n: config.get('GRAPHQL_MAX_ALIASES', { infer: true }),
      ...reportAsValidationError,
    }),
  ];
  return {
    autoSchemaFile: true,
    sortSchema: true,
    buildSchemaOptions: { numberScalarMode: 'integer' },
    path: '/graphql',
    introspection: config.get('GRAPHQL_INTROSPECTION', { infer: true }),
    plugins: [
      ApolloServerPluginCacheControlDisabled(),
      noStore,
      requestChecks,
      statusOfRequestLevelErrors,
      // Apollo Server would show its landing page outside production by itself.
      playground
        ? ApolloServerPluginLandingPageLocalDefault({ embed: true })
        : ApolloServerPluginLandingPageDisabled(),
    ],
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: true,
    csrfPrevention: true,
    validationRules,
    formatError: (formatted, error) => formatGraphQLError(formatted, error, debugErrors),
    context: ({ req, res }: GraphQLContext): GraphQLContext => ({ req, res }),
    ...(subscriptions === undefined
      ? {}
      : {
          subscriptions: {
            'graphql-ws': {
              path: '/graphql',
              ...subscriptions,
              // graphql-ws validates with these (an option Nest's type leaves out).
              validate: (schema: GraphQLSchema, document: DocumentNode) =>
                validate(schema, document, [...specifiedRules, ...validationRules]),
            } as GraphQLWsSubscriptionsConfig,
          },
        }),
  };
}
