import { ArgumentsHost, Catch, Logger } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { GqlArgumentsHost, GqlContextType } from '@nestjs/graphql';
import { classifyError } from '../errors/format-error';
import { answerHttpError } from '../errors/http-errors';
import { GraphQLContext } from '../graphql/graphql-context';

/**
 * Nest logs every exception that leaves a resolver at error level with its
 * stack, a wrong password and an insufficient balance as loudly as a bug, which
 * drowns the real bugs and sets off any alerting. This filter takes that job
 * over for GraphQL operations and passes the error on unchanged:
 *
 * - Over HTTP, the error-reporting plugin logs each error of a request once:
 *   refusals at info without a stack, our bugs at error with the stack and
 *   the request id. So nothing is logged here.
 * - Over WebSocket (subscriptions) no Apollo plugin runs, so a bug is logged
 *   here, at error with its stack; refusals are the client's business.
 *
 * HTTP controllers answer expected refusals and an unreachable database as
 * GraphQL would (answerHttpError), and keep Nest's own handling otherwise.
 */
@Catch()
export class GraphQLExceptionFilter extends BaseExceptionFilter {
  private readonly logger = new Logger('GraphQL');

  override catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType<GqlContextType>() !== 'graphql') {
      if (answerHttpError(exception, host)) return;
      return super.catch(exception, host);
    }
    const context = GqlArgumentsHost.create(host).getContext<Partial<GraphQLContext>>();
    const overHttp = context?.res !== undefined;
    if (!overHttp && classifyError({ message: String(exception) }, exception).internal) {
      this.logger.error(
        { requestId: context?.req?.id, err: exception },
        'Unexpected error while answering a GraphQL subscription',
      );
    }
    throw exception;
  }
}
