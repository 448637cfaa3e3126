/* eslint-disable */
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null | undefined;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An instant as an ISO 8601 string with a time zone, e.g. 2026-03-01T09:30:00Z. */
  DateTime: { input: string; output: string; }
  /** An exact decimal number as a string, e.g. "12.50". Never a float; at most 30 significant digits. */
  Decimal: { input: string; output: string; }
};

export type AccountFilter = {
  currencyCode?: InputMaybe<Scalars['String']['input']>;
  kind?: InputMaybe<AccountKind>;
  ownerId?: InputMaybe<Scalars['ID']['input']>;
  status?: InputMaybe<AccountStatus>;
};

/** MEMBER, SHOP and FUND hold money; ISSUANCE, RESERVE and FEES are system accounts. */
export type AccountKind =
  | 'FEES'
  | 'FUND'
  | 'ISSUANCE'
  | 'MEMBER'
  | 'RESERVE'
  | 'SHOP';

/** FROZEN and CLOSED accounts move no money; CLOSED is final. */
export type AccountStatus =
  | 'CLOSED'
  | 'FROZEN'
  | 'OPEN';

/** What a till key may do. */
export type ApiKeyScope =
  | 'CREATE_PAYMENT_REQUESTS'
  | 'READ_PAYMENTS';

export type ChangePasswordInput = {
  currentPassword: Scalars['String']['input'];
  newPassword: Scalars['String']['input'];
};

export type CreateApiKeyInput = {
  /** What the key is for, e.g. "front till". */
  name: Scalars['String']['input'];
  scopes: Array<ApiKeyScope>;
};

export type CreateCommunityInput = {
  name: Scalars['String']['input'];
  /** Whether anyone may register (default true). */
  openSignup?: InputMaybe<Scalars['Boolean']['input']>;
  slug: Scalars['String']['input'];
  stewardEmail: Scalars['String']['input'];
  stewardName: Scalars['String']['input'];
  stewardPassword: Scalars['String']['input'];
};

export type CreateCurrencyInput = {
  /** 2 to 10 capital letters or digits, starting with a letter, e.g. HOUR. */
  code: Scalars['String']['input'];
  kind: CurrencyKind;
  name: Scalars['String']['input'];
  policy?: InputMaybe<IssuancePolicyInput>;
  /** Decimal places, 0 to 8, fixed for ever (HOUR uses 2). */
  scale: Scalars['Int']['input'];
};

export type CreateInviteInput = {
  /** Only this email may use the invite. */
  email?: InputMaybe<Scalars['String']['input']>;
  /** Days until the invite expires (1 to 90, default 14). */
  expiresInDays?: InputMaybe<Scalars['Int']['input']>;
  /** MEMBER, SHOP or STEWARD. */
  role: Role;
};

export type CreatePaymentRequestInput = {
  /** Omitted: an open amount, which the payer fills in. */
  amount?: InputMaybe<Scalars['Decimal']['input']>;
  /** In the future, within a year. Omitted: 15 minutes for a single-use request, none for a reusable one. */
  expiresAt?: InputMaybe<Scalars['DateTime']['input']>;
  memo?: InputMaybe<Scalars['String']['input']>;
  /** The shop's own reference, such as a receipt number. */
  reference?: InputMaybe<Scalars['String']['input']>;
  /** true: a standing QR code at the counter, paid any number of times. Default false. */
  reusable?: InputMaybe<Scalars['Boolean']['input']>;
  /** A SHOP account of the caller (or of the till key's shop) to be paid into. */
  toAccountId: Scalars['ID']['input'];
};

export type CreateStandingOrderInput = {
  amount: Scalars['Decimal']['input'];
  /** No payment falls due after this instant. */
  endsAt?: InputMaybe<Scalars['DateTime']['input']>;
  fromAccountId: Scalars['ID']['input'];
  interval: StandingOrderInterval;
  /** PAYMENT (default), CONTRIBUTION or EXCHANGE. */
  kind?: InputMaybe<TransferKind>;
  memo?: InputMaybe<Scalars['String']['input']>;
  /** First payment (default: now), from an hour ago to a year ahead. */
  startsAt?: InputMaybe<Scalars['DateTime']['input']>;
  toAccountId: Scalars['ID']['input'];
};

export type CurrencyKind =
  | 'LOCAL'
  | 'NATIONAL'
  | 'TIME';

/** How often demurrage is charged: once per account per day, month or quarter. */
export type DemurragePeriod =
  | 'DAY'
  | 'MONTH'
  | 'QUARTER';

/** Who bears a transaction fee. */
export type FeePayer =
  | 'PAYER'
  | 'RECEIVER';

export type IssuanceMode =
  | 'BACKED'
  | 'MUTUAL_CREDIT';

export type IssuancePolicyInput = {
  /** BACKED: supply may not exceed reserve times this. */
  backingRatio?: InputMaybe<Scalars['Decimal']['input']>;
  /** Most that may leave one account in any 24 hours. */
  dailyOutflowLimit?: InputMaybe<Scalars['Decimal']['input']>;
  /** Ceiling of new member and shop accounts. */
  defaultCeiling?: InputMaybe<Scalars['Decimal']['input']>;
  /** Floor of new member and shop accounts, e.g. "-10.00". */
  defaultFloor?: InputMaybe<Scalars['Decimal']['input']>;
  /** Demurrage: the account kinds charged (default MEMBER and SHOP). */
  demurrageAccountKinds?: InputMaybe<Array<AccountKind>>;
  /** Demurrage: the FUND account that receives it. */
  demurrageFundAccountId?: InputMaybe<Scalars['ID']['input']>;
  /** Demurrage: percent of a positive balance charged per period. */
  demurragePercent?: InputMaybe<Scalars['Decimal']['input']>;
  demurragePeriod?: InputMaybe<DemurragePeriod>;
  /** MUTUAL_CREDIT: the most "earn your limit" lowers a floor by. */
  earnedCreditCap?: InputMaybe<Scalars['Decimal']['input']>;
  /** MUTUAL_CREDIT, "earn your limit": the floor of member and shop accounts goes down by this percent of what they have received in trade (EXCHANGE and PAYMENT). */
  earnedCreditPercent?: InputMaybe<Scalars['Decimal']['input']>;
  /** Largest single transfer. */
  maxTransfer?: InputMaybe<Scalars['Decimal']['input']>;
  /** BACKED: credits minted per unit of reserve, e.g. "1.05". */
  mintRate?: InputMaybe<Scalars['Decimal']['input']>;
  mode: IssuanceMode;
  /** MUTUAL_CREDIT: credits paid once to each new member account. */
  onboardingGrant?: InputMaybe<Scalars['Decimal']['input']>;
  /** BACKED: the FEES or FUND account that receives redemption fees. */
  redemptionFeeAccountId?: InputMaybe<Scalars['ID']['input']>;
  /** BACKED: percent kept when a shop redeems credits. */
  redemptionFeePercent?: InputMaybe<Scalars['Decimal']['input']>;
  /** BACKED: the NATIONAL currency of the reserve. */
  reserveCurrencyCode?: InputMaybe<Scalars['String']['input']>;
  /** The FEES or FUND account that receives transaction fees. */
  transactionFeeAccountId?: InputMaybe<Scalars['ID']['input']>;
  /** Transaction fee, fixed part per transfer. */
  transactionFeeFixed?: InputMaybe<Scalars['Decimal']['input']>;
  /** Who pays the transaction fee (default PAYER). */
  transactionFeePaidBy?: InputMaybe<FeePayer>;
  /** Transaction fee, percent of the amount. */
  transactionFeePercent?: InputMaybe<Scalars['Decimal']['input']>;
};

