import { AccountEntity } from '../accounts/account.entity';
import { AccountKind } from '../ledger';
import { Actor, ApiKeyScope } from '../access/actor';

/**
 * Who may ask to be paid into an account, and cancel such requests: the
 * owner of a SHOP account, or that owner's till key with the
 * CREATE_PAYMENT_REQUESTS scope. Nobody else, stewards included: a request
 * speaks for the shop.
 *
 * Reading a shop's requests, payments and sales follows mayReadAccount (the
 * owner, stewards, and till keys with READ_PAYMENTS). A till key never moves
 * money: paying and refunding are for users only, checked by each
 * operation's access rule and again by mayDebitAccount under the locks.
 */
export function mayRequestPaymentsInto(actor: Actor, account: AccountEntity): boolean {
  if (actor.communityId !== account.communityId || account.ownerId !== actor.userId) return false;
  return actor.kind === 'USER' || actor.scopes.includes(ApiKeyScope.CREATE_PAYMENT_REQUESTS);
}

export function isShopAccount(account: AccountEntity): boolean {
  return account.kind === AccountKind.SHOP;
}
