import { INestApplication } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, GraphQLObjectType } from 'graphql';
import {
  createCommunity,
  createCurrency,
  expectData,
  login,
  openAccount,
  registerUser,
  TestCommunity,
  TestUser,
  unique,
} from '../support/factories';
import { DataSource } from 'typeorm';
import { hashPassword } from '../../src/access/passwords';
import { DEPLOYMENT_COMMUNITY_ID } from '../../src/access/role';
import {
  createTestApp,
  everyCommunity,
  errorCode,
  gql,
  GraphQLResponse,
} from '../support/test-app';
import { eventually, liveClient } from '../shops/live-client';

/**
 * Who may call what: every Query and Mutation of schema.gql against every
 * kind of caller. A new operation without a row here fails the first test,
 * so access is always decided on purpose.
 *
 * Callers: anonymous; a member acting on their own objects ("member") and on
 * another member's ("memberOther"); a shop; a shop's till key; a steward in
 * their community and a steward of another community reaching into this one
 * ("stewardOther": NOT_FOUND, never FORBIDDEN, so that nothing leaks across
 * communities); the deployment admin. 'ok' means the call succeeded with no
 * error at all.
 */
type Caller =
  'anonymous' | 'member' | 'memberOther' | 'shop' | 'apiKey' | 'steward' | 'stewardOther' | 'admin';
type Expected = 'ok' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND';

const CALLERS: Caller[] = [
  'anonymous',
  'member',
  'memberOther',
  'shop',
  'apiKey',
  'steward',
  'stewardOther',
  'admin',
];

interface Fixture {
  community: TestCommunity;
  other: TestCommunity;
  member: TestUser;
  member2: TestUser;
  shop: TestUser;
  memberAccount: string;
  member2Account: string;
  shopAccount: string;
  apiKey: string;
  adminToken: string;
  transferId: string;
  /** Accounts in BRK, a local currency backed by a EUR reserve. */
  memberBacked: string;
  shopBacked: string;
}

interface Call {
  query: string;
  variables?: Record<string, unknown>;
}

interface Row {
  expected: Record<Caller, Expected>;
  /** A subscription: called over WebSocket; 'ok' means accepted and then an event arrives. */
  subscription?: { account: (fixture: Fixture, caller: Caller) => string };
  call: (fixture: Fixture, caller: Caller) => Promise<Call> | Call;
  /** The call ends the caller's sessions: log everyone in again afterwards. */
  revokesTokens?: boolean;
}

const everyone = (expected: Expected): Record<Caller, Expected> =>
  Object.fromEntries(CALLERS.map((caller) => [caller, expected])) as Record<Caller, Expected>;

/** Members, shops and stewards of the community; not keys, not the admin. */
const communityRoles = (
  overrides: Partial<Record<Caller, Expected>> = {},
): Record<Caller, Expected> => ({
  anonymous: 'UNAUTHENTICATED',
  member: 'ok',
  memberOther: 'ok',
  shop: 'ok',
  apiKey: 'FORBIDDEN',
  steward: 'ok',
  stewardOther: 'ok',
  admin: 'FORBIDDEN',
  ...overrides,
});

/** Stewards only; another community's steward does not find this one's objects. */
const stewardsOnly = (stewardOther: Expected = 'NOT_FOUND'): Record<Caller, Expected> => ({
  anonymous: 'UNAUTHENTICATED',
  member: 'FORBIDDEN',
  memberOther: 'FORBIDDEN',
  shop: 'FORBIDDEN',
  apiKey: 'FORBIDDEN',
  steward: 'ok',
  stewardOther,
  admin: 'FORBIDDEN',
});

const TRANSFER_FIELDS = '{ id status }';

let app: INestApplication;
let port: number;

async function pendingTransferOf(fixture: Fixture, owner: 'member' | 'member2'): Promise<string> {
  const user = owner === 'member' ? fixture.member : fixture.member2;
  const from = owner === 'member' ? fixture.memberAccount : fixture.member2Account;
  const to = owner === 'member' ? fixture.member2Account : fixture.memberAccount;
  const response = await gql<{ transfer: { id: string } }>(
    app,
    `mutation($input: TransferInput!) { transfer(input: $input) ${TRANSFER_FIELDS} }`,
    {
      input: {
        fromAccountId: from,
        toAccountId: to,
        amount: '0.01',
        kind: 'EXCHANGE',
        idempotencyKey: unique('pending'),
        pendingUntil: new Date(Date.now() + 3600_000).toISOString(),
      },
    },
    user.token,
  );
  return expectData(response).transfer.id;
}

async function postedTransfer(fixture: Fixture): Promise<string> {
  const response = await gql<{ transfer: { id: string } }>(
    app,
    `mutation($input: TransferInput!) { transfer(input: $input) ${TRANSFER_FIELDS} }`,
    {
      input: {
        fromAccountId: fixture.memberAccount,
        toAccountId: fixture.member2Account,
        amount: '0.01',
        kind: 'EXCHANGE',
        idempotencyKey: unique('posted'),
      },
    },
    fixture.member.token,
  );
  return expectData(response).transfer.id;
}

/** The account a caller aims at: their own, or (memberOther) another member's. */
function targetAccount(fixture: Fixture, caller: Caller): string {
  if (caller === 'memberOther') return fixture.member2Account;
  if (caller === 'shop' || caller === 'apiKey') return fixture.shopAccount;
  return fixture.memberAccount;
}