/** CSV: one row per entry (RFC 4180). LEDGER: an hledger / ledger-cli journal. */
export type JournalFormat =
  | 'CSV'
  | 'LEDGER';

export type LoginInput = {
  /** The community to log in to; admins leave it out. */
  communitySlug?: InputMaybe<Scalars['String']['input']>;
  email: Scalars['String']['input'];
  password: Scalars['String']['input'];
};

export type MintInput = {
  /** The account that receives the new credits. */
  accountId: Scalars['ID']['input'];
  /** Credits to create, in the account’s currency. */
  amount: Scalars['Decimal']['input'];
  idempotencyKey: Scalars['String']['input'];
  memo?: InputMaybe<Scalars['String']['input']>;
};

export type OpenAccountInput = {
  /** FUND accounts: approvals that pay a disbursement out, 1 to the number of stewards (default: a majority). */
  approvalsRequired?: InputMaybe<Scalars['Int']['input']>;
  currencyCode: Scalars['String']['input'];
  /** MEMBER for members, SHOP for shops (the default for the caller's role). */
  kind?: InputMaybe<AccountKind>;
  /** FUND accounts: how many requests one member may have pending on the fund at once, 1 to 100 (default 10). */
  maxOpenRequestsPerMember?: InputMaybe<Scalars['Int']['input']>;
  /** FUND accounts: the share of the fund's balance, in percent (1 to 100), that one member's pending requests may hold together (default 50). */
  memberSharePercent?: InputMaybe<Scalars['Int']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  /** Stewards: the user the account is for (default: the steward). */
  ownerId?: InputMaybe<Scalars['ID']['input']>;
  /** FUND accounts: the stewards who vote on its disbursements, 1 to 20 (default: every steward of the community). */
  stewardIds?: InputMaybe<Array<Scalars['ID']['input']>>;
};

export type PayPaymentRequestInput = {
  /** Required for an open-amount request; for a fixed one, omit it or repeat it. */
  amount?: InputMaybe<Scalars['Decimal']['input']>;
  /** One of your accounts, in the request’s currency. */
  fromAccountId: Scalars['ID']['input'];
  /** Unique per request of yours; a retry with the same key returns the original transfer. */
  idempotencyKey: Scalars['String']['input'];
  paymentRequestId: Scalars['ID']['input'];
};

/** OPEN → PAID (a single-use request, once paid) | CANCELLED (by the shop) | EXPIRED (past expiresAt). A reusable request stays OPEN until cancelled or expired. */
export type PaymentRequestStatus =
  | 'CANCELLED'
  | 'EXPIRED'
  | 'OPEN'
  | 'PAID';

export type RecordReserveDepositInput = {
  /** The account that receives the credits the deposit buys. */
  accountId: Scalars['ID']['input'];
  /** National money received, in the reserve currency. */
  amount: Scalars['Decimal']['input'];
  /** The BACKED currency whose reserve grows. */
  currencyCode: Scalars['String']['input'];
  idempotencyKey: Scalars['String']['input'];
  memo?: InputMaybe<Scalars['String']['input']>;
};

export type RedeemInput = {
  /** The account that receives the new credits. */
  accountId: Scalars['ID']['input'];
  /** Credits to create, in the account’s currency. */
  amount: Scalars['Decimal']['input'];
  idempotencyKey: Scalars['String']['input'];
  memo?: InputMaybe<Scalars['String']['input']>;
};

export type RefundPaymentInput = {
  /** Omitted: all that is left to refund. */
  amount?: InputMaybe<Scalars['Decimal']['input']>;
  idempotencyKey: Scalars['String']['input'];
  /** Shown to the payer as the refund’s memo. */
  reason?: InputMaybe<Scalars['String']['input']>;
  /** The payment (a PAYMENT transfer into your shop account). */
  transferId: Scalars['ID']['input'];
};

export type RegisterInput = {
  communitySlug: Scalars['String']['input'];
  displayName: Scalars['String']['input'];
  email: Scalars['String']['input'];
  /** Needed when the community does not allow open sign-up. */
  inviteCode?: InputMaybe<Scalars['String']['input']>;
  password: Scalars['String']['input'];
  /** MEMBER (default) or SHOP; an invite decides its own role. */
  role?: InputMaybe<Role>;
};

export type RequestDisbursementInput = {
  /** e.g. "25.00"; no more decimals than the currency has. */
  amount: Scalars['Decimal']['input'];
  /** The FUND account to pay out of. */
  fundAccountId: Scalars['ID']['input'];
  /** Unique per request of yours; a retry with the same key returns the original transfer. */
  idempotencyKey: Scalars['String']['input'];
  /** What the money is for, for the stewards who decide. */
  memo?: InputMaybe<Scalars['String']['input']>;
  /** Where the money goes: an account of yours, or any account for the fund's stewards. */
  toAccountId: Scalars['ID']['input'];
};

export type ReverseTransferInput = {
  /** Post the reversal even if it takes an account past its floor or ceiling (recorded). */
  force?: InputMaybe<Scalars['Boolean']['input']>;
  idempotencyKey: Scalars['String']['input'];
  reason: Scalars['String']['input'];
  transferId: Scalars['ID']['input'];
};

/** What a user may do. */
export type Role =
  | 'ADMIN'
  | 'MEMBER'
  | 'SHOP'
  | 'STEWARD';

/** UTC days, or weeks from Monday 00:00 UTC. */
export type SeriesInterval =
  | 'DAY'
  | 'WEEK';

export type SetAccountLimitsInput = {
  accountId: Scalars['ID']['input'];
  /** New ceiling; null removes it; omitted keeps it. */
  ceiling?: InputMaybe<Scalars['Decimal']['input']>;
  /** New floor; null removes it; omitted keeps it. */
  floor?: InputMaybe<Scalars['Decimal']['input']>;
  /** New warning level; null removes it; omitted keeps it. */
  warningLevel?: InputMaybe<Scalars['Decimal']['input']>;
};

export type SetAccountStatusInput = {
  accountId: Scalars['ID']['input'];
  status: AccountStatus;
};

/** Publish a fund's public page, or withdraw it. */
export type SetFundPublicInput = {
  /** The FUND account. */
  fundAccountId: Scalars['ID']['input'];
  /** true: anyone may read the public page; false: nobody outside. */
  public: Scalars['Boolean']['input'];
};

