import { parseAmount } from './amount';
import { LedgerError, readField } from './ledger-error';

describe('readField', () => {
  it('returns what the reading returns', () => {
    expect(readField('amount', () => parseAmount('1.25', 2))).toBe(125n);
  });

  it('names the field in a refusal and keeps its code and details', () => {
    let refusal: unknown;
    try {
      readField('amount', () => parseAmount('1.255', 2));
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(LedgerError);
    const { code, message, details } = refusal as LedgerError;
    expect(code).toBe('AMOUNT_TOO_PRECISE');
    expect(message).toMatch(/^amount: /);
    expect(details.field).toBe('amount');
  });

  it('lets anything but a LedgerError through untouched', () => {
    const bug = new TypeError('a bug');
    expect(() =>
      readField('amount', () => {
        throw bug;
      }),
    ).toThrow(bug);
  });
});
