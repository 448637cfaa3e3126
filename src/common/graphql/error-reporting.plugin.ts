import { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { Logger } from '@nestjs/common';
import { Plugin } from '@nestjs/apollo';
import { GraphQLFormattedError } from 'graphql';
import { classifyError } from '../errors/format-error';
import { GraphQLContext } from './graphql-context';

/**
 * Logs every error that is our bug, with the request id and the stack, and
 * adds that request id to the error the client receives so that a report
 * from a user leads straight to the log line.
 */
@Plugin()
export class ErrorReportingPlugin implements ApolloServerPlugin<GraphQLContext> {
  private readonly logger = new Logger('GraphQL');

  async requestDidStart(): Promise<GraphQLRequestListener<GraphQLContext>> {
    const logger = this.logger;
    return {
      async didEncounterErrors({ errors, contextValue, operationName }) {
        for (const error of errors) {
          const classified = classifyError(
            { message: error.message, extensions: error.extensions },
            error,
          );
          if (classified.internal) {
            logger.error(
              {
                requestId: contextValue.req?.id,
                operationName,
                path: error.path,
                err: error.originalError ?? error,
              },
              'Unexpected error while answering a GraphQL request',
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