/** A fund's new request limits: what one member may tie up of it with pending disbursement requests. */
export type SetFundRequestLimitsInput = {
  /** The FUND account. */
  fundAccountId: Scalars['ID']['input'];
  /** How many requests one member may have pending on the fund at once: 1 to 100. */
  maxOpenRequestsPerMember: Scalars['Int']['input'];
  /** The share of the fund's balance, in percent, that one member's pending requests may hold together: 1 to 100. */
  memberSharePercent: Scalars['Int']['input'];
};

/** A fund's new rule: the whole list of its stewards and k. */
export type SetFundStewardsInput = {
  /** k: approvals that pay a new disbursement out, 1 to the number of stewards. Pending requests keep the k they were made under. */
  approvalsRequired: Scalars['Int']['input'];
  /** The FUND account. */
  fundAccountId: Scalars['ID']['input'];
  /** Every steward who votes from now on, 1 to 20 active stewards of the community; you may leave yourself out. */
  stewardIds: Array<Scalars['ID']['input']>;
};

export type SetIssuancePolicyInput = {
  /** Also give every MEMBER and SHOP account the new default floor and ceiling (accounts the new limits would put out of bounds keep theirs and are counted as skipped). */
  applyToExistingAccounts?: InputMaybe<Scalars['Boolean']['input']>;
  currencyCode: Scalars['String']['input'];
  /** The whole new policy; rules left out are switched off. */
  policy: IssuancePolicyInput;
};

export type SetUserRoleInput = {
  /** MEMBER, SHOP or STEWARD. */
  role: Role;
  userId: Scalars['ID']['input'];
};

export type SetUserStatusInput = {
  status: UserStatus;
  userId: Scalars['ID']['input'];
};

export type StandingOrderInterval =
  | 'DAY'
  | 'MONTH'
  | 'WEEK';

export type StandingOrderStatus =
  | 'ACTIVE'
  | 'CANCELLED'
  | 'ENDED';

export type TransferBatchInput = {
  /** true: all post or none does; false (default): each on its own. */
  atomic?: InputMaybe<Scalars['Boolean']['input']>;
  /** 1 to 100 transfers. */
  transfers: Array<TransferInput>;
};

export type TransferFilter = {
  accountId?: InputMaybe<Scalars['ID']['input']>;
  /** Created at or after this instant. */
  from?: InputMaybe<Scalars['DateTime']['input']>;
  kind?: InputMaybe<TransferKind>;
  status?: InputMaybe<TransferStatus>;
  /** Created before this instant. */
  to?: InputMaybe<Scalars['DateTime']['input']>;
};

export type TransferInput = {
  /** What leaves fromAccount, e.g. "1.50"; no more decimals than the currency has. */
  amount: Scalars['Decimal']['input'];
  fromAccountId: Scalars['ID']['input'];
  /** Unique per request of yours; a retry with the same key returns the original transfer. */
  idempotencyKey: Scalars['String']['input'];
  kind: TransferKind;
  memo?: InputMaybe<Scalars['String']['input']>;
  /** Create a PENDING transfer that holds the funds until this instant, to be posted or voided. */
  pendingUntil?: InputMaybe<Scalars['DateTime']['input']>;
  toAccountId: Scalars['ID']['input'];
};

export type TransferKind =
  | 'ADJUSTMENT'
  | 'CONTRIBUTION'
  | 'DEMURRAGE'
  | 'DISBURSEMENT'
  | 'EXCHANGE'
  | 'FEE'
  | 'ISSUANCE'
  | 'PAYMENT'
  | 'REDEMPTION'
  | 'REVERSAL';

/** PENDING → POSTED | VOIDED | EXPIRED; the last three are final. */
export type TransferStatus =
  | 'EXPIRED'
  | 'PENDING'
  | 'POSTED'
  | 'VOIDED';

export type UpdateCommunityInput = {
  name?: InputMaybe<Scalars['String']['input']>;
  openSignup?: InputMaybe<Scalars['Boolean']['input']>;
};

/** A suspended user cannot log in or act; their history stays. */
export type UserStatus =
  | 'ACTIVE'
  | 'SUSPENDED';

/** A fund steward's vote on a disbursement. */
export type VoteDecision =
  | 'APPROVE'
  | 'REJECT';

export type CommunityQueryVariables = Exact<{
  slug: Scalars['String']['input'];
}>;


export type CommunityQuery = { __typename?: 'Query', community: { __typename?: 'Community', id: string, name: string, slug: string, openSignup: boolean } | null, publicFunds: Array<{ __typename?: 'PublicFundSummary', accountId: string, name: string, currencyCode: string }> };

export type LoginMutationVariables = Exact<{
  input: LoginInput;
}>;


export type LoginMutation = { __typename?: 'Mutation', login: { __typename?: 'AuthPayload', token: string, user: { __typename?: 'User', id: string, displayName: string, role: Role } } };

export type RegisterMutationVariables = Exact<{
  input: RegisterInput;
}>;


export type RegisterMutation = { __typename?: 'Mutation', register: { __typename?: 'AuthPayload', token: string, user: { __typename?: 'User', id: string, displayName: string, role: Role } } };

export type RequestDisbursementMutationVariables = Exact<{
  input: RequestDisbursementInput;
}>;


export type RequestDisbursementMutation = { __typename?: 'Mutation', requestDisbursement: { __typename?: 'Transfer', id: string, status: TransferStatus, amount: string, currencyCode: string } };

export type MyRequestsQueryVariables = Exact<{
  accountId: Scalars['ID']['input'];
}>;


export type MyRequestsQuery = { __typename?: 'Query', transfers: { __typename?: 'TransferConnection', edges: Array<{ __typename?: 'TransferEdge', node: { __typename?: 'Transfer', id: string, status: TransferStatus, amount: string, currencyCode: string, memo: string | null, createdAt: string, expiresAt: string | null, postedAt: string | null, fromAccount: { __typename?: 'Account', id: string, name: string }, toAccount: { __typename?: 'Account', id: string } } }> } };

export type DisbursementProgressQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type DisbursementProgressQuery = { __typename?: 'Query', disbursement: { __typename?: 'Disbursement', approvals: number, approvalsRequired: number, rejections: number, rejectionsRequired: number } };

export type HomeQueryVariables = Exact<{ [key: string]: never; }>;


export type HomeQuery = { __typename?: 'Query', me: { __typename?: 'User', id: string, displayName: string, role: Role }, accounts: { __typename?: 'AccountConnection', edges: Array<{ __typename?: 'AccountEdge', node: { __typename?: 'Account', id: string, kind: AccountKind, name: string, status: AccountStatus, balance: string, availableBalance: string, floor: string | null, effectiveFloor: string | null, ceiling: string | null, currency: { __typename?: 'Currency', code: string, name: string, kind: CurrencyKind, scale: number } } }> }, currencies: Array<{ __typename?: 'Currency', code: string, name: string, kind: CurrencyKind }> };

export type OpenAccountMutationVariables = Exact<{
  input: OpenAccountInput;
}>;


export type OpenAccountMutation = { __typename?: 'Mutation', openAccount: { __typename?: 'Account', id: string, currency: { __typename?: 'Currency', code: string } } };

