import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { AppError } from './app-error';

/**
 * class-validator for every GraphQL input, answering the first problem as
 * BAD_USER_INPUT with the field named (`input.email`), so that a form can
 * point at it.
 */
class InputValidationPipe extends ValidationPipe {
  /**
   * PostgreSQL stores no NUL character in text; refused here, with the
   * field named, rather than by the database as an internal error.
   */
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (INPUT.has(metadata.type)) {
      const path = fieldWithNul(value);
      if (path !== undefined) {
        const field = path.length > 0 ? path.join('.') : (metadata.data ?? 'input');
        throw new AppError('INVALID_INPUT', `${field}: must not contain NUL characters`, {
          field,
        });
      }
    }
    return super.transform(value, metadata);
  }

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

/** What a client sends: GraphQL arguments (ARGS, 3) and an HTTP request's body, query and path. */
const INPUT: ReadonlySet<number | string> = new Set([3, 'body', 'query', 'param']);

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

/**
 * The path of the first string holding a NUL character in an argument
 * (`memo`, `transfers.3.memo`), or the argument's name when it is such a
 * string itself.
 */
function fieldWithNul(value: unknown, path: string[] = [], depth = 0): string[] | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (value === null || typeof value !== 'object' || depth > 10) return undefined;
  for (const [key, child] of Object.entries(value)) {
    const found = fieldWithNul(child, [...path, key], depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}
