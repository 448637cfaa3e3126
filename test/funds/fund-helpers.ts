import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { AppModule } from '../../src/app.module';
import { loadConfig } from '../../src/common/config/app-config';
import { configureHttp } from '../../src/common/http/configure-http';
import { FUNDS_OPTIONS, FundsOptions } from '../../src/funds/funds.options';
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
import { gql, GraphQLResponse, testDatabaseUrl } from '../support/test-app';

/**
 * Set-up and reads shared by the fund specs: a community whose currency lets
 * members run down to -100.00, FUND accounts run by some of its stewards,
 * filled by a member's CONTRIBUTION, and a member who asks them for aid.
 */

/** Fund specs create many users and race many requests on a loaded machine. */
export const FUND_TEST_TIMEOUT_MS = 120_000;

export interface Member {
  user: TestUser;
  accountId: string;
}

export interface FundSetup {
  community: TestCommunity;
  currency: string;
  /** The fund's stewards, in the order they were named; the first is the community's first steward. */
  stewards: TestUser[];
  fundId: string;
  donor: Member;
  requester: Member;
}

export const TRANSFER_FIELDS = `id kind status amount memo postedAt expiresAt
  fromAccount { id } toAccount { id } entries { amount balanceAfter account { id } }`;

export interface TransferView {
  id: string;
  kind: string;
  status: string;
  amount: string;
  memo: string | null;
  postedAt: string | null;
  expiresAt: string | null;
  fromAccount: { id: string };
  toAccount: { id: string };
  entries: Array<{ amount: string; balanceAfter: string; account: { id: string } }>;
}

/** The whole application with the funds module's options replaced, e.g. a short expiry. */
export async function createFundsTestApp(options: FundsOptions): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot({ databaseUrl: testDatabaseUrl() })],
  })
    .overrideProvider(FUNDS_OPTIONS)
    .useValue(options)
    .compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({
    bodyParser: false,
    logger: false,
  });
  configureHttp(app, loadConfig(process.env));
  await app.init();
  return app;
}

/** A member of `community` promoted to steward, logged in again to carry the new role. */
export async function addSteward(
  app: INestApplication,
  community: TestCommunity,
): Promise<TestUser> {
  const user = await registerUser(app, community);
  const promoted = await gql(
    app,
    'mutation($input: SetUserRoleInput!) { setUserRole(input: $input) { role } }',
    { input: { userId: user.id, role: 'STEWARD' } },
    community.steward.token,
  );
  expectData(promoted);
  const token = await login(app, community.slug, user.email, user.password);
  return { ...user, token, role: 'STEWARD' };
}

export async function addMember(
  app: INestApplication,
  community: TestCommunity,
  currency: string,
): Promise<Member> {
  const user = await registerUser(app, community);
  const accountId = await openAccount(app, user.token, { currencyCode: currency });
  return { user, accountId };
}

export function openFund(
  app: INestApplication,
  token: string,
  input: {
    currencyCode: string;
    stewardIds?: string[];
    approvalsRequired?: number;
    memberSharePercent?: number;
    maxOpenRequestsPerMember?: number;
  },
) {
  return gql<{ openAccount: { id: string; kind: string } }>(
    app,
    'mutation($input: OpenAccountInput!) { openAccount(input: $input) { id kind } }',
    { input: { kind: 'FUND', name: 'Mutual aid', ...input } },
    token,
  );
}

/**
 * A community with its currency, `stewardCount` stewards (the first steward
 * plus promoted members), a donor and a requester. Creating users is the slow
 * part of set-up (password hashing), so a spec makes a world once and opens a
 * fresh fund, with fresh accounts for the donor and the requester, per test.
 */
export interface World {
  community: TestCommunity;
  currency: string;
  stewards: TestUser[];
  donor: TestUser;
  requester: TestUser;
}

export async function createWorld(app: INestApplication, stewardCount = 5): Promise<World> {
  const community = await createCommunity(app);
  const currency = await createCurrency(app, community, { defaultFloor: '-100.00' });
  const stewards = [community.steward];
  for (let index = 1; index < stewardCount; index += 1) {
    stewards.push(await addSteward(app, community));
  }
  const donor = await registerUser(app, community);
  const requester = await registerUser(app, community);
  return { community, currency, stewards, donor, requester };
}

/**
 * A fund run by the world's first `stewards` stewards with
 * `approvalsRequired`, filled with `contribution` (40.00 unless told) from a
 * new account of the donor; the requester asks into a new account of theirs.
 */