export type PaymentRequestQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type PaymentRequestQuery = { __typename?: 'Query', paymentRequest: { __typename?: 'PaymentRequest', id: string, status: PaymentRequestStatus, shopName: string, amount: string | null, currencyCode: string, memo: string | null, reference: string | null, reusable: boolean, expiresAt: string | null } };

export type PayPaymentRequestMutationVariables = Exact<{
  input: PayPaymentRequestInput;
}>;


export type PayPaymentRequestMutation = { __typename?: 'Mutation', payPaymentRequest: { __typename?: 'Transfer', id: string, status: TransferStatus, amount: string, currencyCode: string } };

export type PayMutationVariables = Exact<{
  input: TransferInput;
}>;


export type PayMutation = { __typename?: 'Mutation', transfer: { __typename?: 'Transfer', id: string, status: TransferStatus, amount: string, currencyCode: string, warnings: Array<string>, toAccount: { __typename?: 'Account', id: string } } };

export type DirectoryQueryVariables = Exact<{
  currencyCode: Scalars['String']['input'];
  search?: InputMaybe<Scalars['String']['input']>;
  kind?: InputMaybe<AccountKind>;
}>;


export type DirectoryQuery = { __typename?: 'Query', accountDirectory: Array<{ __typename?: 'DirectoryAccount', accountId: string, kind: AccountKind, name: string, accountName: string, currencyCode: string }> };

export type PublicFundQueryVariables = Exact<{
  slug: Scalars['String']['input'];
  id: Scalars['ID']['input'];
}>;


export type PublicFundQuery = { __typename?: 'Query', publicFund: { __typename?: 'PublicFund', accountId: string, name: string, communityName: string, currencyCode: string, currencyName: string, scale: number, balance: string, publishedAt: string, approvalsRequired: number, stewardCount: number, pendingCount: number, pendingTotal: string, months: Array<{ __typename?: 'PublicFundMonth', month: string, moneyIn: string, moneyOut: string, transfersIn: number, transfersOut: number }>, disbursements: Array<{ __typename?: 'PublicDisbursement', postedAt: string, amount: string }> } };

export type PublicFundsQueryVariables = Exact<{
  slug: Scalars['String']['input'];
}>;


export type PublicFundsQuery = { __typename?: 'Query', community: { __typename?: 'Community', name: string } | null, publicFunds: Array<{ __typename?: 'PublicFundSummary', accountId: string, name: string, currencyCode: string, currencyName: string, balance: string }> };

export type ChangePasswordMutationVariables = Exact<{
  input: ChangePasswordInput;
}>;


export type ChangePasswordMutation = { __typename?: 'Mutation', changePassword: string };

export type LogoutMutationVariables = Exact<{ [key: string]: never; }>;


export type LogoutMutation = { __typename?: 'Mutation', logout: boolean };

export type StandingOrdersQueryVariables = Exact<{
  accountId: Scalars['ID']['input'];
}>;


export type StandingOrdersQuery = { __typename?: 'Query', standingOrders: Array<{ __typename?: 'StandingOrder', id: string, amount: string, interval: StandingOrderInterval, kind: string, memo: string | null, nextRunAt: string, endsAt: string | null, status: StandingOrderStatus, toAccountId: string, runs: Array<{ __typename?: 'StandingOrderRun', dueAt: string, ranAt: string, transferId: string | null, errorMessage: string | null }> }> };

export type CreateStandingOrderMutationVariables = Exact<{
  input: CreateStandingOrderInput;
}>;


export type CreateStandingOrderMutation = { __typename?: 'Mutation', createStandingOrder: { __typename?: 'StandingOrder', id: string, nextRunAt: string } };

export type CancelStandingOrderMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type CancelStandingOrderMutation = { __typename?: 'Mutation', cancelStandingOrder: { __typename?: 'StandingOrder', id: string, status: StandingOrderStatus } };

export type StatementQueryVariables = Exact<{
  accountId: Scalars['ID']['input'];
  from?: InputMaybe<Scalars['DateTime']['input']>;
  to?: InputMaybe<Scalars['DateTime']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type StatementQuery = { __typename?: 'Query', accountStatement: { __typename?: 'Statement', openingBalance: string, closingBalance: string, totalIn: string, totalOut: string, entryCount: number, account: { __typename?: 'Account', id: string, name: string, currency: { __typename?: 'Currency', code: string, name: string } }, entries: { __typename?: 'EntryConnection', edges: Array<{ __typename?: 'EntryEdge', node: { __typename?: 'Entry', id: string, amount: string, balanceAfter: string | null, postedAt: string, kind: TransferKind, memo: string | null, counterparty: { __typename?: 'Account', id: string, name: string, kind: AccountKind, owner: { __typename?: 'User', displayName: string } | null } } }>, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor: string | null } } } };

export type StewardCurrenciesQueryVariables = Exact<{ [key: string]: never; }>;


export type StewardCurrenciesQuery = { __typename?: 'Query', currencies: Array<{ __typename?: 'Currency', code: string, name: string, kind: CurrencyKind, scale: number }> };

export type CirculationQueryVariables = Exact<{
  currencyCode: Scalars['String']['input'];
}>;


export type CirculationQuery = { __typename?: 'Query', circulation: { __typename?: 'Circulation', interval: SeriesInterval, issued: string, redeemed: string, supplyAtEnd: string, volume: string, transferCount: number, activeAccounts: number, velocity: string | null, series: Array<{ __typename?: 'CirculationPoint', start: string, supplyAtEnd: string, transferCount: number, velocity: string | null, activeAccounts: number }> }, openAccounts: { __typename?: 'AccountConnection', edges: Array<{ __typename?: 'AccountEdge', node: { __typename?: 'Account', kind: AccountKind } }>, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean } } };

export type BooksQueryVariables = Exact<{
  currencyCode: Scalars['String']['input'];
}>;


export type BooksQuery = { __typename?: 'Query', trialBalance: { __typename?: 'TrialBalance', total: string, balanced: boolean, problems: Array<string>, accountCount: number, accounts: { __typename?: 'TrialBalanceLineConnection', edges: Array<{ __typename?: 'TrialBalanceLineEdge', node: { __typename?: 'TrialBalanceLine', balance: string, account: { __typename?: 'Account', id: string, name: string, kind: AccountKind, owner: { __typename?: 'User', displayName: string } | null } } }>, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean } } } };

export type VerifyLedgerQueryVariables = Exact<{
  currencyCode: Scalars['String']['input'];
  checkpoint?: InputMaybe<Scalars['String']['input']>;
}>;


export type VerifyLedgerQuery = { __typename?: 'Query', verifyLedger: { __typename?: 'LedgerCheck', ok: boolean, problems: Array<string>, accountsChecked: number, entriesChecked: number, checkpointAccountsCompared: number | null } };

export type LatestCheckpointQueryVariables = Exact<{
  currencyCode: Scalars['String']['input'];
}>;


export type LatestCheckpointQuery = { __typename?: 'Query', ledgerCheckpoints: Array<{ __typename?: 'LedgerCheckpoint', id: string, takenAt: string, accountCount: number, merkleRoot: string, signature: string, publicKey: string, document: string }> };

export type TakeCheckpointQueryVariables = Exact<{
  currencyCode: Scalars['String']['input'];
}>;


