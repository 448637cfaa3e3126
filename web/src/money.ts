/**
 * Exact arithmetic on the API's decimal strings, for display only: amounts
 * are read into integer minor units (bigint) at the currency's scale and
 * written back as strings. Never a float. The server decides every rule;
 * these helpers only show its numbers side by side (what is left above the
 * floor, say).
 */
const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

export function toMinor(value: string, scale: number): bigint {
  const match = DECIMAL.exec(value.trim());
  if (match === null) throw new Error(`not a decimal amount: ${value}`);
  const [, sign, whole, fraction = ''] = match;
  if (fraction.length > scale) throw new Error(`more than ${scale} decimal places: ${value}`);
  const minor = BigInt(whole + fraction.padEnd(scale, '0'));
  return sign === '-' ? -minor : minor;
}

export function fromMinor(minor: bigint, scale: number): string {
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = scale > 0 ? `.${digits.slice(digits.length - scale)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/** a − b, both decimal strings of one currency. */
export function subtract(a: string, b: string, scale: number): string {
  return fromMinor(toMinor(a, scale) - toMinor(b, scale), scale);
}

/** Groups thousands for reading; keeps every decimal the server sent. */
export function formatAmount(value: string, code?: string): string {
  const match = DECIMAL.exec(value);
  const text =
    match === null
      ? value
      : `${match[1] === '-' ? '−' : ''}${match[2].replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${match[3] === undefined ? '' : `.${match[3]}`}`;
  return code === undefined ? text : `${text} ${code}`;
}

export function isNegative(value: string): boolean {
  return value.trim().startsWith('-') && /[1-9]/.test(value);
}

/** An amount as typed by a person: a comma works as the decimal mark too. */
export function normaliseTypedAmount(text: string): string {
  return text.trim().replace(',', '.');
}
