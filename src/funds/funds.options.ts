/**
 * Settings of fund disbursements. A request holds the fund's money for
 * DISBURSEMENT_EXPIRY_MS, two weeks, long enough for volunteer stewards to
 * meet and short enough that a forgotten request does not lock the fund's
 * money for a month; then it expires and the hold is released. The module
 * provides these defaults under FUNDS_OPTIONS; tests override the provider
 * to watch a request expire within a second or two.
 */
export const DISBURSEMENT_EXPIRY_MS = 14 * 24 * 3600 * 1000;

/** Pending requests one requester may have open on one fund, so that nobody can tie up a fund's money. */
export const MAX_OPEN_REQUESTS_PER_REQUESTER = 10;

export interface FundsOptions {
  disbursementExpiryMs: number;
}

export const FUNDS_OPTIONS = Symbol('FUNDS_OPTIONS');

export const DEFAULT_FUNDS_OPTIONS: FundsOptions = { disbursementExpiryMs: DISBURSEMENT_EXPIRY_MS };
