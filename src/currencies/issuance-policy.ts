import { registerEnumType } from '@nestjs/graphql';

/**
 * How money of a currency comes into being. MUTUAL_CREDIT: members start at
 * zero and may go down to their floor (time banks). BACKED: credits are
 * minted against a reserve of national money (local currencies).
 *
 * A policy version is stored as JSON with amounts in minor units as strings
 * and rates as decimal strings, so that it reads back exactly.
 */
export enum IssuanceMode {
  MUTUAL_CREDIT = 'MUTUAL_CREDIT',
  BACKED = 'BACKED',
}

registerEnumType(IssuanceMode, { name: 'IssuanceMode' });

export interface PolicyRules {
  mode: IssuanceMode;
  /** Floor given to new MEMBER and SHOP accounts; null for none (0 when unset for LOCAL). */
  defaultFloorMinor: string | null;
  defaultCeilingMinor: string | null;
  reserveCurrencyCode: string | null;
  mintRate: string | null;
  backingRatio: string | null;
  redemptionFeePercent: string | null;
}
