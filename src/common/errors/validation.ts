import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { AppError } from './app-error';

/**
 * class-validator for every GraphQL input, answering the first problem as
 * BAD_USER_INPUT with the field named (`input.email`), so that a form can
 * point at it.
 */
class InputValidationPipe extends ValidationPipe {
  /** Scalars arrive parsed (a Date): there is nothing to validate or transform. */
  protected override toValidate(metadata: ArgumentMetadata): boolean {
    if (metadata.metatype === Date) return false;
    return super.toValidate(metadata);
  }
}

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