const ROWS: Record<string, Row> = {
  // Queries
  serverInfo: { expected: everyone('ok'), call: () => ({ query: '{ serverInfo { version } }' }) },
  community: {
    expected: everyone('ok'),
    call: (fixture) => ({
      query: 'query($slug: String!) { community(slug: $slug) { id } }',
      variables: { slug: fixture.community.slug },
    }),
  },
  communities: {
    expected: { ...everyone('FORBIDDEN'), anonymous: 'UNAUTHENTICATED', admin: 'ok' },
    call: () => ({ query: '{ communities(first: 5) { edges { node { slug } } } }' }),
  },
  me: {
    expected: { ...communityRoles(), admin: 'ok' },
    call: () => ({ query: '{ me { id role } }' }),
  },
  user: {
    expected: stewardsOnly(),
    call: (fixture) => ({
      query: 'query($id: ID!) { user(id: $id) { id } }',
      variables: { id: fixture.member.id },
    }),
  },
  users: {
    expected: stewardsOnly('ok'),
    call: () => ({ query: '{ users(first: 5) { edges { node { id } } } }' }),
  },
  apiKeys: {
    expected: { ...everyone('FORBIDDEN'), anonymous: 'UNAUTHENTICATED', shop: 'ok' },
    call: () => ({ query: '{ apiKeys { id } }' }),
  },
  currencies: { expected: communityRoles(), call: () => ({ query: '{ currencies { code } }' }) },
  currency: {
    expected: communityRoles({ stewardOther: 'NOT_FOUND' }),
    call: () => ({ query: '{ currency(code: "HOUR") { code } }' }),
  },
  account: {
    expected: communityRoles({ memberOther: 'FORBIDDEN', apiKey: 'ok', stewardOther: 'NOT_FOUND' }),
    call: (fixture, caller) => ({
      query: 'query($id: ID!) { account(id: $id) { id balance } }',
      variables: { id: targetAccount(fixture, caller) },
    }),
  },
  accounts: {
    expected: communityRoles({ apiKey: 'ok' }),
    call: () => ({ query: '{ accounts(first: 5) { edges { node { id balance } } } }' }),
  },
  transferById: {
    expected: communityRoles({
      memberOther: 'FORBIDDEN',
      shop: 'FORBIDDEN',
      apiKey: 'FORBIDDEN',
      stewardOther: 'NOT_FOUND',
    }),
    call: (fixture, caller) => {
      // memberOther reads a transfer between member2 and the shop, in which the member took no part.
      return {
        query: 'query($id: ID!) { transferById(id: $id) { id } }',
        variables: { id: caller === 'memberOther' ? shopTransferId : fixture.transferId },
      };
    },
  },
  transfers: {
    expected: communityRoles({ memberOther: 'FORBIDDEN', apiKey: 'ok', stewardOther: 'NOT_FOUND' }),
    call: (fixture, caller) => ({
      query:
        'query($filter: TransferFilter) { transfers(first: 5, filter: $filter) { edges { node { id } } } }',
      variables: { filter: { accountId: targetAccount(fixture, caller) } },
    }),
  },
  verifyLedger: {
    expected: stewardsOnly(),
    call: () => ({ query: '{ verifyLedger(currencyCode: "HOUR") { ok } }' }),
  },
  ledgerCheckpoint: {
    expected: stewardsOnly(),
    call: () => ({ query: '{ ledgerCheckpoint(currencyCode: "HOUR") { merkleRoot } }' }),
  },
  ledgerCheckpoints: {
    expected: stewardsOnly(),
    call: () => ({ query: '{ ledgerCheckpoints(currencyCode: "HOUR") { merkleRoot } }' }),
  },
  accountStatement: {
    expected: communityRoles({ memberOther: 'FORBIDDEN', apiKey: 'ok', stewardOther: 'NOT_FOUND' }),
    call: (fixture, caller) => ({
      query:
        'query($id: ID!) { accountStatement(accountId: $id, first: 5) { openingBalance totalIn entries { edges { node { id kind } } } } }',
      variables: { id: targetAccount(fixture, caller) },
    }),
  },
  balanceAsOf: {
    expected: communityRoles({ memberOther: 'FORBIDDEN', apiKey: 'ok', stewardOther: 'NOT_FOUND' }),
    call: (fixture, caller) => ({
      query: 'query($id: ID!, $at: DateTime!) { balanceAsOf(accountId: $id, at: $at) }',
      variables: { id: targetAccount(fixture, caller), at: new Date().toISOString() },
    }),
  },
  trialBalance: {
    expected: stewardsOnly(),
    call: () => ({ query: '{ trialBalance(currencyCode: "HOUR") { total } }' }),
  },
  fundReport: {
    expected: stewardsOnly(),
    call: async (fixture) => ({
      query: 'query($id: ID!) { fundReport(accountId: $id) { closingBalance } }',
      variables: { id: await reportFund(fixture) },
    }),
  },
  circulation: {
    expected: stewardsOnly(),
    call: () => ({ query: '{ circulation(currencyCode: "HOUR") { volume velocity } }' }),
  },
  exportJournal: {
    expected: stewardsOnly(),
    call: () => ({ query: '{ exportJournal(currencyCode: "HOUR", format: LEDGER) }' }),
  },

  disbursement: {
    expected: communityRoles({
      memberOther: 'FORBIDDEN',
      shop: 'FORBIDDEN',
      stewardOther: 'NOT_FOUND',
    }),
    call: async (fixture, caller) => ({
      // memberOther reads the shop's request, in which the member has no part.
      query: 'query($id: ID!) { disbursement(transferId: $id) { approvals votes { decision } } }',
      variables: {
        id: await disbursementFor(fixture, caller === 'memberOther' ? 'shop' : 'member', 'read'),
      },
    }),
  },
  accountDirectory: {
    expected: communityRoles(),
    call: () => ({
      query: '{ accountDirectory(currencyCode: "HOUR", search: "a") { accountId name kind } }',
    }),
  },
  publicFunds: {
    expected: everyone('ok'),
    call: (fixture) => ({
      query: 'query($slug: String!) { publicFunds(communitySlug: $slug) { accountId balance } }',
      variables: { slug: fixture.community.slug },
    }),
  },
  publicFund: {
    expected: everyone('ok'),
    call: async (fixture) => ({
      query:
        'query($slug: String!, $id: ID!) { publicFund(communitySlug: $slug, fundAccountId: $id) { balance months { moneyIn } } }',
      variables: { slug: fixture.community.slug, id: await publishedAidFund(fixture) },
    }),
  },
  fund: {
    expected: communityRoles({ stewardOther: 'NOT_FOUND' }),
    call: async (fixture) => ({
      query: 'query($id: ID!) { fund(accountId: $id) { approvalsRequired stewards { id } } }',
      variables: { id: await aidFund(fixture) },
    }),
  },

  // Mutations
  createCommunity: {
    expected: { ...everyone('FORBIDDEN'), anonymous: 'UNAUTHENTICATED', admin: 'ok' },
    call: () => ({
      query:
        'mutation($input: CreateCommunityInput!) { createCommunity(input: $input) { community { id } } }',
      variables: {
        input: {
          slug: unique('m'),
          name: 'Matrix',
          stewardEmail: `${unique('s')}@example.org`,
          stewardPassword: 'long-enough-password',
          stewardName: 'S',
        },
      },
    }),
  },
  updateCommunity: {
    expected: stewardsOnly('ok'),
    call: () => ({
      query: 'mutation($input: UpdateCommunityInput!) { updateCommunity(input: $input) { id } }',
      variables: { input: { openSignup: true } },
    }),
  },
  register: {
    expected: everyone('ok'),
    call: (fixture) => ({
      query: 'mutation($input: RegisterInput!) { register(input: $input) { token } }',
      variables: {
        input: {
          communitySlug: fixture.community.slug,
          email: `${unique('r')}@example.org`,
          password: 'long-enough-password',
          displayName: 'R',
        },
      },
    }),
  },
  login: {
    expected: everyone('ok'),
    call: (fixture) => ({
      query: 'mutation($input: LoginInput!) { login(input: $input) { token } }',
      variables: {
        input: {
          communitySlug: fixture.community.slug,
          email: fixture.member2.email,
          password: fixture.member2.password,
        },
      },
    }),
  },
  changePassword: {
    expected: { ...communityRoles({ apiKey: 'FORBIDDEN' }), admin: 'ok' },
    revokesTokens: true,
    call: (fixture, caller) => ({
      query: 'mutation($input: ChangePasswordInput!) { changePassword(input: $input) }',
      // The same password again: the call succeeds and changes nothing but the tokens.
      variables: {
        input: {
          currentPassword: passwordOf(fixture, caller),
          newPassword: passwordOf(fixture, caller),
        },
      },
    }),
  },
  logout: {
    expected: { ...communityRoles(), admin: 'ok' },
    revokesTokens: true,
    call: () => ({ query: 'mutation { logout }' }),
  },
  createApiKey: {
    expected: { ...everyone('FORBIDDEN'), anonymous: 'UNAUTHENTICATED', shop: 'ok' },
    call: () => ({
      query: 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }',
      variables: { input: { name: 'matrix', scopes: ['READ_PAYMENTS'] } },
    }),
  },
  revokeApiKey: {
    expected: { ...everyone('FORBIDDEN'), anonymous: 'UNAUTHENTICATED', shop: 'ok' },
    call: async (fixture) => {
      const spare = await gql<{ createApiKey: { apiKey: { id: string } } }>(
        app,
        'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id } } }',
        { input: { name: 'spare', scopes: ['READ_PAYMENTS'] } },
        fixture.shop.token,
      );
      return {
        query: 'mutation($id: ID!) { revokeApiKey(id: $id) { id } }',
        variables: { id: expectData(spare).createApiKey.apiKey.id },
      };
    },
  },
  createInvite: {
    expected: stewardsOnly('ok'),
    call: () => ({
      query: 'mutation($input: CreateInviteInput!) { createInvite(input: $input) { code } }',
      variables: { input: { role: 'MEMBER' } },
    }),
  },
  setUserRole: {
    expected: stewardsOnly(),
    call: (fixture) => ({
      query: 'mutation($input: SetUserRoleInput!) { setUserRole(input: $input) { id } }',
      variables: { input: { userId: fixture.member2.id, role: 'MEMBER' } },
    }),
  },
  setUserStatus: {
    expected: stewardsOnly(),
    call: (fixture) => ({
      query: 'mutation($input: SetUserStatusInput!) { setUserStatus(input: $input) { id } }',
      variables: { input: { userId: fixture.member2.id, status: 'ACTIVE' } },
    }),
  },
  createCurrency: {
    expected: stewardsOnly('ok'),
    call: () => ({
      query: 'mutation($input: CreateCurrencyInput!) { createCurrency(input: $input) { code } }',
      variables: {
        input: {
          code: `C${Math.floor(Math.random() * 1e8)}`,
          name: 'Matrix',
          kind: 'TIME',
          scale: 2,
        },
      },
    }),
  },
  openAccount: {
    expected: communityRoles({ memberOther: 'FORBIDDEN', stewardOther: 'NOT_FOUND' }),
    call: (fixture, caller) => ({
      query: 'mutation($input: OpenAccountInput!) { openAccount(input: $input) { id } }',
      variables: {
        input:
          caller === 'steward' || caller === 'stewardOther'
            ? { currencyCode: 'HOUR', kind: 'FUND', name: 'Matrix fund' }
            : caller === 'memberOther'
              ? { currencyCode: 'HOUR', ownerId: fixture.member2.id }
              : { currencyCode: 'HOUR' },
      },
    }),
  },
  setAccountLimits: {
    expected: stewardsOnly(),
    call: (fixture) => ({
      query: 'mutation($input: SetAccountLimitsInput!) { setAccountLimits(input: $input) { id } }',
      variables: { input: { accountId: fixture.memberAccount, floor: '-10.00' } },
    }),
  },
  setAccountStatus: {
    expected: stewardsOnly(),
    call: (fixture) => ({
      query: 'mutation($input: SetAccountStatusInput!) { setAccountStatus(input: $input) { id } }',
      variables: { input: { accountId: fixture.memberAccount, status: 'OPEN' } },
    }),
  },
  transfer: {
    expected: communityRoles({ memberOther: 'FORBIDDEN', stewardOther: 'NOT_FOUND' }),
    call: (fixture, caller) => ({
      query: `mutation($input: TransferInput!) { transfer(input: $input) ${TRANSFER_FIELDS} }`,
      variables: { input: transferInput(fixture, caller) },
    }),
  },
  transferBatch: {
    expected: communityRoles({ memberOther: 'FORBIDDEN', stewardOther: 'NOT_FOUND' }),
    call: (fixture, caller) => ({
      query: `mutation($input: TransferBatchInput!) { transferBatch(input: $input) { postedCount } }`,
      variables: { input: { atomic: true, transfers: [transferInput(fixture, caller)] } },
    }),
  },
  postTransfer: {
    expected: communityRoles({
      memberOther: 'FORBIDDEN',
      shop: 'FORBIDDEN',
      stewardOther: 'NOT_FOUND',
    }),
    call: async (fixture, caller) => ({
      query: `mutation($id: ID!) { postTransfer(id: $id) ${TRANSFER_FIELDS} }`,
      variables: {
        id: await pendingTransferOf(fixture, caller === 'member' ? 'member' : 'member2'),
      },
    }),
  },
  voidTransfer: {
    expected: communityRoles({
      memberOther: 'FORBIDDEN',
      shop: 'FORBIDDEN',
      stewardOther: 'NOT_FOUND',
    }),
    call: async (fixture, caller) => ({
      query: `mutation($id: ID!) { voidTransfer(id: $id) ${TRANSFER_FIELDS} }`,
      variables: {
        id: await pendingTransferOf(fixture, caller === 'member' ? 'member' : 'member2'),
      },
    }),
  },
  setIssuancePolicy: {
    expected: stewardsOnly(),
    call: () => ({
      query:
        'mutation($input: SetIssuancePolicyInput!) { setIssuancePolicy(input: $input) { accountsUpdated } }',
      variables: {
        input: { currencyCode: 'HOUR', policy: { mode: 'MUTUAL_CREDIT', defaultFloor: '-10.00' } },
      },
    }),
  },
  policyHistory: {
    expected: communityRoles({ stewardOther: 'NOT_FOUND' }),
    call: () => ({ query: '{ policyHistory(currencyCode: "HOUR") { createdAt } }' }),
  },
  recordReserveDeposit: {
    expected: stewardsOnly(),
    call: (fixture) => ({
      query:
        'mutation($input: RecordReserveDepositInput!) { recordReserveDeposit(input: $input) { transfer { id } } }',
      variables: {
        input: {
          currencyCode: 'BRK',
          accountId: fixture.memberBacked,
          amount: '1.00',
          idempotencyKey: unique('dep'),
        },
      },
    }),
  },
  mint: {
    expected: stewardsOnly(),
    call: (fixture) => ({
      query: 'mutation($input: MintInput!) { mint(input: $input) { transfer { id } } }',
      variables: {
        input: { accountId: fixture.memberBacked, amount: '0.01', idempotencyKey: unique('mint') },
      },
    }),
  },
  redeem: {
    expected: { ...stewardsOnly(), shop: 'ok' },
    call: (fixture) => ({
      query: 'mutation($input: RedeemInput!) { redeem(input: $input) { transfer { id } } }',
      variables: {
        input: { accountId: fixture.shopBacked, amount: '0.50', idempotencyKey: unique('redeem') },
      },
    }),
  },
  runDemurrage: {
    expected: stewardsOnly(),
    call: () => ({ query: 'mutation { runDemurrage(currencyCode: "BRK") { accountsCharged } }' }),
  },
  requestDisbursement: {
    expected: communityRoles({ memberOther: 'FORBIDDEN', stewardOther: 'NOT_FOUND' }),
    call: async (fixture, caller) => ({
      query: `mutation($input: RequestDisbursementInput!) { requestDisbursement(input: $input) ${TRANSFER_FIELDS} }`,
      variables: {
        input: {
          fundAccountId: await aidFund(fixture),
          // Members ask into their own accounts (memberOther: into someone else's); the fund's steward names any.
          toAccountId:
            caller === 'steward' ? fixture.member2Account : targetAccount(fixture, caller),
          amount: '0.01',
          idempotencyKey: unique('aid'),
        },
      },
    }),
  },
  approveTransfer: {
    expected: stewardsOnly(),
    call: async (fixture) => ({
      query: `mutation($id: ID!) { approveTransfer(id: $id) ${TRANSFER_FIELDS} }`,
      variables: { id: await disbursementFor(fixture, 'member', 'approve') },
    }),
  },
  rejectTransfer: {
    expected: stewardsOnly(),
    call: async (fixture) => ({
      query: `mutation($id: ID!) { rejectTransfer(id: $id) ${TRANSFER_FIELDS} }`,
      variables: { id: await disbursementFor(fixture, 'member', 'reject') },
    }),
  },
  setFundStewards: {
    // A fund of the steward's own, opened per call, so that the aid fund the other rows use keeps its rule.
    expected: stewardsOnly(),
    call: async (fixture) => {
      const steward = fixture.community.steward;
      const opened = await gql<{ openAccount: { id: string } }>(
        app,
        'mutation($input: OpenAccountInput!) { openAccount(input: $input) { id } }',
        {
          input: {
            currencyCode: 'HOUR',
            kind: 'FUND',
            name: 'Stewards fund',
            stewardIds: [steward.id],
            approvalsRequired: 1,
          },
        },
        steward.token,
      );
      return {
        query:
          'mutation($input: SetFundStewardsInput!) { setFundStewards(input: $input) { fund { version } } }',
        variables: {
          input: {
            fundAccountId: expectData(opened).openAccount.id,
            stewardIds: [steward.id],
            approvalsRequired: 1,
          },
        },
      };
    },
  },
  setFundRequestLimits: {
    // The limits in force: an allowed call changes nothing that the other rows rely on.
    expected: stewardsOnly(),
    call: async (fixture) => ({
      query:
        'mutation($input: SetFundRequestLimitsInput!) { setFundRequestLimits(input: $input) { applied } }',
      variables: {
        input: {
          fundAccountId: await aidFund(fixture),
          memberSharePercent: 50,
          maxOpenRequestsPerMember: 10,
        },
      },
    }),
  },
  setFundPublic: {
    expected: stewardsOnly(),
    call: async (fixture) => ({
      query:
        'mutation($input: SetFundPublicInput!) { setFundPublic(input: $input) { public publishedAt } }',
      variables: { input: { fundAccountId: await aidFund(fixture), public: true } },
    }),
  },
  createStandingOrder: {
    expected: communityRoles({ memberOther: 'FORBIDDEN', stewardOther: 'NOT_FOUND' }),
    call: (fixture, caller) => ({
      query:
        'mutation($input: CreateStandingOrderInput!) { createStandingOrder(input: $input) { id } }',
      variables: { input: { ...standingOrderInput(fixture, caller), interval: 'MONTH' } },
    }),
  },
  cancelStandingOrder: {
    expected: communityRoles({
      memberOther: 'FORBIDDEN',
      shop: 'FORBIDDEN',
      stewardOther: 'NOT_FOUND',
    }),
    call: async (fixture, caller) => {
      const owner = caller === 'memberOther' ? fixture.member2 : fixture.member;
      const from = caller === 'memberOther' ? fixture.member2Account : fixture.memberAccount;
      const to = from === fixture.memberAccount ? fixture.member2Account : fixture.memberAccount;
      const created = await gql<{ createStandingOrder: { id: string } }>(
        app,
        'mutation($input: CreateStandingOrderInput!) { createStandingOrder(input: $input) { id } }',
        { input: { fromAccountId: from, toAccountId: to, amount: '0.01', interval: 'MONTH' } },
        owner.token,
      );
      return {
        query: 'mutation($id: ID!) { cancelStandingOrder(id: $id) { status } }',
        variables: { id: expectData(created).createStandingOrder.id },
      };
    },
  },
  standingOrders: {
    expected: communityRoles({ memberOther: 'FORBIDDEN', stewardOther: 'NOT_FOUND' }),
    call: (fixture, caller) => ({
      query: 'query($id: ID!) { standingOrders(accountId: $id) { id } }',
      variables: { id: targetAccount(fixture, caller) },
    }),
  },
  reverseTransfer: {
    expected: stewardsOnly(),
    call: async (fixture) => ({
      query: `mutation($input: ReverseTransferInput!) { reverseTransfer(input: $input) ${TRANSFER_FIELDS} }`,
      variables: {
        input: {
          transferId: await postedTransfer(fixture),
          reason: 'matrix',
          idempotencyKey: unique('rev'),
        },
      },
    }),
  },
  // Shops
  createPaymentRequest: {
    expected: shopOnly(),
    call: (fixture) => ({
      query:
        'mutation($input: CreatePaymentRequestInput!) { createPaymentRequest(input: $input) { id status } }',
      variables: { input: { toAccountId: fixture.shopAccount, amount: '0.01' } },
    }),
  },
  cancelPaymentRequest: {
    expected: shopOnly(),
    call: async (fixture) => ({
      query: 'mutation($id: ID!) { cancelPaymentRequest(id: $id) { id status } }',
      variables: { id: await shopRequest(fixture) },
    }),
  },
  payPaymentRequest: {
    expected: communityRoles({
      memberOther: 'FORBIDDEN',
      shop: 'FORBIDDEN',
      stewardOther: 'NOT_FOUND',
    }),
    call: async (fixture, caller) => ({
      query: `mutation($input: PayPaymentRequestInput!) { payPaymentRequest(input: $input) ${TRANSFER_FIELDS} }`,
      variables: {
        input: {
          paymentRequestId: await shopRequest(fixture),
          fromAccountId: targetAccount(fixture, caller),
          idempotencyKey: unique('pay'),
        },
      },
    }),
  },
  refundPayment: {
    expected: communityRoles({
      member: 'FORBIDDEN',
      memberOther: 'FORBIDDEN',
      stewardOther: 'NOT_FOUND',
    }),
    call: async (fixture) => ({
      query: `mutation($input: RefundPaymentInput!) { refundPayment(input: $input) ${TRANSFER_FIELDS} }`,
      variables: {
        input: { transferId: await shopPayment(fixture), idempotencyKey: unique('refund') },
      },
    }),
  },
  paymentRequest: {
    expected: communityRoles({ apiKey: 'ok', stewardOther: 'NOT_FOUND' }),
    call: async (fixture) => ({
      query: 'query($id: ID!) { paymentRequest(id: $id) { id status shopName paidAmount } }',
      variables: { id: await shopRequest(fixture) },
    }),
  },
  paymentRequests: {
    expected: communityRoles({
      member: 'FORBIDDEN',
      memberOther: 'FORBIDDEN',
      apiKey: 'ok',
      stewardOther: 'NOT_FOUND',
    }),
    call: (fixture) => ({
      query:
        'query($id: ID!) { paymentRequests(accountId: $id, first: 5) { edges { node { id } } } }',
      variables: { id: fixture.shopAccount },
    }),
  },
  paymentReceived: {
    expected: communityRoles({ memberOther: 'FORBIDDEN', apiKey: 'ok', stewardOther: 'NOT_FOUND' }),
    subscription: { account: targetAccount },
    call: (fixture, caller) => ({
      query: 'subscription($id: ID!) { paymentReceived(accountId: $id) { transferId payerName } }',
      variables: { id: targetAccount(fixture, caller) },
    }),
  },
  transferPosted: {
    expected: communityRoles({ memberOther: 'FORBIDDEN', apiKey: 'ok', stewardOther: 'NOT_FOUND' }),
    subscription: { account: targetAccount },
    call: (fixture, caller) => ({
      query: 'subscription($id: ID!) { transferPosted(accountId: $id) { id amount } }',
      variables: { id: targetAccount(fixture, caller) },
    }),
  },
  paymentsSince: {
    expected: communityRoles({ memberOther: 'FORBIDDEN', apiKey: 'ok', stewardOther: 'NOT_FOUND' }),
    call: (fixture, caller) => ({
      query:
        'query($id: ID!) { paymentsSince(accountId: $id, first: 5) { edges { node { transferId payerName } } } }',
      variables: { id: targetAccount(fixture, caller) },
    }),
  },
  shopSales: {
    expected: communityRoles({ memberOther: 'FORBIDDEN', apiKey: 'ok', stewardOther: 'NOT_FOUND' }),
    call: (fixture, caller) => ({
      query: 'query($id: ID!) { shopSales(accountId: $id) { count net } }',
      variables: { id: targetAccount(fixture, caller) },
    }),
  },
};

