import {
  StandingOrderEntity,
  StandingOrderRunEntity,
} from '../../standing-orders/standing-order.entity';
import { AccountEntity } from '../../accounts/account.entity';
import { CurrencyPolicyEntity } from '../../currencies/currency-policy.entity';
import { CurrencyEntity } from '../../currencies/currency.entity';
import { EntryEntity } from '../../transfers/entry.entity';
import { DisbursementVoteEntity } from '../../funds/disbursement-vote.entity';
import { FundStewardEntity } from '../../funds/fund-steward.entity';
import { FundEntity } from '../../funds/fund.entity';
import { TransferEntity } from '../../transfers/transfer.entity';
import { LedgerCheckpointEntity } from '../../transfers/ledger-checkpoint.entity';
import { ApiKeyEntity } from '../../auth/api-key.entity';
import { LoginFailureEntity } from '../../auth/login-failure.entity';
import { CommunityEntity } from '../../communities/community.entity';
import { InviteEntity } from '../../users/invite.entity';
import { UserEntity } from '../../users/user.entity';
import { PaymentRequestEntity } from '../../shops/payment-request.entity';
import { PublicFundPageEntity } from '../../public-funds/public-fund-page.entity';

/**
 * Every TypeORM entity of Mutua. Listed by hand rather than found by a glob so
 * that the same list works compiled, under ts-node and under jest, and so that
 * the entities-versus-migrations test sees them all.
 */
export type EntityClass = abstract new (...args: never[]) => object;

export const ENTITIES: EntityClass[] = [
  CommunityEntity,
  UserEntity,
  InviteEntity,
  ApiKeyEntity,
  LoginFailureEntity,
  CurrencyEntity,
  CurrencyPolicyEntity,
  AccountEntity,
  TransferEntity,
  EntryEntity,
  StandingOrderEntity,
  StandingOrderRunEntity,
  FundEntity,
  FundStewardEntity,
  DisbursementVoteEntity,
  PaymentRequestEntity,
  PublicFundPageEntity,
  LedgerCheckpointEntity,
];
