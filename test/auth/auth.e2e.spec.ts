import { INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import {
  createCommunity,
  createCurrency,
  expectData,
  login,
  loginAdmin,
  openAccount,
  pay,
  registerUser,
  unique,
} from '../support/factories';
import { createTestApp, errorCode, gql } from '../support/test-app';
import { TEST_ADMIN, TEST_JWT_SECRET } from '../support/test-credentials';

const ME = '{ me { id email role } }';
const LOGIN = 'mutation($input: LoginInput!) { login(input: $input) { token user { id role } } }';
const REGISTER =
  'mutation($input: RegisterInput!) { register(input: $input) { token user { id role } } }';

describe('sign-up, login and sessions', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createTestApp();
  });

  afterAll(async () => {
    await app.close();
  });

  describe('admin and communities', () => {
    it('bootstraps the admin from the environment, who logs in without a community', async () => {
      const response = await gql<{ login: { user: { role: string } } }>(app, LOGIN, {
        input: TEST_ADMIN,
      });
      expect(expectData(response).login.user.role).toBe('ADMIN');
    });

    it('never overwrites an existing admin at a later start', async () => {
      const other = await createTestApp({ env: { ADMIN_PASSWORD: 'a-different-password-123' } });
      try {
        const stale = await gql(other, LOGIN, {
          input: { ...TEST_ADMIN, password: 'a-different-password-123' },
        });
        expect(errorCode(stale)).toBe('UNAUTHENTICATED');
        expect(expectData(await gql(other, LOGIN, { input: TEST_ADMIN }))).toBeDefined();
      } finally {
        await other.close();
      }
    });

    it('lets the admin create a community with its first steward', async () => {
      const community = await createCommunity(app);
      const me = await gql<{ me: { role: string; email: string } }>(
        app,
        ME,
        {},
        community.steward.token,
      );
      expect(expectData(me).me).toMatchObject({ role: 'STEWARD', email: community.steward.email });
    });

    it('refuses a taken slug with CONFLICT and a bad slug with BAD_USER_INPUT naming it', async () => {
      const existing = await createCommunity(app);
      const create = (slug: string) =>
        gql(
          app,
          'mutation($input: CreateCommunityInput!) { createCommunity(input: $input) { community { id } } }',
          {
            input: {
              slug,
              name: 'Again',
              stewardEmail: 'x@example.org',
              stewardPassword: 'long-enough-password',
              stewardName: 'X',
            },
          },
          adminToken,
        );
      const adminToken = await loginAdmin(app);
      const taken = await create(existing.slug);
      expect(errorCode(taken)).toBe('CONFLICT');
      const bad = await create('Not A Slug!');
      expect(errorCode(bad)).toBe('BAD_USER_INPUT');
      expect(bad.errors?.[0]?.extensions?.field).toBe('slug');
      const reserved = await create('deployment');
      expect(errorCode(reserved)).toBe('CONFLICT');
    });
  });

  describe('register', () => {
    it('creates a member who can ask who they are', async () => {
      const community = await createCommunity(app);
      const member = await registerUser(app, community);
      const me = await gql<{ me: { id: string; role: string } }>(app, ME, {}, member.token);
      expect(expectData(me).me).toEqual({ id: member.id, email: member.email, role: 'MEMBER' });
    });

    it.each([
      ['a short password', { password: 'short' }, 'password'],
      ['a bad email', { email: 'not-an-email' }, 'email'],
      ['an empty display name', { displayName: '' }, 'displayName'],
      ['the steward role', { role: 'STEWARD' }, 'role'],
      ['an unknown community', { communitySlug: 'no-such-community' }, 'communitySlug'],
    ])('refuses %s with BAD_USER_INPUT naming the field', async (_label, override, field) => {
      const community = await createCommunity(app);
      const response = await gql(app, REGISTER, {
        input: {
          communitySlug: community.slug,
          email: `${unique('m')}@example.org`,
          password: 'long-enough-password',
          displayName: 'Ana',
          ...override,
        },
      });
      expect(errorCode(response)).toBe('BAD_USER_INPUT');
      expect(response.errors?.[0]?.extensions?.field).toBe(field);
    });

    it('refuses an email already registered in the community, in any letter case', async () => {
      const community = await createCommunity(app);
      const member = await registerUser(app, community);
      const response = await gql(app, REGISTER, {
        input: {
          communitySlug: community.slug,
          email: member.email.toUpperCase(),
          password: 'long-enough-password',
          displayName: 'Twin',
        },
      });
      expect(errorCode(response)).toBe('CONFLICT');
    });

    it('needs an invite when sign-up is closed; an invite decides the role and works once', async () => {
      const community = await createCommunity(app, { openSignup: false });
      const input = {
        communitySlug: community.slug,
        email: `${unique('s')}@example.org`,
        password: 'long-enough-password',
        displayName: 'Invited Steward',
      };
      const closed = await gql(app, REGISTER, { input });
      expect(errorCode(closed)).toBe('FORBIDDEN');
      expect(closed.errors?.[0]?.extensions?.reason).toBe('SIGNUP_CLOSED');

      const invite = await gql<{ createInvite: { code: string } }>(
        app,
        'mutation($input: CreateInviteInput!) { createInvite(input: $input) { code invite { role } } }',
        { input: { role: 'STEWARD' } },
        community.steward.token,
      );
      const code = expectData(invite).createInvite.code;
      const joined = await gql<{ register: { user: { role: string } } }>(app, REGISTER, {
        input: { ...input, inviteCode: code },
      });
      expect(expectData(joined).register.user.role).toBe('STEWARD');

      const again = await gql(app, REGISTER, {
        input: { ...input, email: `${unique('t')}@example.org`, inviteCode: code },
      });
      expect(errorCode(again)).toBe('BAD_USER_INPUT');
      expect(again.errors?.[0]?.extensions?.field).toBe('inviteCode');
    });
  });

  describe('login', () => {
    it('says the same thing for a wrong password and an unknown email', async () => {
      const community = await createCommunity(app);
      const member = await registerUser(app, community);
      const wrong = await gql(app, LOGIN, {
        input: { communitySlug: community.slug, email: member.email, password: 'wrong-password-1' },
      });
      const unknown = await gql(app, LOGIN, {
        input: {
          communitySlug: community.slug,
          email: 'nobody@example.org',
          password: 'wrong-password-1',
        },
      });
      expect(errorCode(wrong)).toBe('UNAUTHENTICATED');
      expect(wrong.errors).toEqual(unknown.errors);
      expect(JSON.stringify(wrong)).not.toMatch(/password_hash|argon2/);
    });

    it('locks an email after repeated failures, whether or not it exists', async () => {
      const community = await createCommunity(app);
      const member = await registerUser(app, community);
      for (const email of [member.email, 'ghost@example.org']) {
        for (let attempt = 0; attempt < 5; attempt += 1) {
          const failed = await gql(app, LOGIN, {
            input: { communitySlug: community.slug, email, password: 'wrong-password-1' },
          });
          expect(errorCode(failed)).toBe('UNAUTHENTICATED');
        }
        const locked = await gql(app, LOGIN, {
          input: { communitySlug: community.slug, email, password: member.password },
        });
        expect(errorCode(locked)).toBe('FORBIDDEN');
        expect(locked.errors?.[0]?.extensions?.reason).toBe('LOGIN_LOCKED');
      }
    });

    it('never returns the password or its hash', async () => {
      const community = await createCommunity(app);
      const member = await registerUser(app, community);
      const response = await gql(
        app,
        '{ __type(name: "User") { fields { name } } }',
        {},
        member.token,
      );
      const fields = JSON.stringify(response.data);
      expect(fields).not.toMatch(/password/i);
    });
  });

  describe('tokens', () => {
    const jwt = new JwtService({ secret: TEST_JWT_SECRET });

    it.each([
      ['missing', undefined, 'UNAUTHENTICATED'],
      ['malformed', 'not-a-token', 'UNAUTHENTICATED'],
      [
        'forged',
        new JwtService({ secret: 'x'.repeat(40) }).sign({
          sub: 'a',
          cid: 'b',
          role: 'STEWARD',
          tv: 0,
        }),
        'UNAUTHENTICATED',
      ],
    ])('refuses a %s token', async (_label, token, code) => {
      const response = await gql(app, ME, {}, token);
      expect(errorCode(response)).toBe(code);
    });

    it('refuses an expired token', async () => {
      const community = await createCommunity(app);
      const member = await registerUser(app, community);
      const expired = jwt.sign({
        sub: member.id,
        cid: community.id,
        role: 'MEMBER',
        tv: 0,
        exp: Math.floor(Date.now() / 1000) - 10,
      });
      const response = await gql(app, ME, {}, expired);
      expect(errorCode(response)).toBe('UNAUTHENTICATED');
      expect(response.errors?.[0]?.extensions?.reason).toBe('TOKEN_EXPIRED');
    });

    it('revokes old tokens when the password changes, and the new token works', async () => {
      const community = await createCommunity(app);
      const member = await registerUser(app, community);
      const changed = await gql<{ changePassword: string }>(
        app,
        'mutation($input: ChangePasswordInput!) { changePassword(input: $input) }',
        { input: { currentPassword: member.password, newPassword: 'a-brand-new-password' } },
        member.token,
      );
      const newToken = expectData(changed).changePassword;
      const old = await gql(app, ME, {}, member.token);
      expect(errorCode(old)).toBe('UNAUTHENTICATED');
      expect(old.errors?.[0]?.extensions?.reason).toBe('TOKEN_REVOKED');
      expect(expectData(await gql(app, ME, {}, newToken))).toBeDefined();
      await expect(
        login(app, community.slug, member.email, 'a-brand-new-password'),
      ).resolves.toEqual(expect.any(String));
    });

    it('refuses a password change with the wrong current password', async () => {
      const community = await createCommunity(app);
      const member = await registerUser(app, community);
      const response = await gql(
        app,
        'mutation($input: ChangePasswordInput!) { changePassword(input: $input) }',
        { input: { currentPassword: 'not-my-password', newPassword: 'a-brand-new-password' } },
        member.token,
      );
      expect(errorCode(response)).toBe('UNAUTHENTICATED');
      expect(expectData(await gql(app, ME, {}, member.token))).toBeDefined();
    });

    it('ends every session on logout', async () => {
      const community = await createCommunity(app);
      const member = await registerUser(app, community);
      expect(expectData(await gql(app, 'mutation { logout }', {}, member.token))).toEqual({
        logout: true,
      });
      expect(errorCode(await gql(app, ME, {}, member.token))).toBe('UNAUTHENTICATED');
    });
  });

  describe('stewards govern their community', () => {
    it('suspends a user, who can then neither act nor log in, and reinstates them', async () => {
      const community = await createCommunity(app);
      const member = await registerUser(app, community);
      const setStatus = (status: string) =>
        gql(
          app,
          'mutation($input: SetUserStatusInput!) { setUserStatus(input: $input) { status } }',
          { input: { userId: member.id, status } },
          community.steward.token,
        );
      expect(expectData(await setStatus('SUSPENDED'))).toEqual({
        setUserStatus: { status: 'SUSPENDED' },
      });
      expect(errorCode(await gql(app, ME, {}, member.token))).toBe('UNAUTHENTICATED');
      const refused = await gql(app, LOGIN, {
        input: { communitySlug: community.slug, email: member.email, password: member.password },
      });
      expect(errorCode(refused)).toBe('FORBIDDEN');
      expect(refused.errors?.[0]?.extensions?.reason).toBe('USER_SUSPENDED');
      await setStatus('ACTIVE');
      await expect(login(app, community.slug, member.email, member.password)).resolves.toEqual(
        expect.any(String),
      );
    });

    it('promotes a member to steward, and never demotes the last steward', async () => {
      const community = await createCommunity(app);
      const member = await registerUser(app, community);
      const setRole = (userId: string, role: string, token: string) =>
        gql(
          app,
          'mutation($input: SetUserRoleInput!) { setUserRole(input: $input) { role } }',
          { input: { userId, role } },
          token,
        );
      const lastOne = await setRole(community.steward.id, 'MEMBER', community.steward.token);
      expect(errorCode(lastOne)).toBe('CONFLICT');
      expect(expectData(await setRole(member.id, 'STEWARD', community.steward.token))).toEqual({
        setUserRole: { role: 'STEWARD' },
      });
      const promotedToken = await login(app, community.slug, member.email, member.password);
      const me = await gql<{ me: { role: string } }>(app, ME, {}, promotedToken);
      expect(expectData(me).me.role).toBe('STEWARD');
    });

    it("answers NOT_FOUND for another community's user", async () => {
      const mine = await createCommunity(app);
      const theirs = await createCommunity(app);
      const stranger = await registerUser(app, theirs);
      const response = await gql(
        app,
        'query($id: ID!) { user(id: $id) { id } }',
        { id: stranger.id },
        mine.steward.token,
      );
      expect(errorCode(response)).toBe('NOT_FOUND');
    });
  });

  describe('field-level rules', () => {
    it("shows a payment's counterparty by name, never by email or balance", async () => {
      const community = await createCommunity(app);
      await createCurrency(app, community);
      const payer = await registerUser(app, community, 'MEMBER', unique('payer'));
      const payee = await registerUser(app, community, 'MEMBER', unique('payee'));
      const from = await openAccount(app, payer.token, { currencyCode: 'HOUR' });
      const to = await openAccount(app, payee.token, { currencyCode: 'HOUR' });
      const paid = expectData(await pay(app, payer.token, from, to, '1.00')).transfer;
      const read = (fields: string) =>
        gql(
          app,
          `query($id: ID!) { transferById(id: $id) { toAccount { ${fields} } } }`,
          { id: paid.id },
          payer.token,
        );
      const named = await read('name owner { displayName }');
      expect(named.errors).toBeUndefined();
      expect(JSON.stringify(named.data)).toContain('payee-');
      const emailRead = await read('owner { email }');
      expect(errorCode(emailRead)).toBe('FORBIDDEN');
      expect(errorCode(await read('balance'))).toBe('FORBIDDEN');
      const own = await gql(
        app,
        `query($id: ID!) { account(id: $id) { owner { email } } }`,
        { id: from },
        payer.token,
      );
      expect(JSON.stringify(own.data)).toContain(payer.email);
    });
  });

  describe('shop till keys', () => {
    it('creates a key shown once, lists it without its secret, and revokes it', async () => {
      const community = await createCommunity(app);
      const shop = await registerUser(app, community, 'SHOP');
      const created = await gql<{ createApiKey: { key: string; apiKey: { id: string } } }>(
        app,
        'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { id name scopes } } }',
        { input: { name: 'front till', scopes: ['CREATE_PAYMENT_REQUESTS', 'READ_PAYMENTS'] } },
        shop.token,
      );
      const { key, apiKey } = expectData(created).createApiKey;
      expect(key).toMatch(/^mk_[0-9a-f]{32}_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/);

      const listed = await gql(app, '{ apiKeys { id name revokedAt } }', {}, shop.token);
      expect(JSON.stringify(listed)).not.toContain(key.slice(-43));

      // A key may not act as the shop's user beyond its scopes.
      const asKey = await gql(app, ME, {}, key);
      expect(errorCode(asKey)).toBe('FORBIDDEN');
      const keyMakingKeys = await gql(
        app,
        'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }',
        { input: { name: 'sneaky', scopes: ['READ_PAYMENTS'] } },
        key,
      );
      expect(errorCode(keyMakingKeys)).toBe('FORBIDDEN');

      await gql(
        app,
        'mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }',
        { id: apiKey.id },
        shop.token,
      );
      const revoked = await gql(app, ME, {}, key);
      expect(errorCode(revoked)).toBe('UNAUTHENTICATED');
      const tampered = await gql(
        app,
        ME,
        {},
        `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`,
      );
      expect(errorCode(tampered)).toBe('UNAUTHENTICATED');
    });

    it('is for shops only', async () => {
      const community = await createCommunity(app);
      const member = await registerUser(app, community);
      const response = await gql(
        app,
        'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }',
        { input: { name: 'mine', scopes: ['READ_PAYMENTS'] } },
        member.token,
      );
      expect(errorCode(response)).toBe('FORBIDDEN');
    });
  });
});

describe('sign-in throttling', () => {
  it('refuses a burst of attempts from one address with RATE_LIMITED', async () => {
    const app = await createTestApp({ env: { AUTH_RATE_LIMIT_PER_MINUTE: '3' } });
    try {
      const attempt = () =>
        gql(app, LOGIN, {
          input: { communitySlug: 'anything', email: 'x@example.org', password: 'whatever-123' },
        });
      for (let index = 0; index < 3; index += 1)
        expect(errorCode(await attempt())).toBe('UNAUTHENTICATED');
      const throttled = await attempt();
      expect(throttled.status).toBe(429);
      expect(errorCode(throttled)).toBe('RATE_LIMITED');
      expect(throttled.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(0);
    } finally {
      await app.close();
    }
  });
});
