/**
 * Every migration, oldest first. A new file from `npm run migration:generate`
 * is added here; a test fails when a file in this folder is missing from the
 * list. Migrations on main are never edited: a change is a new migration.
 */
import { MigrationInterface } from 'typeorm';
import { Ledger1795616641831 } from './1795616641831-Ledger';
import { Identity1795616017894 } from './1795616017894-Identity';

export const MIGRATIONS: Array<new () => MigrationInterface> = [
  Identity1795616017894,
  Ledger1795616641831,
];
