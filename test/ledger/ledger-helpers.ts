import { INestApplication } from '@nestjs/common';
import {
  createCurrency,
  expectData,
  login,
  loginAdmin,
  openAccount,
  registerUser,
  TestCommunity,
  TestUser,
  unique,
} from '../support/factories';
import { gql, GraphQLResponse } from '../support/test-app';

/**
 * Shared set-up and reads for the ledger's end-to-end specs: a community with
 * one currency and two members who each hold an account in it, and the
 * snapshots that let a spec say "nothing changed" after a refusal.
 */

export interface Member {
  user: TestUser;
  accountId: string;
}

export interface Ledger {
  community: TestCommunity;
  /** The steward's bearer token. */
  steward: string;
  currency: string;
  alice: Member;
  bob: Member;
}

export interface CurrencyOptions {
  code?: string;
  kind?: string;
  scale?: number;
  defaultFloor?: string;
  defaultCeiling?: string;
}

const adminTokens = new WeakMap<INestApplication, Promise<string>>();

/**
 * A fresh community and its steward, like the factories' createCommunity but
 * logging the admin in once per app: password hashing dominates the cost of
 * these specs, and every test makes its own community.
 */
export async function newCommunity(app: INestApplication): Promise<TestCommunity> {
  let adminToken = adminTokens.get(app);
  if (adminToken === undefined) {
    adminToken = loginAdmin(app);
    adminTokens.set(app, adminToken);
  }
  const slug = unique('c');
  const steward = { email: `steward@${slug}.test`, password: 'steward-password-1' };
  const response = await gql<{
    createCommunity: { community: { id: string }; steward: { id: string } };
  }>(
    app,
    `mutation($input: CreateCommunityInput!) {
      createCommunity(input: $input) { community { id } steward { id } }
    }`,
    {
      input: {
        slug,
        name: `Community ${slug}`,
        stewardEmail: steward.email,
        stewardPassword: steward.password,
        stewardName: 'First Steward',
      },
    },
    await adminToken,
  );
  const created = expectData(response).createCommunity;
  const token = await login(app, slug, steward.email, steward.password);
  return {
    id: created.community.id,
    slug,
    steward: { id: created.steward.id, ...steward, token, role: 'STEWARD' },
  };
}

/** A fresh community with a currency (HOUR, scale 2, floor -10.00 unless told) and two members with accounts. */
export async function createLedger(
  app: INestApplication,
  options: CurrencyOptions = {},
): Promise<Ledger> {
  const community = await newCommunity(app);
  const currency = await createCurrency(app, community, options);
  const [alice, bob] = await Promise.all([
    addMember(app, community, currency),
    addMember(app, community, currency),
  ]);
  return { community, steward: community.steward.token, currency, alice, bob };
}

/** A member who opened their own account in `currency`. */
export async function addMember(
  app: INestApplication,
  community: TestCommunity,
  currency: string,
): Promise<Member> {
  const user = await registerUser(app, community);
  const accountId = await openAccount(app, user.token, { currencyCode: currency });
  return { user, accountId };
}

export interface AccountView {
  id: string;
  kind: string;
  name: string;
  status: string;
  balance: string;
  availableBalance: string;
  floor: string | null;
  ceiling: string | null;
  warningLevel: string | null;
}

export const ACCOUNT_FIELDS =
  'id kind name status balance availableBalance floor ceiling warningLevel';

export async function readAccount(
  app: INestApplication,
  token: string,
  accountId: string,
): Promise<AccountView> {
  const response = await gql<{ account: AccountView }>(
    app,
    `query($id: ID!) { account(id: $id) { ${ACCOUNT_FIELDS} } }`,
    { id: accountId },
    token,
  );
  return expectData(response).account;
}

export interface EntryView {
  amount: string;
  balanceAfter: string | null;
  sequence: number | null;
  account: { id: string };
}

export interface TransferView {
  id: string;
  kind: string;
  status: string;
  amount: string;
  memo: string | null;
  forced: boolean;
  warnings: string[];
  fromAccount: { id: string };
  toAccount: { id: string };
  entries: EntryView[];
  reversalOf: { id: string } | null;
  reversedBy: { id: string } | null;
}

export const TRANSFER_FIELDS = `id kind status amount memo forced warnings fromAccount { id } toAccount { id }
  entries { amount balanceAfter sequence account { id } } reversalOf { id } reversedBy { id }`;

export const TRANSFER_MUTATION = `mutation($input: TransferInput!) {
  transfer(input: $input) { ${TRANSFER_FIELDS} }
}`;

export interface TransferRequest {
  fromAccountId: string;
  toAccountId: string;
  amount: unknown;
  kind?: string;
  memo?: string;
  idempotencyKey?: string;
  pendingUntil?: string;
}