/** The shop's own operations: the shop and its till key (CREATE_PAYMENT_REQUESTS), no one else. */
function shopOnly(): Record<Caller, Expected> {
  return {
    anonymous: 'UNAUTHENTICATED',
    member: 'FORBIDDEN',
    memberOther: 'FORBIDDEN',
    shop: 'ok',
    apiKey: 'ok',
    steward: 'FORBIDDEN',
    stewardOther: 'NOT_FOUND',
    admin: 'FORBIDDEN',
  };
}

/** A fresh open request of 0.01 into the shop's account. */
async function shopRequest(fixture: Fixture): Promise<string> {
  const response = await gql<{ createPaymentRequest: { id: string } }>(
    app,
    'mutation($input: CreatePaymentRequestInput!) { createPaymentRequest(input: $input) { id } }',
    { input: { toAccountId: fixture.shopAccount, amount: '0.01' } },
    fixture.shop.token,
  );
  return expectData(response).createPaymentRequest.id;
}

/** A fresh payment of 0.01 by member2 into the shop's account, through a request. */
async function shopPayment(fixture: Fixture): Promise<string> {
  const response = await gql<{ payPaymentRequest: { id: string } }>(
    app,
    `mutation($input: PayPaymentRequestInput!) { payPaymentRequest(input: $input) ${TRANSFER_FIELDS} }`,
    {
      input: {
        paymentRequestId: await shopRequest(fixture),
        fromAccountId: fixture.member2Account,
        idempotencyKey: unique('pay'),
      },
    },
    fixture.member2.token,
  );
  return expectData(response).payPaymentRequest.id;
}

