import { EntityManager } from 'typeorm';
import { AccountKind } from '../ledger';

/**
 * What a currency needs of accounts: a new currency opens its ISSUANCE
 * account (and a backed one its RESERVE and fee accounts), and a policy
 * names fee and fund accounts that must be of the right kind. Accounts
 * build on currencies, so the accounts module provides this when it starts
 * (CurrenciesService.useSystemAccounts); currencies never import accounts.
 */
export interface SystemAccounts {
  /** Opens an account without an owner in the caller's transaction; its id. */
  open(
    manager: EntityManager,
    communityId: string,
    currencyCode: string,
    kind: AccountKind,
    name: string,
  ): Promise<string>;
  /** The currency and kind of an account of the community; null if there is none. */
  describe(
    communityId: string,
    id: string,
  ): Promise<{ currencyCode: string; kind: AccountKind } | null>;
}
