import { SetMetadata } from '@nestjs/common';
import { Role } from './role';
import { ApiKeyScope } from './actor';

/**
 * The one access rule every Query and Mutation declares. The guard refuses a
 * call that does not match it, and refuses any operation without a rule at
 * all (a start-up check and the authorization matrix test catch those
 * earlier).
 *
 * - `public`: anyone, logged in or not.
 * - `roles`: logged-in users with one of these roles.
 * - `apiKeyScopes`: shop till keys holding one of these scopes.
 *
 * Rules about which objects (own accounts, own community) live in the
 * services, which know the objects.
 */
export interface AccessRule {
  public?: true;
  roles?: Role[];
  apiKeyScopes?: ApiKeyScope[];
}

export const ACCESS_RULE = 'mutua:access-rule';

export const Access = (rule: AccessRule): MethodDecorator => SetMetadata(ACCESS_RULE, rule);

export const Public = (): MethodDecorator => Access({ public: true });

/** Members, shops and stewards: everyone who belongs to a community. */
export const COMMUNITY_ROLES = [Role.MEMBER, Role.SHOP, Role.STEWARD];