let shopTransferId = '';

let aidFundId = '';
const disbursements = new Map<string, string>();

/**
 * A fund run by the community's steward and a second steward, one approval
 * paying out, filled by the member; opened on first use. Only the steward
 * votes in the matrix, never on their own request.
 */
async function aidFund(fixture: Fixture): Promise<string> {
  if (aidFundId !== '') return aidFundId;
  const second = await registerUser(app, fixture.community);
  expectData(
    await gql(
      app,
      'mutation($input: SetUserRoleInput!) { setUserRole(input: $input) { id } }',
      { input: { userId: second.id, role: 'STEWARD' } },
      fixture.community.steward.token,
    ),
  );
  const fund = await gql<{ openAccount: { id: string } }>(
    app,
    'mutation($input: OpenAccountInput!) { openAccount(input: $input) { id } }',
    {
      input: {
        currencyCode: 'HOUR',
        kind: 'FUND',
        name: 'Aid fund',
        stewardIds: [fixture.community.steward.id, second.id],
        approvalsRequired: 1,
      },
    },
    fixture.community.steward.token,
  );
  aidFundId = expectData(fund).openAccount.id;
  const gift = await gql(
    app,
    `mutation($input: TransferInput!) { transfer(input: $input) ${TRANSFER_FIELDS} }`,
    {
      input: {
        fromAccountId: fixture.memberAccount,
        toAccountId: aidFundId,
        amount: '1.00',
        kind: 'CONTRIBUTION',
        idempotencyKey: unique('gift'),
      },
    },
    fixture.member.token,
  );
  expectData(gift);
  return aidFundId;
}