export type TakeCheckpointQuery = { __typename?: 'Query', ledgerCheckpoint: { __typename?: 'LedgerCheckpoint', id: string, takenAt: string } };

export type StewardFundsQueryVariables = Exact<{
  currencyCode: Scalars['String']['input'];
  slug: Scalars['String']['input'];
}>;


export type StewardFundsQuery = { __typename?: 'Query', accounts: { __typename?: 'AccountConnection', edges: Array<{ __typename?: 'AccountEdge', node: { __typename?: 'Account', id: string, name: string, balance: string } }> }, publicFunds: Array<{ __typename?: 'PublicFundSummary', accountId: string }> };

export type FundReportQueryVariables = Exact<{
  accountId: Scalars['ID']['input'];
}>;


export type FundReportQuery = { __typename?: 'Query', fundReport: { __typename?: 'FundReport', closingBalance: string, pendingCount: number, pendingTotal: string, inflows: { __typename?: 'FundFlows', total: string }, outflows: { __typename?: 'FundFlows', total: string }, pending: Array<{ __typename?: 'Transfer', id: string, amount: string, currencyCode: string, memo: string | null, createdAt: string, expiresAt: string | null, toAccount: { __typename?: 'Account', name: string, owner: { __typename?: 'User', displayName: string } | null } }> }, fund: { __typename?: 'Fund', approvalsRequired: number, stewards: Array<{ __typename?: 'User', id: string, displayName: string }> } };

export type StewardDisbursementQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type StewardDisbursementQuery = { __typename?: 'Query', disbursement: { __typename?: 'Disbursement', approvals: number, approvalsRequired: number, rejections: number, rejectionsRequired: number, requestedBy: { __typename?: 'User', displayName: string }, voters: Array<{ __typename?: 'User', id: string }>, votes: Array<{ __typename?: 'DisbursementVote', decision: VoteDecision, counted: boolean, steward: { __typename?: 'User', id: string, displayName: string } }>, transfer: { __typename?: 'Transfer', id: string, status: TransferStatus } } };

export type ApproveMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type ApproveMutation = { __typename?: 'Mutation', approveTransfer: { __typename?: 'Transfer', id: string, status: TransferStatus } };

export type RejectMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type RejectMutation = { __typename?: 'Mutation', rejectTransfer: { __typename?: 'Transfer', id: string, status: TransferStatus } };

export type SetFundPublicMutationVariables = Exact<{
  input: SetFundPublicInput;
}>;


export type SetFundPublicMutation = { __typename?: 'Mutation', setFundPublic: { __typename?: 'FundPublicSetting', fundAccountId: string, public: boolean } };

export type MembersQueryVariables = Exact<{
  currencyCode: Scalars['String']['input'];
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type MembersQuery = { __typename?: 'Query', users: { __typename?: 'UserConnection', edges: Array<{ __typename?: 'UserEdge', node: { __typename?: 'User', id: string, displayName: string, email: string, role: Role, status: UserStatus } }>, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor: string | null } }, accounts: { __typename?: 'AccountConnection', edges: Array<{ __typename?: 'AccountEdge', node: { __typename?: 'Account', id: string, kind: AccountKind, status: AccountStatus, balance: string, floor: string | null, effectiveFloor: string | null, ceiling: string | null, owner: { __typename?: 'User', id: string } | null } }> } };

export type SetAccountStatusMutationVariables = Exact<{
  input: SetAccountStatusInput;
}>;


export type SetAccountStatusMutation = { __typename?: 'Mutation', setAccountStatus: { __typename?: 'Account', id: string, status: AccountStatus } };

export type PolicyHistoryQueryVariables = Exact<{
  currencyCode: Scalars['String']['input'];
}>;


export type PolicyHistoryQuery = { __typename?: 'Query', policyHistory: Array<{ __typename?: 'PolicyVersion', createdAt: string, createdBy: string, policy: { __typename?: 'IssuancePolicy', version: number, mode: IssuanceMode, defaultFloor: string | null, defaultCeiling: string | null, maxTransfer: string | null, dailyOutflowLimit: string | null, onboardingGrant: string | null, transactionFeePercent: string | null, transactionFeeFixed: string | null, demurragePercent: string | null, demurragePeriod: DemurragePeriod | null, mintRate: string | null, backingRatio: string | null, redemptionFeePercent: string | null } }> };

export type CreatePaymentRequestMutationVariables = Exact<{
  input: CreatePaymentRequestInput;
}>;


export type CreatePaymentRequestMutation = { __typename?: 'Mutation', createPaymentRequest: { __typename?: 'PaymentRequest', id: string, status: PaymentRequestStatus, amount: string | null, currencyCode: string, memo: string | null, expiresAt: string | null, paymentUri: string, qrSvg: string } };

export type TillRequestQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type TillRequestQuery = { __typename?: 'Query', paymentRequest: { __typename?: 'PaymentRequest', id: string, status: PaymentRequestStatus, paidAmount: string, payments: Array<{ __typename?: 'Payment', transferId: string, payerName: string, amount: string }> } };

export type CancelPaymentRequestMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type CancelPaymentRequestMutation = { __typename?: 'Mutation', cancelPaymentRequest: { __typename?: 'PaymentRequest', id: string, status: PaymentRequestStatus } };

export type PaymentReceivedSubscriptionVariables = Exact<{
  accountId: Scalars['ID']['input'];
}>;


export type PaymentReceivedSubscription = { __typename?: 'Subscription', paymentReceived: { __typename?: 'Payment', transferId: string, paymentRequestId: string | null, payerName: string, amount: string, fee: string, currencyCode: string, postedAt: string } };

export type ShopSalesQueryVariables = Exact<{
  accountId: Scalars['ID']['input'];
  from: Scalars['DateTime']['input'];
}>;


export type ShopSalesQuery = { __typename?: 'Query', shopSales: { __typename?: 'ShopSales', count: number, totalReceived: string, fees: string, refunds: string, net: string, currencyCode: string, from: string, to: string }, transfers: { __typename?: 'TransferConnection', edges: Array<{ __typename?: 'TransferEdge', node: { __typename?: 'Transfer', id: string, amount: string, memo: string | null, postedAt: string | null, currencyCode: string, fromAccount: { __typename?: 'Account', id: string, owner: { __typename?: 'User', displayName: string } | null }, toAccount: { __typename?: 'Account', id: string }, reversedBy: { __typename?: 'Transfer', id: string } | null } }> } };

export type RefundPaymentMutationVariables = Exact<{
  input: RefundPaymentInput;
}>;


export type RefundPaymentMutation = { __typename?: 'Mutation', refundPayment: { __typename?: 'Transfer', id: string, amount: string, currencyCode: string } };


