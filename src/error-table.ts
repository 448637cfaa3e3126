import { AUTH_ERROR_TABLE } from './auth/auth.errors';
import { COMMON_ERROR_TABLE, CompleteErrorTable, RefusalClass } from './common/errors/error-codes';
import { LedgerError } from './ledger/ledger-error';
import { COMMUNITIES_ERROR_TABLE } from './communities/communities.errors';
import { FUNDS_ERROR_TABLE } from './funds/funds.errors';
import { SHOPS_ERROR_TABLE } from './shops/shops.errors';
import { LEDGER_ERROR_TABLE } from './transfers/ledger.errors';
import { USERS_ERROR_TABLE } from './users/users.errors';

/**
 * Every module's error table, gathered where GraphQL maps them. A module that
 * declares codes and is missing here fails to compile (`CompleteErrorTable`
 * has a key for every declared code). AppModule installs it at start.
 */
export const MODULE_ERROR_TABLES = {
  common: COMMON_ERROR_TABLE,
  auth: AUTH_ERROR_TABLE,
  users: USERS_ERROR_TABLE,
  communities: COMMUNITIES_ERROR_TABLE,
  funds: FUNDS_ERROR_TABLE,
  shops: SHOPS_ERROR_TABLE,
  ledger: LEDGER_ERROR_TABLE,
} as const;

export const ERROR_TABLE: CompleteErrorTable = {
  ...COMMON_ERROR_TABLE,
  ...AUTH_ERROR_TABLE,
  ...USERS_ERROR_TABLE,
  ...COMMUNITIES_ERROR_TABLE,
  ...FUNDS_ERROR_TABLE,
  ...SHOPS_ERROR_TABLE,
  ...LEDGER_ERROR_TABLE,
};

/** Error classes besides AppError whose instances are expected refusals. */
export const REFUSAL_CLASSES: readonly RefusalClass[] = [LedgerError];