/** The aid fund, its public page published by its steward. */
async function publishedAidFund(fixture: Fixture): Promise<string> {
  const id = await aidFund(fixture);
  expectData(
    await gql(
      app,
      'mutation($input: SetFundPublicInput!) { setFundPublic(input: $input) { public } }',
      { input: { fundAccountId: id, public: true } },
      fixture.community.steward.token,
    ),
  );
  return id;
}

/**
 * A pending request to the aid fund by the member or the shop into their own
 * account, one per purpose: the steward's vote is the only one that counts,
 * and every caller after the steward is refused before the request's state
 * matters.
 */
async function disbursementFor(
  fixture: Fixture,
  requester: 'member' | 'shop',
  purpose: string,
): Promise<string> {
  const key = `${requester}:${purpose}`;
  const existing = disbursements.get(key);
  if (existing !== undefined) return existing;
  const response = await gql<{ requestDisbursement: { id: string } }>(
    app,
    `mutation($input: RequestDisbursementInput!) { requestDisbursement(input: $input) ${TRANSFER_FIELDS} }`,
    {
      input: {
        fundAccountId: await aidFund(fixture),
        toAccountId: requester === 'member' ? fixture.memberAccount : fixture.shopAccount,
        amount: '0.01',
        idempotencyKey: unique('ask'),
      },
    },
    requester === 'member' ? fixture.member.token : fixture.shop.token,
  );
  const id = expectData(response).requestDisbursement.id;
  disbursements.set(key, id);
  return id;
}