export const CommunityDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Community"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"slug"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"community"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"slug"},"value":{"kind":"Variable","name":{"kind":"Name","value":"slug"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"slug"}},{"kind":"Field","name":{"kind":"Name","value":"openSignup"}}]}},{"kind":"Field","name":{"kind":"Name","value":"publicFunds"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"communitySlug"},"value":{"kind":"Variable","name":{"kind":"Name","value":"slug"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accountId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"currencyCode"}}]}}]}}]} as unknown as DocumentNode<CommunityQuery, CommunityQueryVariables>;
export const LoginDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Login"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"LoginInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"login"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"token"}},{"kind":"Field","name":{"kind":"Name","value":"user"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"role"}}]}}]}}]}}]} as unknown as DocumentNode<LoginMutation, LoginMutationVariables>;
export const RegisterDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Register"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RegisterInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"register"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"token"}},{"kind":"Field","name":{"kind":"Name","value":"user"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"role"}}]}}]}}]}}]} as unknown as DocumentNode<RegisterMutation, RegisterMutationVariables>;
export const RequestDisbursementDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RequestDisbursement"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RequestDisbursementInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requestDisbursement"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currencyCode"}}]}}]}}]} as unknown as DocumentNode<RequestDisbursementMutation, RequestDisbursementMutationVariables>;
export const MyRequestsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"MyRequests"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"transfers"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"accountId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}}},{"kind":"ObjectField","name":{"kind":"Name","value":"kind"},"value":{"kind":"EnumValue","value":"DISBURSEMENT"}}]}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"25"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currencyCode"}},{"kind":"Field","name":{"kind":"Name","value":"memo"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"postedAt"}},{"kind":"Field","name":{"kind":"Name","value":"fromAccount"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"toAccount"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<MyRequestsQuery, MyRequestsQueryVariables>;
export const DisbursementProgressDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DisbursementProgress"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"disbursement"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"transferId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"approvals"}},{"kind":"Field","name":{"kind":"Name","value":"approvalsRequired"}},{"kind":"Field","name":{"kind":"Name","value":"rejections"}},{"kind":"Field","name":{"kind":"Name","value":"rejectionsRequired"}}]}}]}}]} as unknown as DocumentNode<DisbursementProgressQuery, DisbursementProgressQueryVariables>;
export const HomeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Home"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"role"}}]}},{"kind":"Field","name":{"kind":"Name","value":"accounts"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"100"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"balance"}},{"kind":"Field","name":{"kind":"Name","value":"availableBalance"}},{"kind":"Field","name":{"kind":"Name","value":"floor"}},{"kind":"Field","name":{"kind":"Name","value":"effectiveFloor"}},{"kind":"Field","name":{"kind":"Name","value":"ceiling"}},{"kind":"Field","name":{"kind":"Name","value":"currency"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"scale"}}]}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"currencies"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}}]}}]}}]} as unknown as DocumentNode<HomeQuery, HomeQueryVariables>;
export const OpenAccountDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"OpenAccount"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"OpenAccountInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"openAccount"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"currency"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}}]}}]}}]}}]} as unknown as DocumentNode<OpenAccountMutation, OpenAccountMutationVariables>;
export const PaymentRequestDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PaymentRequest"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"paymentRequest"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"shopName"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currencyCode"}},{"kind":"Field","name":{"kind":"Name","value":"memo"}},{"kind":"Field","name":{"kind":"Name","value":"reference"}},{"kind":"Field","name":{"kind":"Name","value":"reusable"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}}]}}]} as unknown as DocumentNode<PaymentRequestQuery, PaymentRequestQueryVariables>;
export const PayPaymentRequestDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"PayPaymentRequest"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"PayPaymentRequestInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"payPaymentRequest"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currencyCode"}}]}}]}}]} as unknown as DocumentNode<PayPaymentRequestMutation, PayPaymentRequestMutationVariables>;
export const PayDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Pay"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"TransferInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"transfer"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currencyCode"}},{"kind":"Field","name":{"kind":"Name","value":"warnings"}},{"kind":"Field","name":{"kind":"Name","value":"toAccount"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]}}]} as unknown as DocumentNode<PayMutation, PayMutationVariables>;
export const DirectoryDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Directory"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"currencyCode"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"search"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"kind"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"AccountKind"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accountDirectory"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"currencyCode"},"value":{"kind":"Variable","name":{"kind":"Name","value":"currencyCode"}}},{"kind":"Argument","name":{"kind":"Name","value":"search"},"value":{"kind":"Variable","name":{"kind":"Name","value":"search"}}},{"kind":"Argument","name":{"kind":"Name","value":"kind"},"value":{"kind":"Variable","name":{"kind":"Name","value":"kind"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"20"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accountId"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"accountName"}},{"kind":"Field","name":{"kind":"Name","value":"currencyCode"}}]}}]}}]} as unknown as DocumentNode<DirectoryQuery, DirectoryQueryVariables>;
export const PublicFundDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PublicFund"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"slug"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"publicFund"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"communitySlug"},"value":{"kind":"Variable","name":{"kind":"Name","value":"slug"}}},{"kind":"Argument","name":{"kind":"Name","value":"fundAccountId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accountId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"communityName"}},{"kind":"Field","name":{"kind":"Name","value":"currencyCode"}},{"kind":"Field","name":{"kind":"Name","value":"currencyName"}},{"kind":"Field","name":{"kind":"Name","value":"scale"}},{"kind":"Field","name":{"kind":"Name","value":"balance"}},{"kind":"Field","name":{"kind":"Name","value":"publishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"approvalsRequired"}},{"kind":"Field","name":{"kind":"Name","value":"stewardCount"}},{"kind":"Field","name":{"kind":"Name","value":"pendingCount"}},{"kind":"Field","name":{"kind":"Name","value":"pendingTotal"}},{"kind":"Field","name":{"kind":"Name","value":"months"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"month"}},{"kind":"Field","name":{"kind":"Name","value":"moneyIn"}},{"kind":"Field","name":{"kind":"Name","value":"moneyOut"}},{"kind":"Field","name":{"kind":"Name","value":"transfersIn"}},{"kind":"Field","name":{"kind":"Name","value":"transfersOut"}}]}},{"kind":"Field","name":{"kind":"Name","value":"disbursements"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"postedAt"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}}]}}]}}]} as unknown as DocumentNode<PublicFundQuery, PublicFundQueryVariables>;
export const PublicFundsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PublicFunds"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"slug"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"community"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"slug"},"value":{"kind":"Variable","name":{"kind":"Name","value":"slug"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"publicFunds"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"communitySlug"},"value":{"kind":"Variable","name":{"kind":"Name","value":"slug"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accountId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"currencyCode"}},{"kind":"Field","name":{"kind":"Name","value":"currencyName"}},{"kind":"Field","name":{"kind":"Name","value":"balance"}}]}}]}}]} as unknown as DocumentNode<PublicFundsQuery, PublicFundsQueryVariables>;
export const ChangePasswordDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ChangePassword"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ChangePasswordInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"changePassword"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}]}]}}]} as unknown as DocumentNode<ChangePasswordMutation, ChangePasswordMutationVariables>;
export const LogoutDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Logout"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"logout"}}]}}]} as unknown as DocumentNode<LogoutMutation, LogoutMutationVariables>;
export const StandingOrdersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"StandingOrders"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"standingOrders"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"accountId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"interval"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"memo"}},{"kind":"Field","name":{"kind":"Name","value":"nextRunAt"}},{"kind":"Field","name":{"kind":"Name","value":"endsAt"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"toAccountId"}},{"kind":"Field","name":{"kind":"Name","value":"runs"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dueAt"}},{"kind":"Field","name":{"kind":"Name","value":"ranAt"}},{"kind":"Field","name":{"kind":"Name","value":"transferId"}},{"kind":"Field","name":{"kind":"Name","value":"errorMessage"}}]}}]}}]}}]} as unknown as DocumentNode<StandingOrdersQuery, StandingOrdersQueryVariables>;
export const CreateStandingOrderDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateStandingOrder"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateStandingOrderInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createStandingOrder"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"nextRunAt"}}]}}]}}]} as unknown as DocumentNode<CreateStandingOrderMutation, CreateStandingOrderMutationVariables>;
export const CancelStandingOrderDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CancelStandingOrder"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cancelStandingOrder"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<CancelStandingOrderMutation, CancelStandingOrderMutationVariables>;
export const StatementDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Statement"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"from"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"to"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accountStatement"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"accountId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}}},{"kind":"Argument","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"from"}}},{"kind":"Argument","name":{"kind":"Name","value":"to"},"value":{"kind":"Variable","name":{"kind":"Name","value":"to"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"account"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"currency"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"openingBalance"}},{"kind":"Field","name":{"kind":"Name","value":"closingBalance"}},{"kind":"Field","name":{"kind":"Name","value":"totalIn"}},{"kind":"Field","name":{"kind":"Name","value":"totalOut"}},{"kind":"Field","name":{"kind":"Name","value":"entryCount"}},{"kind":"Field","name":{"kind":"Name","value":"entries"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"balanceAfter"}},{"kind":"Field","name":{"kind":"Name","value":"postedAt"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"memo"}},{"kind":"Field","name":{"kind":"Name","value":"counterparty"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"owner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"displayName"}}]}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]}}]} as unknown as DocumentNode<StatementQuery, StatementQueryVariables>;
export const StewardCurrenciesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"StewardCurrencies"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"currencies"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"scale"}}]}}]}}]} as unknown as DocumentNode<StewardCurrenciesQuery, StewardCurrenciesQueryVariables>;
export const CirculationDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Circulation"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"currencyCode"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"circulation"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"currencyCode"},"value":{"kind":"Variable","name":{"kind":"Name","value":"currencyCode"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"interval"}},{"kind":"Field","name":{"kind":"Name","value":"issued"}},{"kind":"Field","name":{"kind":"Name","value":"redeemed"}},{"kind":"Field","name":{"kind":"Name","value":"supplyAtEnd"}},{"kind":"Field","name":{"kind":"Name","value":"volume"}},{"kind":"Field","name":{"kind":"Name","value":"transferCount"}},{"kind":"Field","name":{"kind":"Name","value":"activeAccounts"}},{"kind":"Field","name":{"kind":"Name","value":"velocity"}},{"kind":"Field","name":{"kind":"Name","value":"series"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"supplyAtEnd"}},{"kind":"Field","name":{"kind":"Name","value":"transferCount"}},{"kind":"Field","name":{"kind":"Name","value":"velocity"}},{"kind":"Field","name":{"kind":"Name","value":"activeAccounts"}}]}}]}},{"kind":"Field","alias":{"kind":"Name","value":"openAccounts"},"name":{"kind":"Name","value":"accounts"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"currencyCode"},"value":{"kind":"Variable","name":{"kind":"Name","value":"currencyCode"}}},{"kind":"ObjectField","name":{"kind":"Name","value":"status"},"value":{"kind":"EnumValue","value":"OPEN"}}]}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"100"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}}]}}]}}]}}]} as unknown as DocumentNode<CirculationQuery, CirculationQueryVariables>;
export const BooksDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Books"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"currencyCode"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"trialBalance"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"currencyCode"},"value":{"kind":"Variable","name":{"kind":"Name","value":"currencyCode"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"100"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"balanced"}},{"kind":"Field","name":{"kind":"Name","value":"problems"}},{"kind":"Field","name":{"kind":"Name","value":"accountCount"}},{"kind":"Field","name":{"kind":"Name","value":"accounts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"balance"}},{"kind":"Field","name":{"kind":"Name","value":"account"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"owner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"displayName"}}]}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}}]}}]}}]}}]}}]} as unknown as DocumentNode<BooksQuery, BooksQueryVariables>;
export const VerifyLedgerDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"VerifyLedger"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"currencyCode"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"checkpoint"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"verifyLedger"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"currencyCode"},"value":{"kind":"Variable","name":{"kind":"Name","value":"currencyCode"}}},{"kind":"Argument","name":{"kind":"Name","value":"checkpoint"},"value":{"kind":"Variable","name":{"kind":"Name","value":"checkpoint"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"ok"}},{"kind":"Field","name":{"kind":"Name","value":"problems"}},{"kind":"Field","name":{"kind":"Name","value":"accountsChecked"}},{"kind":"Field","name":{"kind":"Name","value":"entriesChecked"}},{"kind":"Field","name":{"kind":"Name","value":"checkpointAccountsCompared"}}]}}]}}]} as unknown as DocumentNode<VerifyLedgerQuery, VerifyLedgerQueryVariables>;
export const LatestCheckpointDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"LatestCheckpoint"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"currencyCode"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"ledgerCheckpoints"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"currencyCode"},"value":{"kind":"Variable","name":{"kind":"Name","value":"currencyCode"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"1"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"takenAt"}},{"kind":"Field","name":{"kind":"Name","value":"accountCount"}},{"kind":"Field","name":{"kind":"Name","value":"merkleRoot"}},{"kind":"Field","name":{"kind":"Name","value":"signature"}},{"kind":"Field","name":{"kind":"Name","value":"publicKey"}},{"kind":"Field","name":{"kind":"Name","value":"document"}}]}}]}}]} as unknown as DocumentNode<LatestCheckpointQuery, LatestCheckpointQueryVariables>;
export const TakeCheckpointDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TakeCheckpoint"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"currencyCode"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"ledgerCheckpoint"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"currencyCode"},"value":{"kind":"Variable","name":{"kind":"Name","value":"currencyCode"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"takenAt"}}]}}]}}]} as unknown as DocumentNode<TakeCheckpointQuery, TakeCheckpointQueryVariables>;
export const StewardFundsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"StewardFunds"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"currencyCode"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"slug"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accounts"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"currencyCode"},"value":{"kind":"Variable","name":{"kind":"Name","value":"currencyCode"}}},{"kind":"ObjectField","name":{"kind":"Name","value":"kind"},"value":{"kind":"EnumValue","value":"FUND"}}]}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"50"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"balance"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"publicFunds"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"communitySlug"},"value":{"kind":"Variable","name":{"kind":"Name","value":"slug"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accountId"}}]}}]}}]} as unknown as DocumentNode<StewardFundsQuery, StewardFundsQueryVariables>;
export const FundReportDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"FundReport"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"fundReport"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"accountId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"closingBalance"}},{"kind":"Field","name":{"kind":"Name","value":"inflows"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"total"}}]}},{"kind":"Field","name":{"kind":"Name","value":"outflows"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"total"}}]}},{"kind":"Field","name":{"kind":"Name","value":"pendingCount"}},{"kind":"Field","name":{"kind":"Name","value":"pendingTotal"}},{"kind":"Field","name":{"kind":"Name","value":"pending"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currencyCode"}},{"kind":"Field","name":{"kind":"Name","value":"memo"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"toAccount"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"owner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"displayName"}}]}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"fund"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"accountId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"approvalsRequired"}},{"kind":"Field","name":{"kind":"Name","value":"stewards"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}}]}}]}}]}}]} as unknown as DocumentNode<FundReportQuery, FundReportQueryVariables>;
export const StewardDisbursementDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"StewardDisbursement"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"disbursement"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"transferId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"approvals"}},{"kind":"Field","name":{"kind":"Name","value":"approvalsRequired"}},{"kind":"Field","name":{"kind":"Name","value":"rejections"}},{"kind":"Field","name":{"kind":"Name","value":"rejectionsRequired"}},{"kind":"Field","name":{"kind":"Name","value":"requestedBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"displayName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"voters"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"votes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"decision"}},{"kind":"Field","name":{"kind":"Name","value":"counted"}},{"kind":"Field","name":{"kind":"Name","value":"steward"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"transfer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]} as unknown as DocumentNode<StewardDisbursementQuery, StewardDisbursementQueryVariables>;
export const ApproveDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Approve"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"approveTransfer"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<ApproveMutation, ApproveMutationVariables>;
export const RejectDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Reject"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rejectTransfer"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<RejectMutation, RejectMutationVariables>;
export const SetFundPublicDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SetFundPublic"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SetFundPublicInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"setFundPublic"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"fundAccountId"}},{"kind":"Field","name":{"kind":"Name","value":"public"}}]}}]}}]} as unknown as DocumentNode<SetFundPublicMutation, SetFundPublicMutationVariables>;
export const MembersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Members"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"currencyCode"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"users"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"50"}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"accounts"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"currencyCode"},"value":{"kind":"Variable","name":{"kind":"Name","value":"currencyCode"}}}]}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"50"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"balance"}},{"kind":"Field","name":{"kind":"Name","value":"floor"}},{"kind":"Field","name":{"kind":"Name","value":"effectiveFloor"}},{"kind":"Field","name":{"kind":"Name","value":"ceiling"}},{"kind":"Field","name":{"kind":"Name","value":"owner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<MembersQuery, MembersQueryVariables>;
export const SetAccountStatusDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SetAccountStatus"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SetAccountStatusInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"setAccountStatus"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<SetAccountStatusMutation, SetAccountStatusMutationVariables>;
export const PolicyHistoryDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PolicyHistory"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"currencyCode"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"policyHistory"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"currencyCode"},"value":{"kind":"Variable","name":{"kind":"Name","value":"currencyCode"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"createdBy"}},{"kind":"Field","name":{"kind":"Name","value":"policy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"mode"}},{"kind":"Field","name":{"kind":"Name","value":"defaultFloor"}},{"kind":"Field","name":{"kind":"Name","value":"defaultCeiling"}},{"kind":"Field","name":{"kind":"Name","value":"maxTransfer"}},{"kind":"Field","name":{"kind":"Name","value":"dailyOutflowLimit"}},{"kind":"Field","name":{"kind":"Name","value":"onboardingGrant"}},{"kind":"Field","name":{"kind":"Name","value":"transactionFeePercent"}},{"kind":"Field","name":{"kind":"Name","value":"transactionFeeFixed"}},{"kind":"Field","name":{"kind":"Name","value":"demurragePercent"}},{"kind":"Field","name":{"kind":"Name","value":"demurragePeriod"}},{"kind":"Field","name":{"kind":"Name","value":"mintRate"}},{"kind":"Field","name":{"kind":"Name","value":"backingRatio"}},{"kind":"Field","name":{"kind":"Name","value":"redemptionFeePercent"}}]}}]}}]}}]} as unknown as DocumentNode<PolicyHistoryQuery, PolicyHistoryQueryVariables>;
export const CreatePaymentRequestDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreatePaymentRequest"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreatePaymentRequestInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createPaymentRequest"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currencyCode"}},{"kind":"Field","name":{"kind":"Name","value":"memo"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"paymentUri"}},{"kind":"Field","name":{"kind":"Name","value":"qrSvg"}}]}}]}}]} as unknown as DocumentNode<CreatePaymentRequestMutation, CreatePaymentRequestMutationVariables>;
export const TillRequestDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TillRequest"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"paymentRequest"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"paidAmount"}},{"kind":"Field","name":{"kind":"Name","value":"payments"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"5"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"transferId"}},{"kind":"Field","name":{"kind":"Name","value":"payerName"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}}]}}]}}]} as unknown as DocumentNode<TillRequestQuery, TillRequestQueryVariables>;
export const CancelPaymentRequestDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CancelPaymentRequest"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cancelPaymentRequest"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<CancelPaymentRequestMutation, CancelPaymentRequestMutationVariables>;
export const PaymentReceivedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"PaymentReceived"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"paymentReceived"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"accountId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"transferId"}},{"kind":"Field","name":{"kind":"Name","value":"paymentRequestId"}},{"kind":"Field","name":{"kind":"Name","value":"payerName"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"fee"}},{"kind":"Field","name":{"kind":"Name","value":"currencyCode"}},{"kind":"Field","name":{"kind":"Name","value":"postedAt"}}]}}]}}]} as unknown as DocumentNode<PaymentReceivedSubscription, PaymentReceivedSubscriptionVariables>;
export const ShopSalesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ShopSales"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"from"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"shopSales"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"accountId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"totalReceived"}},{"kind":"Field","name":{"kind":"Name","value":"fees"}},{"kind":"Field","name":{"kind":"Name","value":"refunds"}},{"kind":"Field","name":{"kind":"Name","value":"net"}},{"kind":"Field","name":{"kind":"Name","value":"currencyCode"}},{"kind":"Field","name":{"kind":"Name","value":"from"}},{"kind":"Field","name":{"kind":"Name","value":"to"}}]}},{"kind":"Field","name":{"kind":"Name","value":"transfers"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"accountId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}}},{"kind":"ObjectField","name":{"kind":"Name","value":"kind"},"value":{"kind":"EnumValue","value":"PAYMENT"}},{"kind":"ObjectField","name":{"kind":"Name","value":"status"},"value":{"kind":"EnumValue","value":"POSTED"}},{"kind":"ObjectField","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"from"}}}]}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"50"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"memo"}},{"kind":"Field","name":{"kind":"Name","value":"postedAt"}},{"kind":"Field","name":{"kind":"Name","value":"currencyCode"}},{"kind":"Field","name":{"kind":"Name","value":"fromAccount"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"owner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"displayName"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"toAccount"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"reversedBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<ShopSalesQuery, ShopSalesQueryVariables>;
export const RefundPaymentDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RefundPayment"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RefundPaymentInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"refundPayment"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currencyCode"}}]}}]}}]} as unknown as DocumentNode<RefundPaymentMutation, RefundPaymentMutationVariables>;