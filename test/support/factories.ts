import { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { gql } from './test-app';
import { TEST_ADMIN } from './test-credentials';

/**
 * Test data built through the public API, so that every test exercises the
 * same paths as a client. Each test makes its own community: tests never
 * share or clean up each other's data.
 */
export interface TestUser {
  id: string;
  email: string;
  password: string;
  token: string;
  role: string;
}

export interface TestCommunity {
  id: string;
  slug: string;
  steward: TestUser;
}

export function unique(prefix: string): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

export function expectData<T>(response: { data?: T | null; errors?: unknown }): T {
  if (response.errors !== undefined || response.data === undefined || response.data === null) {
    throw new Error(`expected data, got ${JSON.stringify(response.errors ?? response)}`);
  }
  return response.data;
}

const AUTH_FIELDS = 'token user { id email role }';

export async function loginAdmin(app: INestApplication): Promise<string> {
  const response = await gql<{ login: { token: string } }>(
    app,
    `mutation($input: LoginInput!) { login(input: $input) { token } }`,
    { input: TEST_ADMIN },
  );
  return expectData(response).login.token;
}

export async function createCommunity(
  app: INestApplication,
  options: { openSignup?: boolean } = {},
): Promise<TestCommunity> {
  const slug = unique('c');
  const steward = { email: `steward@${slug}.test`, password: 'steward-password-1' };
  const response = await gql<{
    createCommunity: {
      community: { id: string; slug: string };
      steward: { id: string; role: string };
    };
  }>(
    app,
    `mutation($input: CreateCommunityInput!) {
      createCommunity(input: $input) { community { id slug } steward { id role } }
    }`,
    {
      input: {
        slug,
        name: `Community ${slug}`,
        stewardEmail: steward.email,
        stewardPassword: steward.password,
        stewardName: 'First Steward',
        openSignup: options.openSignup ?? true,
      },
    },
    await loginAdmin(app),
  );
  const created = expectData(response).createCommunity;
  const token = await login(app, slug, steward.email, steward.password);
  return {
    id: created.community.id,
    slug,
    steward: { id: created.steward.id, ...steward, token, role: 'STEWARD' },
  };
}

export async function login(
  app: INestApplication,
  slug: string,
  email: string,
  password: string,
): Promise<string> {
  const response = await gql<{ login: { token: string } }>(
    app,
    `mutation($input: LoginInput!) { login(input: $input) { token } }`,
    { input: { communitySlug: slug, email, password } },
  );
  return expectData(response).login.token;
}

export async function registerUser(
  app: INestApplication,
  community: TestCommunity,
  role: 'MEMBER' | 'SHOP' = 'MEMBER',
  name = unique(role.toLowerCase()),
): Promise<TestUser> {
  const email = `${name}@${community.slug}.test`;
  const password = `${name}-password`;
  const response = await gql<{ register: { token: string; user: { id: string; role: string } } }>(
    app,
    `mutation($input: RegisterInput!) { register(input: $input) { ${AUTH_FIELDS} } }`,
    { input: { communitySlug: community.slug, email, password, displayName: name, role } },
  );
  const { token, user } = expectData(response).register;
  return { id: user.id, email, password, token, role: user.role };
}

export async function createCurrency(
  app: INestApplication,
  community: TestCommunity,
  options: {
    code?: string;
    kind?: string;
    scale?: number;
    defaultFloor?: string;
    defaultCeiling?: string;
  } = {},
): Promise<string> {
  const code = options.code ?? 'HOUR';
  const response = await gql(
    app,
    'mutation($input: CreateCurrencyInput!) { createCurrency(input: $input) { code } }',
    {
      input: {
        code,
        name: `${code} currency`,
        kind: options.kind ?? 'TIME',
        scale: options.scale ?? 2,
        policy: {
          mode: 'MUTUAL_CREDIT',
          defaultFloor: options.defaultFloor ?? '-10.00',
          ...(options.defaultCeiling !== undefined
            ? { defaultCeiling: options.defaultCeiling }
            : {}),
        },
      },
    },
    community.steward.token,
  );
  expectData(response);
  return code;
}

/** Opens an account as `token` (a member for themself, or a steward for `ownerId` or a system kind). */
export async function openAccount(
  app: INestApplication,
  token: string,
  input: { currencyCode: string; kind?: string; ownerId?: string; name?: string },
): Promise<string> {
  const response = await gql<{ openAccount: { id: string } }>(
    app,
    'mutation($input: OpenAccountInput!) { openAccount(input: $input) { id } }',
    { input },
    token,
  );
  return expectData(response).openAccount.id;
}

export const TRANSFER = `mutation($input: TransferInput!) {
  transfer(input: $input) { id status amount kind memo warnings fromAccount { id } toAccount { id }
    entries { amount balanceAfter sequence account { id } } }
}`;

export async function pay(
  app: INestApplication,
  token: string,
  fromAccountId: string,
  toAccountId: string,
  amount: string,
  extra: Record<string, unknown> = {},
) {
  return gql<{ transfer: { id: string; status: string; amount: string; warnings: string[] } }>(
    app,
    TRANSFER,
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
}

export async function balanceOf(
  app: INestApplication,
  token: string,
  accountId: string,
): Promise<string> {
  const response = await gql<{ account: { balance: string } }>(
    app,
    'query($id: ID!) { account(id: $id) { balance } }',
    { id: accountId },
    token,
  );
  return expectData(response).account.balance;
}
