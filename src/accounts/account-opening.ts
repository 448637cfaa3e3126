import { EntityManager } from 'typeorm';
import { Actor } from '../access/actor';
import { AccountEntity } from './account.entity';
import { OpenAccountInput } from './dto/account.inputs';

/**
 * What other modules do when an account opens, without the accounts module
 * knowing them: a fund's stewards are recorded in the opening's own
 * transaction (funds), a new member's onboarding grant is posted after it
 * commits (issuance). Modules above accounts register their hooks with
 * AccountsService.addOpeningHooks when they start; accounts calls none of
 * them by name.
 */
export interface AccountOpeningHooks {
  /** Inside the opening's transaction, before it commits; a refusal refuses the opening. */
  whileOpening?(
    manager: EntityManager,
    actor: Actor,
    account: AccountEntity,
    input: OpenAccountInput,
  ): Promise<void>;
  /** After the opening committed. */
  afterOpening?(actor: Actor, account: AccountEntity): Promise<void>;
}
