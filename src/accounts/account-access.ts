import { Actor } from '../access/actor';
import { ApiKeyScope } from '../access/actor';
import { Role } from '../access/role';
import { AppError } from '../common/errors/app-error';
import { AccountEntity } from './account.entity';
import { AccountKind } from '../ledger';

/**
 * What a caller sees of an account, decided here and nowhere else.
 *
 * Those who may read the account (mayReadAccount: its owner, the owner's till
 * keys that may read payments, and the community's stewards) see all of it:
 * balance, available balance, floor, ceiling, warning level, earned credit,
 * each entry's running balance (`Entry.balanceAfter`) and place in the
 * account's history (`Entry.sequence`, which tells how many entries it has),
 * the soft-limit warnings a transfer raised on it, and its owner's e-mail.
 *
 * Everyone else in the community who meets the account through something
 * they may read (the other side of their own transfer, the payer of a
 * shop's payment seen by its till) sees only its card: id, kind, name,
 * status, currency and its owner's display name and role. Of the account's
 * state they learn nothing: the money fields of an Account and the owner's
 * e-mail are refused with FORBIDDEN, as the account itself would be; an
 * Entry of that account shows its amount (part of the caller's own
 * transfer) but `balanceAfter: null` and `sequence: null`, under an id that
 * carries neither (entryId in src/transfers/transfers.resolver.ts); a
 * warning about that account is left out of `Transfer.warnings`.
 *
 * Accounts of other communities do not exist for the caller (their queries
 * never find them).
 */
export function mayReadAccount(actor: Actor, account: AccountEntity): boolean {
  if (actor.communityId !== account.communityId) return false;
  if (actor.kind === 'API_KEY') {
    return account.ownerId === actor.userId && actor.scopes.includes(ApiKeyScope.READ_PAYMENTS);
  }
  return actor.role === Role.STEWARD || account.ownerId === actor.userId;
}

/** A value of an account's state for those who may read the account; null for anyone else. */
export function accountStateFor<T>(actor: Actor, account: AccountEntity, value: () => T): T | null {
  return mayReadAccount(actor, account) ? value() : null;
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
