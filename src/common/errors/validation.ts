import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { AppError } from './app-error';

const KEEPS_NULL = 'mutua:keeps-null';

/**
 * Marks an input field whose explicit `null` means something of its own
 * ("remove the floor"), unlike omitting it ("keep the floor"). Every other
 * `null` a client sends for a nullable argument or input field means the same
 * as leaving it out, as clients expect: the validation pipe drops it before
 * anything else sees it, so that no code has to tell the two apart.
 */
export function KeepsNull(): PropertyDecorator {
  return (target, property) => {
    const kept =
      (Reflect.getMetadata(KEEPS_NULL, target) as Set<string | symbol> | undefined) ?? [];
    Reflect.defineMetadata(KEEPS_NULL, new Set([...kept, property]), target);
  };
}

function keepsNull(metatype: unknown, property: string): boolean {
  if (typeof metatype !== 'function') return false;
  const kept = Reflect.getMetadata(KEEPS_NULL, metatype.prototype as object) as
    Set<string | symbol> | undefined;
  return kept?.has(property) ?? false;
}

/** The argument with every null that means "not given" left out, input objects at any depth. */
function withoutNulls(value: unknown, metatype: unknown, depth = 0): unknown {
  if (value === null) return undefined;
  if (typeof value !== 'object' || depth > 10) return value;
  if (Array.isArray(value)) return value.map((item) => withoutNulls(item, undefined, depth + 1));
  if (value instanceof Date) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    if (child === null) {
      if (keepsNull(metatype, key)) copy[key] = null;
      continue;
    }
    const childType: unknown =
      typeof metatype === 'function'
        ? Reflect.getMetadata('design:type', metatype.prototype as object, key)
        : undefined;
    copy[key] = withoutNulls(child, childType, depth + 1);
  }
  return Object.setPrototypeOf(copy, Object.getPrototypeOf(value) as object | null) as unknown;
}

/**
 * class-validator for every GraphQL input, answering the first problem as
 * BAD_USER_INPUT with the field named (`input.email`), so that a form can
 * point at it.
 */
class InputValidationPipe extends ValidationPipe {
  /**
   * Text that is not well-formed Unicode is refused here, with the field
   * named, rather than by a library or the database as an internal error:
   * PostgreSQL stores no NUL character, and a lone UTF-16 surrogate (half of
   * a character) cannot be encoded as UTF-8 at all.
   */
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (GRAPHQL_ARGS.has(metadata.type)) value = withoutNulls(value, metadata.metatype);
    if (INPUT.has(metadata.type)) {
      const found = fieldWithBadText(value);
      if (found !== undefined) {
        const field = found.path.length > 0 ? found.path.join('.') : (metadata.data ?? 'input');
        throw new AppError('INVALID_INPUT', `${field}: ${found.problem}`, { field });
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

/**
 * GraphQL arguments: @nestjs/graphql's ARGS kind (3), which Nest's pipes
 * receive as 'body' (the HTTP kind with the same number). No HTTP route of
 * Mutua takes a body.
 */
const GRAPHQL_ARGS: ReadonlySet<number | string> = new Set([3, 'body']);

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

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What is wrong with a piece of text, or undefined when nothing is. */
export function badTextProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(text)) return 'is not valid Unicode (a lone surrogate)';
  return undefined;
}

/**
 * The path of the first string that is not well-formed text in an argument
 * (`memo`, `transfers.3.memo`; empty when the argument is such a string
 * itself), with what is wrong with it.
 */
function fieldWithBadText(
  value: unknown,
  path: string[] = [],
  depth = 0,
): { path: string[]; problem: string } | undefined {
  if (typeof value === 'string') {
    const problem = badTextProblem(value);
    return problem === undefined ? undefined : { path, problem };
  }
  if (value === null || typeof value !== 'object' || depth > 10) return undefined;
  for (const [key, child] of Object.entries(value)) {
    const found = fieldWithBadText(child, [...path, key], depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}