let fundAccountId = '';

/** A FUND account of the community for fundReport, opened by its steward on first use. */
async function reportFund(fixture: Fixture): Promise<string> {
  if (fundAccountId === '') {
    const response = await gql<{ openAccount: { id: string } }>(
      app,
      'mutation($input: OpenAccountInput!) { openAccount(input: $input) { id } }',
      { input: { currencyCode: 'HOUR', kind: 'FUND', name: 'Report fund' } },
      fixture.community.steward.token,
    );
    fundAccountId = expectData(response).openAccount.id;
  }
  return fundAccountId;
}

function transferInput(fixture: Fixture, caller: Caller) {
  const from = caller === 'shop' ? fixture.shopAccount : targetAccount(fixture, caller);
  const to = from === fixture.member2Account ? fixture.memberAccount : fixture.member2Account;
  return {
    fromAccountId: from,
    toAccountId: to,
    amount: '0.01',
    kind: 'EXCHANGE',
    idempotencyKey: unique('m'),
  };
}

function standingOrderInput(fixture: Fixture, caller: Caller) {
  const { fromAccountId, toAccountId } = transferInput(fixture, caller);
  return { fromAccountId, toAccountId, amount: '0.01' };
}

function passwordOf(fixture: Fixture, caller: Caller): string {
  switch (caller) {
    case 'member':
    case 'memberOther':
      return fixture.member.password;
    case 'shop':
    case 'apiKey':
      return fixture.shop.password;
    case 'steward':
      return fixture.community.steward.password;
    case 'stewardOther':
      return fixture.other.steward.password;
    case 'admin':
    case 'anonymous':
      return MATRIX_ADMIN.password;
  }
}

