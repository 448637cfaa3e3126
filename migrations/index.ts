/**
 * Every migration, oldest first. A new file from `npm run migration:generate`
 * is added here; a test fails when a file in this folder is missing from the
 * list. Migrations on main are never edited: a change is a new migration.
 */
import { MigrationInterface } from 'typeorm';
import { Ledger1795616641831 } from './1795616641831-Ledger';
import { TransferPolicyVersion1795618375198 } from './1795618375198-TransferPolicyVersion';
import { Identity1795616017894 } from './1795616017894-Identity';
import { Funds1795618531175 } from './1795618531175-Funds';
import { StandingOrders1795619573921 } from './1795619573921-StandingOrders';
import { EarnedCredit1795625132419 } from './1795625132419-EarnedCredit';
import { FundRuleVersions1795625880763 } from './1795625880763-FundRuleVersions';
import { FundRuleProposals1795627097889 } from './1795627097889-FundRuleProposals';
import { TrialBalanceOrder1795629770325 } from './1795629770325-TrialBalanceOrder';
import { ShopPaymentRequests1796488257799 } from './1796488257799-ShopPaymentRequests';
import { ShopPayments1796488339519 } from './1796488339519-ShopPayments';
import { EntryNotifications1796489281371 } from './1796489281371-EntryNotifications';
import { ShopRefundLock1796491353150 } from './1796491353150-ShopRefundLock';
import { PublicFundPages1796491555501 } from './1796491555501-PublicFundPages';
import { PostingTotals1796492733234 } from './1796492733234-PostingTotals';
import { CallerChanges1796501565538 } from './1796501565538-CallerChanges';
import { FundRequestLimits1796502945421 } from './1796502945421-FundRequestLimits';
import { ApplicationRole1796506415184 } from './1796506415184-ApplicationRole';
import { FundRuleRequestLimits1796512587368 } from './1796512587368-FundRuleRequestLimits';
import { CommunityPolicyDenies1796513215481 } from './1796513215481-CommunityPolicyDenies';

export const MIGRATIONS: Array<new () => MigrationInterface> = [
  Identity1795616017894,
  Ledger1795616641831,
  TransferPolicyVersion1795618375198,
  Funds1795618531175,
  StandingOrders1795619573921,
  EarnedCredit1795625132419,
  FundRuleVersions1795625880763,
  FundRuleProposals1795627097889,
  TrialBalanceOrder1795629770325,
  ShopPaymentRequests1796488257799,
  ShopPayments1796488339519,
  EntryNotifications1796489281371,
  ShopRefundLock1796491353150,
  PublicFundPages1796491555501,
  PostingTotals1796492733234,
  CallerChanges1796501565538,
  FundRequestLimits1796502945421,
  ApplicationRole1796506415184,
  FundRuleRequestLimits1796512587368,
  CommunityPolicyDenies1796513215481,
];
