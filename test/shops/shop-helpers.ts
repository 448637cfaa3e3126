import { INestApplication } from '@nestjs/common';
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

/** A community with an HOUR currency (floor -10), a shop with a SHOP account and till keys, and members. */
export interface ShopWorld {
  community: TestCommunity;
  shop: TestUser;
  shopAccount: string;
  /** CREATE_PAYMENT_REQUESTS and READ_PAYMENTS. */
  tillKey: string;
  /** READ_PAYMENTS only. */
  readKey: string;
  /** CREATE_PAYMENT_REQUESTS only. */
  createKey: string;
  members: Array<{ user: TestUser; account: string }>;
}

export async function createApiKey(
  app: INestApplication,
  token: string,
  scopes: string[],
): Promise<string> {
  const response = await gql<{ createApiKey: { key: string } }>(
    app,
    'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }',
    { input: { name: unique('till'), scopes } },
    token,
  );
  return expectData(response).createApiKey.key;
}

export async function shopWorld(app: INestApplication, memberCount = 2): Promise<ShopWorld> {
  const community = await createCommunity(app);
  await createCurrency(app, community);
  const shop = await registerUser(app, community, 'SHOP', unique('CornerShop'));
  const shopAccount = await openAccount(app, shop.token, { currencyCode: 'HOUR' });
  const members = [];
  for (let index = 0; index < memberCount; index += 1) {
    const user = await registerUser(app, community, 'MEMBER', unique(`Member${index}`));
    members.push({ user, account: await openAccount(app, user.token, { currencyCode: 'HOUR' }) });
  }
  return {
    community,
    shop,
    shopAccount,
    tillKey: await createApiKey(app, shop.token, ['CREATE_PAYMENT_REQUESTS', 'READ_PAYMENTS']),
    readKey: await createApiKey(app, shop.token, ['READ_PAYMENTS']),
    createKey: await createApiKey(app, shop.token, ['CREATE_PAYMENT_REQUESTS']),
    members,
  };
}

export const REQUEST_FIELDS = `id status shopName toAccountId currencyCode amount memo reference reusable
  expiresAt createdAt paymentUri paidAmount`;

export interface RequestView {
  id: string;
  status: string;
  shopName: string;
  toAccountId: string;
  currencyCode: string;
  amount: string | null;
  memo: string | null;
  reference: string | null;
  reusable: boolean;
  expiresAt: string | null;
  createdAt: string;
  paymentUri: string;
  paidAmount: string;
}

export function createRequest(
  app: INestApplication,
  token: string,
  input: Record<string, unknown>,
): Promise<GraphQLResponse<{ createPaymentRequest: RequestView }>> {
  return gql(
    app,
    `mutation($input: CreatePaymentRequestInput!) { createPaymentRequest(input: $input) { ${REQUEST_FIELDS} } }`,
    { input },
    token,
  );
}

export async function newRequest(
  app: INestApplication,
  world: ShopWorld,
  input: Record<string, unknown> = {},
): Promise<RequestView> {
  return expectData(
    await createRequest(app, world.tillKey, { toAccountId: world.shopAccount, ...input }),
  ).createPaymentRequest;
}

export function payRequest(
  app: INestApplication,
  token: string,
  input: {
    paymentRequestId: string;
    fromAccountId: string;
    amount?: string;
    idempotencyKey?: string;
  },
): Promise<
  GraphQLResponse<{
    payPaymentRequest: { id: string; amount: string; kind: string; status: string };
  }>
> {
  return gql(
    app,
    `mutation($input: PayPaymentRequestInput!) { payPaymentRequest(input: $input) { id amount kind status } }`,
    { input: { idempotencyKey: unique('pay'), ...input } },
    token,
  );
}

export function refund(
  app: INestApplication,
  token: string,
  input: { transferId: string; amount?: string; reason?: string; idempotencyKey?: string },
): Promise<GraphQLResponse<{ refundPayment: { id: string; amount: string; kind: string } }>> {
  return gql(
    app,
    `mutation($input: RefundPaymentInput!) { refundPayment(input: $input) { id amount kind } }`,
    { input: { idempotencyKey: unique('refund'), ...input } },
    token,
  );
}

export const PAYMENT_FIELDS = `transferId paymentRequestId accountId amount fee payerName memo reference
  postedAt refundedAmount cursor`;

export interface PaymentView {
  transferId: string;
  paymentRequestId: string | null;
  accountId: string;
  amount: string;
  fee: string;
  payerName: string;
  memo: string | null;
  reference: string | null;
  postedAt: string;
  refundedAmount: string;
  cursor: string;
}

export async function paymentsSince(
  app: INestApplication,
  token: string,
  accountId: string,
  after?: string,
  first = 100,
): Promise<{ payments: PaymentView[]; endCursor: string | null; hasNextPage: boolean }> {
  const response = await gql<{
    paymentsSince: {
      edges: Array<{ node: PaymentView; cursor: string }>;
      pageInfo: { endCursor: string | null; hasNextPage: boolean };
    };
  }>(
    app,
    `query($id: ID!, $after: String, $first: Int) { paymentsSince(accountId: $id, after: $after, first: $first) {
      edges { cursor node { ${PAYMENT_FIELDS} } } pageInfo { endCursor hasNextPage } } }`,
    { id: accountId, after, first },
    token,
  );
  const connection = expectData(response).paymentsSince;
  return {
    payments: connection.edges.map((edge) => edge.node),
    endCursor: connection.pageInfo.endCursor,
    hasNextPage: connection.pageInfo.hasNextPage,
  };
}
