import { registerEnumType } from '@nestjs/graphql';
import { StoredPolicyRules } from '../ledger';

/**
 * How money of a currency comes into being, and the rules its transfers
 * follow. MUTUAL_CREDIT: members start at zero and may go down to their
 * floor (time banks). BACKED: credits are minted against a reserve of
 * national money at a set rate, supply never above reserve × backing ratio,
 * and shops redeem credits back for national money less a fee.
 *
 * A policy is stored as numbered, append-only versions (currency_policies):
 * who wrote it, when, and the whole rule set as JSON, amounts in minor units
 * and rates as decimal strings so that they read back exactly. Every command
 * reads the newest version inside its own transaction, under the accounts'
 * locks, so that a transfer follows exactly one version.
 */
export enum IssuanceMode {
  MUTUAL_CREDIT = 'MUTUAL_CREDIT',
  BACKED = 'BACKED',
}

export enum DemurragePeriod {
  DAY = 'DAY',
  MONTH = 'MONTH',
  QUARTER = 'QUARTER',
}

export enum FeePayerEnum {
  PAYER = 'PAYER',
  RECEIVER = 'RECEIVER',
}

registerEnumType(IssuanceMode, { name: 'IssuanceMode' });
registerEnumType(DemurragePeriod, {
  name: 'DemurragePeriod',
  description: 'How often demurrage is charged: once per account per day, month or quarter.',
});
registerEnumType(FeePayerEnum, { name: 'FeePayer', description: 'Who bears a transaction fee.' });

/**
 * A policy's rules as stored (see StoredPolicyRules in the ledger, which
 * reads them): the GraphQL enums above are the same values by name.
 */
export type PolicyRules = StoredPolicyRules;
