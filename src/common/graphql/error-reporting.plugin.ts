import { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { Logger } from '@nestjs/common';
import { ApolloPlugin } from './apollo-driver';
import { GraphQLFormattedError } from 'graphql';
import { isRefusal } from '../errors/app-error';
import { classifyError } from '../errors/format-error';
import { describeOperation, noteOperation } from '../logging/request-operation';
import { GraphQLContext } from './graphql-context';

/**
 * Logs each error of a GraphQL request once, at the level it deserves:
 *
 * - a refusal the API answers with a user-facing code (wrong password, bad
 *   amount, insufficient funds, forbidden, a query over the limits) is the
 *   system working: info, with its code and reason, never a stack;
 * - anything else is our bug: error, with the stack and the request id, which
 *   is also added to the error the client receives so that a report from a
 *   user leads straight to the log line.
 *
 * It also notes each resolved operation on the request, so that the request
 * line of the log names it.
 */
@ApolloPlugin()
export class ErrorReportingPlugin implements ApolloServerPlugin<GraphQLContext> {
  private readonly logger = new Logger('GraphQL');

  async requestDidStart(): Promise<GraphQLRequestListener<GraphQLContext>> {
    const logger = this.logger;
    return {
      async didResolveOperation({ operation, operationName, contextValue }) {
        noteOperation(contextValue.req, describeOperation(operation, operationName));
      },
      async didEncounterErrors({ errors, contextValue, operationName, operation }) {
        const requestId = contextValue.req?.id;
        const named = describeOperation(operation, operationName);
        for (const error of errors) {
          const classified = classifyError(
            { message: error.message, extensions: error.extensions },
            error,
          );
          if (classified.internal) {
            logger.error(
              { requestId, operation: named, path: error.path, err: error.originalError ?? error },
              'Unexpected error while answering a GraphQL request',
            );
          } else {
            const reason = classified.extensions.reason;
            const ours = isOurRefusal(error.originalError);
            logger.log(
              {
                requestId,
                operation: named,
                code: classified.code,
                ...(typeof reason === 'string' ? { reason } : {}),
                ...(!ours && typeof error.extensions.code === 'string'
                  ? { graphqlCode: error.extensions.code }
                  : {}),
                ...(error.path !== undefined ? { path: error.path } : {}),
              },
              // GraphQL's own messages quote the values a client sent (a
              // password of the wrong type, say); ours are written not to.
              ours ? `Refused: ${classified.message}` : 'Refused: not a valid request',
            );
          }
        }
      },
      async willSendResponse({ response, contextValue }) {
        if (response.body.kind !== 'single') return;
        const errors = response.body.singleResult.errors as GraphQLFormattedError[] | undefined;
        if (errors === undefined) return;
        const requestId = contextValue.req?.id;
        response.body.singleResult.errors = errors.map((error) =>
          error.extensions?.code === 'INTERNAL_SERVER_ERROR' && requestId !== undefined
            ? {
                ...error,
                message: `${error.message} (request id ${typeof requestId === 'string' ? requestId : JSON.stringify(requestId)})`,
                extensions: { ...error.extensions, requestId },
              }
            : error,
        );
      },
    };
  }
}

/** An AppError or a module's refusal: its message was written by Mutua, for the client. */
function isOurRefusal(error: unknown): boolean {
  return isRefusal(error);
}
