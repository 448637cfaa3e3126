import { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import {
  createCommunity,
  createCurrency,
  expectData,
  openAccount,
  registerUser,
  TestCommunity,
  TestUser,
  unique,
} from '../support/factories';
import { gql, GraphQLResponse } from '../support/test-app';
import { TransferKind } from '../../src/transfers/transfer.entity';

/**
 * Shared set-up for the report specs: a community with one currency and
 * members holding accounts in it, transfers that return when they posted,
 * and instants between them.
 */

export interface Holder {
  user: TestUser;
  accountId: string;
}

export interface Books {
  community: TestCommunity;
  /** The steward's bearer token. */
  steward: string;
  currency: string;
  alice: Holder;
  bob: Holder;
  carol: Holder;
}

export interface Posted {
  id: string;
  postedAt: string;
}

/** A community and the three members who hold accounts in every currency of a spec. */
export interface Members {
  community: TestCommunity;
  alice: TestUser;
  bob: TestUser;
  carol: TestUser;
}

export async function createMembers(app: INestApplication): Promise<Members> {
  const community = await createCommunity(app);
  const [alice, bob, carol] = await Promise.all(
    ['alice', 'bob', 'carol'].map((name) => registerUser(app, community, 'MEMBER', unique(name))),
  );
  return { community, alice, bob, carol };
}

/** A code no other currency of the spec has: R and six letters. */
export function uniqueCode(): string {
  return `R${Array.from(randomBytes(6), (byte) => String.fromCharCode(65 + (byte % 26))).join('')}`;
}

/**
 * A fresh currency (scale 2 and floor -10.00 unless told) in which alice,
 * bob and carol each open an account named after them: every spec starts
 * from empty books without paying for new users.
 */
export async function openBooks(
  app: INestApplication,
  members: Members,
  options: { code?: string; scale?: number } = {},
): Promise<Books> {
  const { community } = members;
  const scale = options.scale ?? 2;
  const currency = await createCurrency(app, community, {
    code: options.code ?? uniqueCode(),
    scale,
    defaultFloor: scale === 0 ? '-10' : `-10.${'0'.repeat(scale)}`,
  });
  const holder = async (user: TestUser, name: string): Promise<Holder> => ({
    user,
    accountId: await openAccount(app, user.token, { currencyCode: currency, name }),
  });
  return {
    community,
    steward: community.steward.token,
    currency,
    alice: await holder(members.alice, 'alice'),
    bob: await holder(members.bob, 'bob'),
    carol: await holder(members.carol, 'carol'),
  };
}

export async function addHolder(
  app: INestApplication,
  community: TestCommunity,
  currency: string,
  name: string,
  role: 'MEMBER' | 'SHOP' = 'MEMBER',
): Promise<Holder> {
  const user = await registerUser(app, community, role);
  const accountId = await openAccount(app, user.token, { currencyCode: currency, name });
  return { user, accountId };
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A transfer as `token`, a few milliseconds after the previous one, so that
 * every transfer of a spec posts at its own instant.
 */
export async function post(
  app: INestApplication,
  token: string,
  fromAccountId: string,
  toAccountId: string,
  amount: string,
  extra: { kind?: string; memo?: string; pendingUntil?: string } = {},
): Promise<Posted> {
  await pause(5);
  const response = await gql<{ transfer: { id: string; postedAt: string | null } }>(
    app,
    `mutation($input: TransferInput!) { transfer(input: $input) { id postedAt } }`,
    {
      input: {
        fromAccountId,
        toAccountId,
        amount,
        kind: 'EXCHANGE',
        idempotencyKey: unique('k'),
        ...extra,
      },
    },
    token,
  );
  const { id, postedAt } = expectData(response).transfer;
  return { id, postedAt: postedAt ?? '' };
}

export async function reverse(
  app: INestApplication,
  stewardToken: string,
  transferId: string,
  reason = 'Entered by mistake',
): Promise<Posted> {
  await pause(5);
  const response = await gql<{ reverseTransfer: { id: string; postedAt: string } }>(
    app,
    `mutation($input: ReverseTransferInput!) { reverseTransfer(input: $input) { id postedAt } }`,
    { input: { transferId, reason, idempotencyKey: unique('rev') } },
    stewardToken,
  );
  return expectData(response).reverseTransfer;
}

export async function issuanceAccountId(app: INestApplication, books: Books): Promise<string> {
  const response = await gql<{ accounts: { edges: Array<{ node: { id: string } }> } }>(
    app,
    `query($filter: AccountFilter) { accounts(first: 5, filter: $filter) { edges { node { id } } } }`,
    { filter: { currencyCode: books.currency, kind: 'ISSUANCE' } },
    books.steward,
  );
  const [edge] = expectData(response).accounts.edges;
  return edge.node.id;
}

/**
 * Money created (ISSUANCE: a steward mints into an account) or destroyed
 * (REDEMPTION: a steward retires credit of the mutual-credit currency back
 * into ISSUANCE), through the API like any other operation.
 */
export async function postSystemTransfer(
  app: INestApplication,
  books: Books,
  kind: TransferKind.ISSUANCE | TransferKind.REDEMPTION,
  accountId: string,
  amount: string,
): Promise<Posted> {
  await pause(5);
  const operation = kind === TransferKind.ISSUANCE ? 'mint' : 'redeem';
  const input = operation === 'mint' ? 'MintInput' : 'RedeemInput';
  const response = await gql(
    app,
    `mutation($input: ${input}!) { ${operation}(input: $input) { transfer { id postedAt } } }`,
    { input: { accountId, amount, idempotencyKey: unique('system') } },
    books.steward,
  );
  const { transfer } = (expectData(response) as Record<string, { transfer: Posted }>)[operation];
  return { id: transfer.id, postedAt: transfer.postedAt };
}

/** The instant halfway between two instants, as ISO 8601. */
export function between(earlier: string, later: string): string {
  const a = new Date(earlier).getTime();
  const b = new Date(later).getTime();
  if (b - a < 2) throw new Error(`no instant strictly between ${earlier} and ${later}`);
  return new Date(Math.floor((a + b) / 2)).toISOString();
}

/** An instant `ms` milliseconds after (or, negative, before) another. */
export function shift(instant: string, ms: number): string {
  return new Date(new Date(instant).getTime() + ms).toISOString();
}

/** The `extensions.code` of a response's first error. */
export function codeOf(response: GraphQLResponse<unknown>): unknown {
  return response.errors?.[0]?.extensions?.code;
}
