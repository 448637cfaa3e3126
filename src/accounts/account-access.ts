import { Actor } from '../auth/actor';
import { ApiKeyScope } from '../auth/actor';
import { Role } from '../users/role';
import { AppError } from '../common/errors/app-error';
import { AccountEntity, AccountKind } from './account.entity';

/**
 * Who may see an account's money (balance, limits, statement): its owner,
 * the owner's till keys that may read payments, and the community's
 * stewards. Everyone in the community may see an account's name and kind
 * when it is the counterparty of their own transfer. Accounts of other
 * communities do not exist for the caller (their queries never find them).
 */
export function mayReadAccount(actor: Actor, account: AccountEntity): boolean {
  if (actor.communityId !== account.communityId) return false;
  if (actor.kind === 'API_KEY') {
    return account.ownerId === actor.userId && actor.scopes.includes(ApiKeyScope.READ_PAYMENTS);
  }
  return actor.role === Role.STEWARD || account.ownerId === actor.userId;
}

/** Who may move money out of an account through `transfer`: its owner, or a steward. */
export function mayDebitAccount(actor: Actor, account: AccountEntity): boolean {
  if (actor.kind !== 'USER' || actor.communityId !== account.communityId) return false;
  return actor.role === Role.STEWARD || account.ownerId === actor.userId;
}

/**
 * Money that a plain `transfer` or a standing order may not move, whoever
 * asks: into or out of ISSUANCE (only the currency's policy creates or
 * destroys money), and out of a FUND (only a disbursement its stewards
 * approve). Refuses with POLICY_VIOLATION.
 */
export function refusePolicyBypass(from: AccountEntity, to: AccountEntity): void {
  if (from.kind === AccountKind.ISSUANCE || to.kind === AccountKind.ISSUANCE) {
    throw new AppError(
      'POLICY_VIOLATION',
      "Money enters or leaves the ISSUANCE account only through the currency's policy",
    );
  }
  if (from.kind === AccountKind.FUND) {
    throw new AppError(
      'POLICY_VIOLATION',
      'Money leaves a fund only as a disbursement its stewards approve: use requestDisbursement',
      { field: 'fromAccountId' },
    );
  }
}
