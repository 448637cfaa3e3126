import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { AppError } from './app-error';

/**
 * class-validator for every GraphQL input, answering the first problem as
 * BAD_USER_INPUT with the field named (`input.email`), so that a form can
 * point at it.
 */
class InputValidationPipe extends ValidationPipe {
  /**
   * Scalars arrive parsed (a Date): there is nothing to validate or
   * transform. A resolver's parent object, context and info are the server's
   * own values, not input: left alone, the pipe would copy and check the
   * parent of every field of every answer.
   */
  protected override toValidate(metadata: ArgumentMetadata): boolean {
    if (metadata.metatype === Date) return false;
    if (NOT_INPUT.has(metadata.type as unknown as number)) return false;
    return super.toValidate(metadata);
  }
}

/**
 * @nestjs/graphql's parameter kinds (its GqlParamtype, not exported): ROOT
 * (@Parent), CONTEXT and INFO. ARGS (3) is input and is validated.
 */
const NOT_INPUT: ReadonlySet<number> = new Set([0, 1, 2]);

export function createValidationPipe(): ValidationPipe {
  return new InputValidationPipe({
    transform: true,
    whitelist: true,
    stopAtFirstError: true,
    exceptionFactory: (errors: ValidationError[]) => {
      const [field, message] = firstProblem(errors);
      return new AppError('INVALID_INPUT', `${field}: ${message}`, { field });
    },
  });
}

function firstProblem(errors: ValidationError[], prefix = ''): [string, string] {
  for (const error of errors) {
    const path = prefix === '' ? error.property : `${prefix}.${error.property}`;
    const constraints = Object.values(error.constraints ?? {});
    if (constraints.length > 0) return [path, constraints[0]];
    if (error.children !== undefined && error.children.length > 0) {
      return firstProblem(error.children, path);
    }
  }
  return ['input', 'is invalid'];
}
