import { AppConfig } from '../common/config/app-config';

/**
 * Settings of fund disbursements. A request holds the fund's money for
 * `disbursementExpiryMs`, long enough for volunteer stewards to meet and
 * short enough that a forgotten request does not lock the fund's money for a
 * month; then it expires and the hold is released. The deployment sets it
 * with DISBURSEMENT_EXPIRY_HOURS (336, two weeks, unless told), validated and
 * defaulted in src/common/config/app-config.ts, the one place the default
 * lives. FundsModule turns that setting into FUNDS_OPTIONS; tests override
 * the provider to watch a request expire within a second or two.
 */

export interface FundsOptions {
  disbursementExpiryMs: number;
}

export const FUNDS_OPTIONS = Symbol('FUNDS_OPTIONS');

/** The funds module's options from the validated configuration. */
export function fundsOptionsFrom(
  config: Pick<AppConfig, 'DISBURSEMENT_EXPIRY_HOURS'>,
): FundsOptions {
  return { disbursementExpiryMs: config.DISBURSEMENT_EXPIRY_HOURS * 3600 * 1000 };
}