/**
 * An admin of the matrix's own: its changePassword and logout rows revoke the
 * caller's tokens, which must not log out the deployment admin that test
 * files running alongside are using.
 */
const MATRIX_ADMIN = {
  email: `matrix-admin-${process.pid}@mutua.test`,
  password: 'matrix-admin-password',
};

async function createMatrixAdmin(): Promise<void> {
  await everyCommunity(app.get(DataSource)).query(
    `INSERT INTO users (community_id, id, email, display_name, role, status, password_hash, token_version)
     VALUES ($1, gen_random_uuid(), $2, 'Matrix admin', 'ADMIN', 'ACTIVE', $3, 0)`,
    [DEPLOYMENT_COMMUNITY_ID, MATRIX_ADMIN.email, await hashPassword(MATRIX_ADMIN.password)],
  );
}

async function loginMatrixAdmin(): Promise<string> {
  const response = await gql<{ login: { token: string } }>(
    app,
    'mutation($input: LoginInput!) { login(input: $input) { token } }',
    { input: MATRIX_ADMIN },
  );
  return expectData(response).login.token;
}

describe('authorization matrix', () => {
  let fixture: Fixture;

  beforeAll(async () => {
    app = await createTestApp();
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer() as { address(): { port: number } }).address().port;
    await createMatrixAdmin();
    const community = await createCommunity(app);
    const other = await createCommunity(app);
    await createCurrency(app, community);
    const member = await registerUser(app, community);
    const member2 = await registerUser(app, community);
    const shop = await registerUser(app, community, 'SHOP');
    const memberAccount = await openAccount(app, member.token, { currencyCode: 'HOUR' });
    const member2Account = await openAccount(app, member2.token, { currencyCode: 'HOUR' });
    const shopAccount = await openAccount(app, shop.token, { currencyCode: 'HOUR' });
    const key = await gql<{ createApiKey: { key: string } }>(
      app,
      'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }',
      { input: { name: 'till', scopes: ['READ_PAYMENTS', 'CREATE_PAYMENT_REQUESTS'] } },
      shop.token,
    );
    fixture = {
      community,
      other,
      member,
      member2,
      shop,
      memberAccount,
      member2Account,
      shopAccount,
      apiKey: expectData(key).createApiKey.key,
      adminToken: await loginMatrixAdmin(),
      transferId: '',
      memberBacked: '',
      shopBacked: '',
    };
    await createCurrency(app, community, { code: 'EUR', kind: 'NATIONAL', scale: 2 });
    expectData(
      await gql(
        app,
        'mutation($input: CreateCurrencyInput!) { createCurrency(input: $input) { code } }',
        {
          input: {
            code: 'BRK',
            name: 'Brook',
            kind: 'LOCAL',
            scale: 2,
            policy: {
              mode: 'BACKED',
              reserveCurrencyCode: 'EUR',
              mintRate: '1',
              backingRatio: '2',
            },
          },
        },
        community.steward.token,
      ),
    );
    const brkFund = await openAccount(app, community.steward.token, {
      currencyCode: 'BRK',
      kind: 'FEES',
      name: 'Fund',
    });
    expectData(
      await gql(
        app,
        'mutation($input: SetIssuancePolicyInput!) { setIssuancePolicy(input: $input) { accountsUpdated } }',
        {
          input: {
            currencyCode: 'BRK',
            policy: {
              mode: 'BACKED',
              reserveCurrencyCode: 'EUR',
              mintRate: '1',
              backingRatio: '2',
              demurragePercent: '1',
              demurrageFundAccountId: brkFund,
            },
          },
        },
        community.steward.token,
      ),
    );
    fixture.memberBacked = await openAccount(app, member.token, { currencyCode: 'BRK' });
    fixture.shopBacked = await openAccount(app, shop.token, { currencyCode: 'BRK' });
    expectData(
      await gql(
        app,
        'mutation($input: RecordReserveDepositInput!) { recordReserveDeposit(input: $input) { transfer { id } } }',
        {
          input: {
            currencyCode: 'BRK',
            accountId: fixture.shopBacked,
            amount: '20.00',
            idempotencyKey: unique('seed'),
          },
        },
        community.steward.token,
      ),
    );
    fixture.transferId = await postedTransfer(fixture);
    const shopTransfer = await gql<{ transfer: { id: string } }>(
      app,
      `mutation($input: TransferInput!) { transfer(input: $input) ${TRANSFER_FIELDS} }`,
      {
        input: {
          fromAccountId: member2Account,
          toAccountId: shopAccount,
          amount: '0.01',
          kind: 'PAYMENT',
          idempotencyKey: unique('shop'),
        },
      },
      member2.token,
    );
    shopTransferId = expectData(shopTransfer).transfer.id;
  });

  afterAll(async () => {
    await app.close();
  });

  function tokenOf(caller: Caller): string | undefined {
    switch (caller) {
      case 'anonymous':
        return undefined;
      case 'member':
      case 'memberOther':
        return fixture.member.token;
      case 'shop':
        return fixture.shop.token;
      case 'apiKey':
        return fixture.apiKey;
      case 'steward':
        return fixture.community.steward.token;
      case 'stewardOther':
        return fixture.other.steward.token;
      case 'admin':
        return fixture.adminToken;
    }
  }

  async function logEveryoneIn(): Promise<void> {
    const { community, other, member, shop } = fixture;
    fixture.member.token = await login(app, community.slug, member.email, member.password);
    fixture.shop.token = await login(app, community.slug, shop.email, shop.password);
    fixture.community.steward.token = await login(
      app,
      community.slug,
      community.steward.email,
      community.steward.password,
    );
    fixture.other.steward.token = await login(
      app,
      other.slug,
      other.steward.email,
      other.steward.password,
    );
    fixture.adminToken = await loginMatrixAdmin();
  }

  it('has a row for every operation in schema.gql, and no row for an operation that is gone', () => {
    const schema = buildSchema(readFileSync(join(__dirname, '..', '..', 'schema.gql'), 'utf8'));
    const operations = [
      schema.getQueryType(),
      schema.getMutationType(),
      schema.getSubscriptionType(),
    ]
      .filter((type): type is GraphQLObjectType => type !== null && type !== undefined)
      .flatMap((type) => Object.keys(type.getFields()));
    expect(Object.keys(ROWS).sort()).toEqual([...operations].sort());
  });

  /**
   * A subscription over WebSocket, as `gql` answers: its first event as data,
   * or its first error; a connection refused in connection_init reads as
   * UNAUTHENTICATED. Once accepted, a payment into the account makes the event.
   */
  async function subscribe(row: Row, call: Call, caller: Caller): Promise<GraphQLResponse> {
    const live = liveClient(port, tokenOf(caller));
    try {
      const received = live.subscribe<unknown>(call.query, call.variables ?? {}, '');
      const settled = () =>
        received.errors.length > 0 || received.completed || live.closes.length > 0;
      await eventually(settled, 1000).catch(() => undefined);
      if (!settled()) {
        const paid = await gql(
          app,
          `mutation($input: TransferInput!) { transfer(input: $input) ${TRANSFER_FIELDS} }`,
          {
            input: {
              fromAccountId: fixture.member2Account,
              toAccountId: row.subscription!.account(fixture, caller),
              amount: '0.01',
              kind: 'PAYMENT',
              idempotencyKey: unique('live'),
            },
          },
          fixture.member2.token,
        );
        expectData(paid);
        await eventually(() => received.results.length > 0 || settled(), 10_000);
      }
      if (live.closes.some((close) => close.code === 4401)) {
        return {
          status: 101,
          errors: [{ message: 'closed', extensions: { code: 'UNAUTHENTICATED' } }],
        };
      }
      const first = received.results[0] as Omit<GraphQLResponse, 'status'> | undefined;
      return {
        ...(first ?? { errors: received.errors as GraphQLResponse['errors'] }),
        status: 101,
      };
    } finally {
      await live.dispose();
    }
  }

  describe.each(Object.entries(ROWS))('%s', (operation, row) => {
    it.each(CALLERS)(`as %s`, async (caller) => {
      const call = await row.call(fixture, caller);
      if (row.subscription !== undefined) {
        const response = await subscribe(row, call, caller);
        const expected = row.expected[caller];
        if (expected === 'ok') {
          expect(response.errors).toBeUndefined();
          expect(response.data?.[operation]).toBeDefined();
        } else {
          expect(errorCode(response)).toBe(expected);
        }
        return;
      }
      const response: GraphQLResponse = await gql(
        app,
        call.query,
        call.variables ?? {},
        tokenOf(caller),
      );
      const expected = row.expected[caller];
      try {
        if (expected === 'ok') {
          expect(response.errors).toBeUndefined();
          expect(response.data?.[operation]).toBeDefined();
        } else {
          expect(errorCode(response)).toBe(expected);
        }
      } finally {
        if (row.revokesTokens === true) await logEveryoneIn();
      }
    });
  });
});