export async function createFund(
  app: INestApplication,
  world: World,
  options: {
    stewards: number;
    approvalsRequired: number;
    contribution?: string;
    /** Request limits of the fund (the server's defaults otherwise). */
    limits?: { memberSharePercent?: number; maxOpenRequestsPerMember?: number };
  },
): Promise<FundSetup> {
  if (options.stewards > world.stewards.length) {
    throw new Error(`the world has only ${world.stewards.length} stewards`);
  }
  const stewards = world.stewards.slice(0, options.stewards);
  const fund = await openFund(app, world.community.steward.token, {
    currencyCode: world.currency,
    stewardIds: stewards.map((steward) => steward.id),
    approvalsRequired: options.approvalsRequired,
    ...options.limits,
  });
  const fundId = expectData(fund).openAccount.id;
  const donor = {
    user: world.donor,
    accountId: await openAccount(app, world.donor.token, { currencyCode: world.currency }),
  };
  const requester = {
    user: world.requester,
    accountId: await openAccount(app, world.requester.token, { currencyCode: world.currency }),
  };
  expectData(await contribute(app, donor, fundId, options.contribution ?? '40.00', unique('gift')));
  return {
    community: world.community,
    currency: world.currency,
    stewards,
    fundId,
    donor,
    requester,
  };
}

export function contribute(
  app: INestApplication,
  donor: Member,
  fundId: string,
  amount: string,
  idempotencyKey: string,
) {
  return gql<{ transfer: { id: string } }>(
    app,
    'mutation($input: TransferInput!) { transfer(input: $input) { id } }',
    {
      input: {
        fromAccountId: donor.accountId,
        toAccountId: fundId,
        amount,
        kind: 'CONTRIBUTION',
        idempotencyKey,
      },
    },
    donor.user.token,
  );
}

export function requestDisbursement(
  app: INestApplication,
  token: string,
  input: {
    fundAccountId: string;
    toAccountId: string;
    amount: string;
    memo?: string;
    idempotencyKey?: string;
  },
): Promise<GraphQLResponse<{ requestDisbursement: TransferView }>> {
  return gql(
    app,
    `mutation($input: RequestDisbursementInput!) { requestDisbursement(input: $input) { ${TRANSFER_FIELDS} } }`,
    { input: { idempotencyKey: unique('aid'), ...input } },
    token,
  );
}

/** A pending request by the fund's `requester` into their own account. */
export async function askForAid(
  app: INestApplication,
  setup: FundSetup,
  amount: string,
): Promise<TransferView> {
  const response = await requestDisbursement(app, setup.requester.user.token, {
    fundAccountId: setup.fundId,
    toAccountId: setup.requester.accountId,
    amount,
    memo: 'rent this month',
  });
  return expectData(response).requestDisbursement;
}

export type Decision = 'approveTransfer' | 'rejectTransfer';

export async function vote(
  app: INestApplication,
  token: string,
  decision: Decision,
  transferId: string,
): Promise<GraphQLResponse<Record<Decision, TransferView>>> {
  return gql(
    app,
    `mutation($id: ID!) { ${decision}(id: $id) { ${TRANSFER_FIELDS} } }`,
    { id: transferId },
    token,
  );
}

/** The status a vote left the transfer in; fails the test on an error. */
export async function statusAfter(
  app: INestApplication,
  token: string,
  decision: Decision,
  transferId: string,
): Promise<string> {
  return expectData(await vote(app, token, decision, transferId))[decision].status;
}

export interface DisbursementView {
  transfer: { id: string; status: string };
  requestedBy: { id: string };
  approvalsRequired: number;
  rejectionsRequired: number;
  voters: Array<{ id: string }>;
  approvals: number;
  rejections: number;
  votes: Array<{ steward: { id: string }; decision: string; votedAt: string }>;
}

export function readDisbursement(app: INestApplication, token: string, transferId: string) {
  return gql<{ disbursement: DisbursementView }>(
    app,
    `query($id: ID!) { disbursement(transferId: $id) {
      transfer { id status } requestedBy { id } approvalsRequired rejectionsRequired
      voters { id } approvals rejections votes { steward { id } decision votedAt } } }`,
    { id: transferId },
    token,
  );
}

export async function balances(
  app: INestApplication,
  token: string,
  accountId: string,
): Promise<{ balance: string; availableBalance: string }> {
  const response = await gql<{ account: { balance: string; availableBalance: string } }>(
    app,
    'query($id: ID!) { account(id: $id) { balance availableBalance } }',
    { id: accountId },
    token,
  );
  return expectData(response).account;
}

export async function transferStatus(
  app: INestApplication,
  token: string,
  transferId: string,
): Promise<TransferView> {
  const response = await gql<{ transferById: TransferView }>(
    app,
    `query($id: ID!) { transferById(id: $id) { ${TRANSFER_FIELDS} } }`,
    { id: transferId },
    token,
  );
  return expectData(response).transferById;
}

export async function verifyLedger(
  app: INestApplication,
  token: string,
  currency: string,
): Promise<{ ok: boolean; problems: string[] }> {
  const response = await gql<{ verifyLedger: { ok: boolean; problems: string[] } }>(
    app,
    'query($code: String!) { verifyLedger(currencyCode: $code) { ok problems } }',
    { code: currency },
    token,
  );
  return expectData(response).verifyLedger;
}

