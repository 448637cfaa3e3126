import { registerEnumType } from '@nestjs/graphql';

/**
 * Who a user is in Mutua. MEMBER, SHOP and STEWARD belong to one community;
 * ADMIN operates the deployment and lives in the reserved deployment
 * community (see migrations), so that every row still carries a
 * community_id.
 */
export enum Role {
  MEMBER = 'MEMBER',
  SHOP = 'SHOP',
  STEWARD = 'STEWARD',
  ADMIN = 'ADMIN',
}

export enum UserStatus {
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
}

registerEnumType(Role, { name: 'Role', description: 'What a user may do.' });
registerEnumType(UserStatus, {
  name: 'UserStatus',
  description: 'A suspended user cannot log in or act; their history stays.',
});

/** The community that holds the deployment's admins; no money ever moves in it. */
export const DEPLOYMENT_COMMUNITY_ID = '00000000-0000-0000-0000-000000000000';
export const DEPLOYMENT_COMMUNITY_SLUG = 'deployment';
