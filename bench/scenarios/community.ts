import { randomBytes } from 'node:crypto';
import { cloneRows, seededUuidSql, withClient } from '../lib/database';
import { GraphQLClient } from '../lib/graphql';
import { ADMIN } from '../lib/server';

/**
 * The community every Mutua scenario runs in: one steward, a time-bank
 * currency (HOUR, mutual credit), 10,000 member accounts and one shop
 * account.
 *
 * The community, the currency, one member, the shop and their accounts are
 * made through the API, exactly as a client would. The other members and
 * their accounts are copies of that first member's rows, made with one SQL
 * statement each, because opening 10,000 accounts one request at a time
 * would take longer than the benchmark itself. Copied rows differ from the
 * template only in id, email and name, so they are as valid as the original.
 *
 * The steward's token drives the load: a steward may move money between any
 * accounts of the community, so one token serves every transfer.
 */

export const COMMUNITY_SLUG = 'bench';
export const CURRENCY_CODE = 'HOUR';
/** Members go down to -1,000,000 hours, so that a random walk never reaches the floor. */
const DEFAULT_FLOOR = '-1000000';

/** Seeded ids by table, so that copies of different tables never share an id. */
export const SEED_KIND = { user: 1, account: 2, transfer: 3 } as const;

export interface Community {
  communityId: string;
  stewardId: string;
  stewardToken: string;
  memberUserId: string;
  memberAccountIds: string[];
  shopAccountId: string;
}

const LOGIN = `mutation Login($input: LoginInput!) { login(input: $input) { token } }`;
const CREATE_COMMUNITY = `mutation CreateCommunity($input: CreateCommunityInput!) {
  createCommunity(input: $input) { community { id } steward { id } }
}`;
const REGISTER = `mutation Register($input: RegisterInput!) {
  register(input: $input) { token user { id } }
}`;
const CREATE_CURRENCY = `mutation CreateCurrency($input: CreateCurrencyInput!) {
  createCurrency(input: $input) { code }
}`;
export const OPEN_ACCOUNT = `mutation OpenAccount($input: OpenAccountInput!) {
  openAccount(input: $input) { id }
}`;

export async function setUpCommunity(options: {
  port: number;
  databaseUrl: string;
  members: number;
}): Promise<Community> {
  const anonymous = new GraphQLClient(options.port);
  const adminLogin = await anonymous.execute<{ login: { token: string } }>(LOGIN, {
    input: { email: ADMIN.email, password: ADMIN.password },
  });
  const admin = anonymous.withToken(adminLogin.login.token);
  const stewardPassword = randomBytes(12).toString('hex');
  const created = await admin.execute<{
    createCommunity: { community: { id: string }; steward: { id: string } };
  }>(CREATE_COMMUNITY, {
    input: {
      slug: COMMUNITY_SLUG,
      name: 'Benchmark time bank',
      stewardEmail: 'steward@bench.mutua.example',
      stewardPassword,
      stewardName: 'Steward',
    },
  });
  admin.close();
  const stewardLogin = await anonymous.execute<{ login: { token: string } }>(LOGIN, {
    input: {
      email: 'steward@bench.mutua.example',
      password: stewardPassword,
      communitySlug: COMMUNITY_SLUG,
    },
  });
  const steward = anonymous.withToken(stewardLogin.login.token);

  await steward.execute(CREATE_CURRENCY, {
    input: {
      code: CURRENCY_CODE,
      name: 'Hour',
      kind: 'TIME',
      scale: 2,
      policy: { mode: 'MUTUAL_CREDIT', defaultFloor: DEFAULT_FLOOR },
    },
  });
  const member = await register(anonymous, 'member-0@bench.mutua.example', 'Member 0', 'MEMBER');
  const shop = await register(anonymous, 'shop@bench.mutua.example', 'Corner shop', 'SHOP');
  const memberAccount = await openAccount(steward, CURRENCY_CODE, 'MEMBER', member, 'member 0');
  const shopAccount = await openAccount(steward, CURRENCY_CODE, 'SHOP', shop, 'corner shop');
  anonymous.close();
  steward.close();

  const communityId = created.createCommunity.community.id;
  const memberAccountIds = await withClient(options.databaseUrl, async (client) => {
    const copies = options.members - 1;
    await cloneRows(client, {
      table: 'users',
      template: 't.community_id = $1 AND t.id = $2',
      templateParams: [communityId, member],
      overrides: {
        id: seededUuidSql(SEED_KIND.user, 'i'),
        email: `'member-' || i || '@bench.mutua.example'`,
        display_name: `'Member ' || i`,
      },
      count: copies,
    });
    await cloneRows(client, {
      table: 'accounts',
      template: 't.community_id = $1 AND t.id = $2',
      templateParams: [communityId, memberAccount],
      overrides: {
        id: seededUuidSql(SEED_KIND.account, 'i'),
        owner_id: seededUuidSql(SEED_KIND.user, 'i'),
        name: `'member ' || i`,
      },
      count: copies,
    });
    await client.query('ANALYZE users');
    await client.query('ANALYZE accounts');
    const rows = await client.query<{ id: string }>(
      `SELECT id FROM accounts
       WHERE community_id = $1 AND currency_code = $2 AND kind = 'MEMBER' ORDER BY id`,
      [communityId, CURRENCY_CODE],
    );
    return rows.rows.map((row) => row.id);
  });
  if (memberAccountIds.length !== options.members) {
    throw new Error(
      `expected ${options.members} member accounts, found ${memberAccountIds.length}`,
    );
  }
  return {
    communityId,
    stewardId: created.createCommunity.steward.id,
    stewardToken: stewardLogin.login.token,
    memberUserId: member,
    memberAccountIds,
    shopAccountId: shopAccount,
  };
}

async function register(
  client: GraphQLClient,
  email: string,
  displayName: string,
  role: 'MEMBER' | 'SHOP',
): Promise<string> {
  const registered = await client.execute<{ register: { user: { id: string } } }>(REGISTER, {
    input: {
      communitySlug: COMMUNITY_SLUG,
      email,
      password: randomBytes(12).toString('hex'),
      displayName,
      role,
    },
  });
  return registered.register.user.id;
}

export async function openAccount(
  steward: GraphQLClient,
  currencyCode: string,
  kind: string,
  ownerId: string,
  name: string,
): Promise<string> {
  const opened = await steward.execute<{ openAccount: { id: string } }>(OPEN_ACCOUNT, {
    input: { currencyCode, kind, ownerId, name },
  });
  return opened.openAccount.id;
}