/** The `transfer` mutation with every field of the result; kind EXCHANGE and a fresh key unless told. */
export function transfer(
  app: INestApplication,
  token: string,
  request: TransferRequest,
): Promise<GraphQLResponse<{ transfer: TransferView }>> {
  return gql<{ transfer: TransferView }>(
    app,
    TRANSFER_MUTATION,
    { input: { kind: 'EXCHANGE', idempotencyKey: unique('k'), ...request } },
    token,
  );
}

/** A transfer that must succeed; returns it. */
export async function transferOk(
  app: INestApplication,
  token: string,
  request: TransferRequest,
): Promise<TransferView> {
  return expectData(await transfer(app, token, request)).transfer;
}

export async function transferById(
  app: INestApplication,
  token: string,
  id: string,
): Promise<GraphQLResponse<{ transferById: TransferView }>> {
  return gql<{ transferById: TransferView }>(
    app,
    `query($id: ID!) { transferById(id: $id) { ${TRANSFER_FIELDS} } }`,
    { id },
    token,
  );
}

/** Ids of the transfers touching an account, newest first (as a steward sees them). */
export async function transferIdsOf(
  app: INestApplication,
  stewardToken: string,
  accountId: string,
): Promise<string[]> {
  const response = await gql<{ transfers: { edges: Array<{ node: { id: string } }> } }>(
    app,
    `query($filter: TransferFilter) { transfers(filter: $filter, first: 100) { edges { node { id } } } }`,
    { filter: { accountId } },
    stewardToken,
  );
  return expectData(response).transfers.edges.map((edge) => edge.node.id);
}

export interface AccountSnapshot {
  balance: string;
  availableBalance: string;
  transferIds: string[];
}

/** Balances and transfers of each account, to compare before and after a refusal. */
export async function snapshot(
  app: INestApplication,
  stewardToken: string,
  accountIds: readonly string[],
): Promise<Record<string, AccountSnapshot>> {
  const entries = await Promise.all(
    accountIds.map(async (id): Promise<[string, AccountSnapshot]> => {
      const [account, transferIds] = await Promise.all([
        readAccount(app, stewardToken, id),
        transferIdsOf(app, stewardToken, id),
      ]);
      return [
        id,
        { balance: account.balance, availableBalance: account.availableBalance, transferIds },
      ];
    }),
  );
  return Object.fromEntries(entries);
}

/** Balances of accounts by id, read by the steward. */
export async function balances(
  app: INestApplication,
  stewardToken: string,
  accountIds: readonly string[],
): Promise<string[]> {
  const accounts = await Promise.all(accountIds.map((id) => readAccount(app, stewardToken, id)));
  return accounts.map((account) => account.balance);
}

/** The specific reason of the first error (e.g. INSUFFICIENT_FUNDS). */
export function errorReason(response: GraphQLResponse<unknown>): unknown {
  return response.errors?.[0]?.extensions?.reason;
}

/** The input field the first error names. */
export function errorField(response: GraphQLResponse<unknown>): unknown {
  return response.errors?.[0]?.extensions?.field;
}

export function setAccountLimits(
  app: INestApplication,
  token: string,
  input: Record<string, unknown>,
): Promise<GraphQLResponse<{ setAccountLimits: AccountView }>> {
  return gql<{ setAccountLimits: AccountView }>(
    app,
    `mutation($input: SetAccountLimitsInput!) { setAccountLimits(input: $input) { ${ACCOUNT_FIELDS} } }`,
    { input },
    token,
  );
}

export function setAccountStatus(
  app: INestApplication,
  token: string,
  accountId: string,
  status: string,
): Promise<GraphQLResponse<{ setAccountStatus: AccountView }>> {
  return gql<{ setAccountStatus: AccountView }>(
    app,
    `mutation($input: SetAccountStatusInput!) { setAccountStatus(input: $input) { ${ACCOUNT_FIELDS} } }`,
    { input: { accountId, status } },
    token,
  );
}

/** The id of a currency's ISSUANCE account, as its steward finds it. */
export async function issuanceAccountId(
  app: INestApplication,
  stewardToken: string,
  currency: string,
): Promise<string> {
  const response = await gql<{ accounts: { edges: Array<{ node: { id: string } }> } }>(
    app,
    `query($filter: AccountFilter) { accounts(filter: $filter) { edges { node { id } } } }`,
    { filter: { kind: 'ISSUANCE', currencyCode: currency } },
    stewardToken,
  );
  const edges = expectData(response).accounts.edges;
  if (edges.length !== 1) throw new Error(`expected one ISSUANCE account, got ${edges.length}`);
  return edges[0].node.id;
}

/** Entries of a transfer keyed by account id (the API lists them in no promised order). */
export function entriesByAccount(transfer: {
  entries: EntryView[];
}): Record<string, Omit<EntryView, 'account'>> {
  return Object.fromEntries(transfer.entries.map(({ account, ...entry }) => [account.id, entry]));
}

export function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
