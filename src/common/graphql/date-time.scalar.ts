import { CustomScalar, Scalar } from '@nestjs/graphql';
import { GraphQLError, Kind, ValueNode } from 'graphql';

/**
 * Instants as ISO 8601 strings with a time zone, e.g.
 * "2026-03-01T09:30:00Z" or "2026-03-01T10:30:00+01:00". A date without a
 * time or a time without a zone is ambiguous for a ledger and is refused.
 */
const ISO_INSTANT =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

function invalid(reason: string): GraphQLError {
  return new GraphQLError(`Invalid DateTime: ${reason}`, {
    extensions: { code: 'BAD_USER_INPUT' },
  });
}

export function parseInstant(value: unknown): Date {
  if (typeof value !== 'string') throw invalid('expected an ISO 8601 string');
  if (!ISO_INSTANT.test(value)) {
    throw invalid(
      `"${value.slice(0, 40)}" is not an ISO 8601 instant such as 2026-03-01T09:30:00Z`,
    );
  }
  const date = new Date(value);
  const [year, month, day] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (Number.isNaN(date.getTime()) || day > daysInMonth) {
    throw invalid(`"${value}" is not a real instant`);
  }
  return date;
}

@Scalar('DateTime', () => Date)
export class DateTimeScalar implements CustomScalar<string, Date> {
  description = 'An instant as an ISO 8601 string with a time zone, e.g. 2026-03-01T09:30:00Z.';

  parseValue(value: unknown): Date {
    return parseInstant(value);
  }

  serialize(value: unknown): string {
    if (value instanceof Date) return value.toISOString();
    if (typeof value === 'string') return new Date(value).toISOString();
    throw new Error(`DateTime scalar cannot serialize ${typeof value}`);
  }

  parseLiteral(ast: ValueNode): Date {
    if (ast.kind !== Kind.STRING) throw invalid('expected an ISO 8601 string');
    return parseInstant(ast.value);
  }
}
