import { CustomScalar, Scalar } from '@nestjs/graphql';
import Decimal from 'decimal.js';
import { GraphQLError, Kind, ValueNode } from 'graphql';

/**
 * Exact amounts cross the API as decimal strings such as "1.50". A JSON
 * float never becomes money: 0.1 + 0.2 is how ledgers go wrong. Whole numbers
 * given as JSON integers are accepted for convenience; exponents, NaN,
 * Infinity, empty strings, a leading '+' and more than 30 significant digits
 * are refused. Whether the value fits a currency's scale is decided later, by
 * the ledger core, which knows the currency.
 *
 * Parsed values stay strings (validated, exactly as given): input classes
 * then carry no class instance that validation or transformation could
 * mangle, and the ledger core parses them into minor units.
 */
export const MAX_SIGNIFICANT_DIGITS = 30;
const DECIMAL_PATTERN = /^-?(0|[1-9]\d*)(\.\d+)?$/;

function invalid(reason: string): GraphQLError {
  return new GraphQLError(`Invalid Decimal: ${reason}`, {
    extensions: { code: 'BAD_USER_INPUT' },
  });
}

export function parseDecimalString(text: string): string {
  if (text.length === 0) throw invalid('empty string');
  if (text.length > MAX_SIGNIFICANT_DIGITS + 3 || !DECIMAL_PATTERN.test(text)) {
    throw invalid(`"${text.slice(0, 40)}" is not a plain decimal number such as "12.50"`);
  }
  const digits = text.replace(/^-/, '').replace('.', '').replace(/^0+/, '');
  if (digits.length > MAX_SIGNIFICANT_DIGITS) {
    throw invalid(`more than ${MAX_SIGNIFICANT_DIGITS} significant digits`);
  }
  return text;
}

function parseInput(value: unknown): string {
  if (typeof value === 'string') return parseDecimalString(value);
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return String(value);
    throw invalid('give amounts as strings such as "12.50", never as JSON floats');
  }
  throw invalid('expected a string such as "12.50"');
}

@Scalar('Decimal', () => Decimal)
export class DecimalScalar implements CustomScalar<string, string> {
  description =
    'An exact decimal number as a string, e.g. "12.50". Never a float; at most 30 significant digits.';

  parseValue(value: unknown): string {
    return parseInput(value);
  }

  serialize(value: unknown): string {
    if (value instanceof Decimal) return value.toFixed();
    if (typeof value === 'string' && DECIMAL_PATTERN.test(value)) return value;
    if (typeof value === 'bigint') return value.toString();
    throw new Error(`Decimal scalar cannot serialize ${typeof value}`);
  }

  parseLiteral(ast: ValueNode): string {
    if (ast.kind === Kind.STRING) return parseDecimalString(ast.value);
    if (ast.kind === Kind.INT) return parseInput(Number(ast.value));
    if (ast.kind === Kind.FLOAT) {
      throw invalid('give amounts as strings such as "12.50", never as floats');
    }
    throw invalid('expected a string such as "12.50"');
  }
}