/** The specific reason of the first error, e.g. ALREADY_VOTED. */
export function reason(response: GraphQLResponse<unknown>): unknown {
  return response.errors?.[0]?.extensions?.reason;
}

export interface FundRuleView {
  approvalsRequired: number;
  version: number;
  stewards: Array<{ id: string }>;
  history: Array<{
    version: number;
    approvalsRequired: number;
    stewards: Array<{ id: string }>;
    changedBy: { id: string };
    changedAt: string;
    approvedBy: Array<{ id: string }>;
  }>;
  proposals: Array<{
    baseVersion: number;
    approvalsRequired: number;
    stewards: Array<{ id: string }>;
    approvals: Array<{ steward: { id: string }; approvedAt: string; expiresAt: string }>;
  }>;
}

export const FUND_RULE_FIELDS = `approvalsRequired version stewards { id }
  history { version approvalsRequired stewards { id } changedBy { id } changedAt approvedBy { id } }
  proposals { baseVersion approvalsRequired stewards { id }
    approvals { steward { id } approvedAt expiresAt } }`;

export interface FundRuleInput {
  fundAccountId: string;
  stewardIds: string[];
  approvalsRequired: number;
}

/**
 * `token`'s user asks for a fund's new stewards and k: their approval of
 * that rule, which applies it when it is the k-th (see
 * src/funds/rule-change-rules.ts).
 */
export function setFundStewards(app: INestApplication, token: string, input: FundRuleInput) {
  return gql<{
    setFundStewards: {
      fund: FundRuleView;
      applied: boolean;
      approvals: number;
      approvalsRequired: number;
      decidedDisbursements: Array<{ id: string; status: string }>;
    };
  }>(
    app,
    `mutation($input: SetFundStewardsInput!) { setFundStewards(input: $input) {
      fund { ${FUND_RULE_FIELDS} } applied approvals approvalsRequired
      decidedDisbursements { id status } } }`,
    { input },
    token,
  );
}

/**
 * The fund's rule changed by `stewards` asking for it in turn, k of the rule
 * in force: every call but the last waits, the last applies it. Returns the
 * last response.
 */
export async function changeFundRule(
  app: INestApplication,
  stewards: Array<{ token: string }>,
  input: FundRuleInput,
): Promise<Awaited<ReturnType<typeof setFundStewards>>> {
  for (const [index, steward] of stewards.entries()) {
    const response = await setFundStewards(app, steward.token, input);
    const payload = expectData(response).setFundStewards;
    const last = index === stewards.length - 1;
    if (payload.applied !== last || payload.approvals !== index + 1) {
      throw new Error(
        `approval ${index + 1} of ${stewards.length}: applied ${payload.applied}, approvals ${payload.approvals} of ${payload.approvalsRequired}`,
      );
    }
    if (last) return response;
  }
  throw new Error('changeFundRule needs at least one steward');
}

/** The votes of a disbursement with whether each still counts. */
export function readVotes(app: INestApplication, token: string, transferId: string) {
  return gql<{
    disbursement: {
      transfer: { status: string };
      approvalsRequired: number;
      rejectionsRequired: number;
      approvals: number;
      rejections: number;
      voters: Array<{ id: string }>;
      votes: Array<{ steward: { id: string }; decision: string; counted: boolean }>;
    };
  }>(
    app,
    `query($id: ID!) { disbursement(transferId: $id) {
      transfer { status } approvalsRequired rejectionsRequired approvals rejections
      voters { id } votes { steward { id } decision counted } } }`,
    { id: transferId },
    token,
  );
}

export interface RequestLimitsInput {
  fundAccountId: string;
  memberSharePercent: number;
  maxOpenRequestsPerMember: number;
}

/**
 * `token`'s user asks for a fund's new request limits, its stewards and k
 * unchanged: their approval, which applies them when it is the k-th.
 */
export function setFundRequestLimits(
  app: INestApplication,
  token: string,
  input: RequestLimitsInput,
) {
  return gql<{
    setFundRequestLimits: {
      fund: {
        version: number;
        memberSharePercent: number;
        maxOpenRequestsPerMember: number;
        proposals: Array<{
          memberSharePercent: number;
          maxOpenRequestsPerMember: number;
          approvalsRequired: number;
          approvals: Array<{ steward: { id: string } }>;
        }>;
      };
      applied: boolean;
      approvals: number;
      approvalsRequired: number;
    };
  }>(
    app,
    `mutation($input: SetFundRequestLimitsInput!) { setFundRequestLimits(input: $input) {
      fund { version memberSharePercent maxOpenRequestsPerMember
        proposals { memberSharePercent maxOpenRequestsPerMember approvalsRequired approvals { steward { id } } } }
      applied approvals approvalsRequired } }`,
    { input },
    token,
  );
}
