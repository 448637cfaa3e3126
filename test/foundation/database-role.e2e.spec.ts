import { INestApplication, Module } from '@nestjs/common';
import { Field, ObjectType, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { Access, COMMUNITY_ROLES, Public } from '../../src/access/access.decorator';
import { withinCommunity, withoutCommunity } from '../../src/common/database/tenancy';
import {
  createCommunity,
  createCurrency,
  expectData,
  openAccount,
  pay,
  registerUser,
  TestCommunity,
  TestUser,
} from '../support/factories';
import { createTestApp, gql, testDatabaseUrl } from '../support/test-app';

/**
 * The database is the second check (DESIGN.md; migration ApplicationRole):
 * the server connects as a role that owns nothing, and row-level security
 * keeps each community's work to its own rows even where a query forgets
 * its community predicate.
 */

/** Operations that forget their community predicate on purpose. */
@Resolver()
class ForgetfulResolver {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private async communitiesSeen(): Promise<string[]> {
    const rows = await this.dataSource.query<Array<{ community_id: string }>>(
      'SELECT DISTINCT community_id FROM accounts ORDER BY community_id',
    );
    return rows.map((row) => row.community_id);
  }

  @Access({ roles: COMMUNITY_ROLES })
  @Query(() => [String])
  forgetfulAccounts(): Promise<string[]> {
    return this.communitiesSeen();
  }

  @Public()
  @Query(() => [String])
  forgetfulPublicAccounts(): Promise<string[]> {
    return this.communitiesSeen();
  }
}

@ObjectType()
class ForgetfulView {
  @Field()
  name!: string;
}

/** A field GraphQL resolves after its operation, forgetting its predicate too. */
@Resolver(() => ForgetfulView)
class ForgetfulViewResolver {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Access({ roles: COMMUNITY_ROLES })
  @Query(() => ForgetfulView)
  forgetfulView(): ForgetfulView {
    return { name: 'member' };
  }

  @Public()
  @Query(() => ForgetfulView)
  forgetfulPublicView(): ForgetfulView {
    return { name: 'anyone' };
  }

  @ResolveField(() => [String])
  async accountsSeen(): Promise<string[]> {
    // After an await, as a field that loads something first would be.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const rows = await this.dataSource.query<Array<{ community_id: string }>>(
      'SELECT DISTINCT community_id FROM accounts ORDER BY community_id',
    );
    return rows.map((row) => row.community_id);
  }
}

@Module({ providers: [ForgetfulResolver, ForgetfulViewResolver] })
class ForgetfulModule {}

describe('the database as the second check', () => {
  let app: INestApplication;
  let database: DataSource;
  let client: Client;
  let a: TestCommunity;
  let b: TestCommunity;
  let memberOfA: TestUser;

  beforeAll(async () => {
    app = await createTestApp({ extra: [ForgetfulModule] });
    database = app.get(DataSource);
    client = new Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    a = await createCommunity(app);
    b = await createCommunity(app);
    for (const community of [a, b]) {
      await createCurrency(app, community);
      const one = await registerUser(app, community);
      const two = await registerUser(app, community);
      const from = await openAccount(app, one.token, { currencyCode: 'HOUR' });
      const to = await openAccount(app, two.token, { currencyCode: 'HOUR' });
      expectData(await pay(app, one.token, from, to, '1.00'));
      if (community === a) memberOfA = one;
    }
  });

  afterAll(async () => {
    await client?.end();
    await app?.close();
  });

  describe('the server connects as a role that owns nothing', () => {
    it('is mutua_app: no superuser, no BYPASSRLS, owner of no table', async () => {
      const [role] = await database.query<
        Array<{ name: string; superuser: boolean; bypassrls: boolean; owned: string }>
      >(
        `SELECT current_user AS name, r.rolsuper AS superuser, r.rolbypassrls AS bypassrls,
                (SELECT count(*) FROM pg_class c WHERE c.relowner = r.oid) AS owned
           FROM pg_roles r WHERE r.rolname = current_user`,
      );
      expect(role).toEqual({ name: 'mutua_app', superuser: false, bypassrls: false, owned: '0' });
    });

    it.each([
      ['TRUNCATE a table', 'TRUNCATE entries', /permission denied/],
      ['disable triggers', 'ALTER TABLE entries DISABLE TRIGGER USER', /must be owner/],
      [
        'set session_replication_role',
        'SET session_replication_role = replica',
        /permission denied/,
      ],
      [
        'alter a table',
        'ALTER TABLE transfers DROP CONSTRAINT ck_transfers_amount',
        /must be owner/,
      ],
      ['drop a table', 'DROP TABLE entries', /must be owner/],
      ['create a table', 'CREATE TABLE intruder (id int)', /permission denied/],
      ['delete entries', 'DELETE FROM entries', /permission denied/],
      [
        'turn row-level security off',
        'ALTER TABLE accounts DISABLE ROW LEVEL SECURITY',
        /must be owner/,
      ],
    ])('cannot %s', async (_what, statement, refusal) => {
      await expect(client.query(statement)).rejects.toThrow(refusal);
    });
  });

  describe('row-level security keyed by community_id', () => {
    async function asCommunity<T>(communityId: string, work: () => Promise<T>): Promise<T> {
      await client.query('BEGIN');
      try {
        await client.query("SELECT set_config('mutua.community_id', $1, true)", [communityId]);
        return await work();
      } finally {
        await client.query('ROLLBACK');
      }
    }

    it.each(['accounts', 'transfers', 'entries', 'users', 'currencies', 'communities'])(
      'a query of %s without a community predicate sees only the community set',
      async (table) => {
        const seen = await asCommunity(a.id, async () => {
          const { rows } = await client.query<{ community_id: string }>(
            `SELECT DISTINCT community_id FROM ${table}`,
          );
          const other = await client.query(`SELECT 1 FROM ${table} WHERE community_id = $1`, [
            b.id,
          ]);
          return { communities: rows.map((row) => row.community_id), ofB: other.rowCount };
        });
        expect(seen).toEqual({ communities: [a.id], ofB: 0 });
      },
    );

    it('does not let one community write or change another community’s rows', async () => {
      await asCommunity(a.id, async () => {
        const updated = await client.query(
          'UPDATE accounts SET name = name WHERE community_id = $1',
          [b.id],
        );
        expect(updated.rowCount).toBe(0);
        await expect(
          client.query(
            `INSERT INTO login_failures (community_id, email, failures, last_failed_at)
             VALUES ($1, 'intruder@b.test', 1, now())`,
            [b.id],
          ),
        ).rejects.toThrow(/row-level security/);
      });
    });

    it('shows and lets write nothing where no community is set', async () => {
      for (const unset of [undefined, '']) {
        await client.query('BEGIN');
        try {
          if (unset !== undefined) {
            await client.query("SELECT set_config('mutua.community_id', $1, true)", [unset]);
          }
          for (const table of ['accounts', 'entries', 'users', 'communities']) {
            const { rowCount } = await client.query(`SELECT 1 FROM ${table}`);
            expect({ table, rowCount }).toEqual({ table, rowCount: 0 });
          }
          await expect(
            client.query(
              `INSERT INTO login_failures (community_id, email, failures, last_failed_at)
               VALUES ($1, 'nobody@a.test', 1, now())`,
              [a.id],
            ),
          ).rejects.toThrow(/row-level security/);
        } finally {
          await client.query('ROLLBACK');
        }
      }
    });

    it('sees every community where the work says so: sign-in, the admin, the schedulers', async () => {
      const seen = await asCommunity('*', async () => {
        const { rows } = await client.query<{ community_id: string }>(
          'SELECT DISTINCT community_id FROM accounts WHERE community_id = ANY($1)',
          [[a.id, b.id]],
        );
        return rows.map((row) => row.community_id).sort();
      });
      expect(seen).toEqual([a.id, b.id].sort());
    });

    it('applies to the application’s own pool in a community’s work, not outside it', async () => {
      const query = () =>
        database.query<Array<{ community_id: string }>>(
          'SELECT DISTINCT community_id FROM accounts WHERE community_id = ANY($1)',
          [[a.id, b.id]],
        );
      const inA = await withinCommunity(a.id, query);
      const inB = await withinCommunity(b.id, () =>
        database.transaction((manager) =>
          manager.query<Array<{ community_id: string }>>(
            'SELECT DISTINCT community_id FROM accounts WHERE community_id = ANY($1)',
            [[a.id, b.id]],
          ),
        ),
      );
      const everyCommunity = await withoutCommunity(query);
      const unscoped = await query();
      expect(inA.map((row) => row.community_id)).toEqual([a.id]);
      expect(inB.map((row) => row.community_id)).toEqual([b.id]);
      expect(everyCommunity.map((row) => row.community_id).sort()).toEqual([a.id, b.id].sort());
      expect(unscoped).toEqual([]);
    });

    it('keeps a member’s operation that forgets its predicate to the member’s community', async () => {
      const response = await gql<{ forgetfulAccounts: string[] }>(
        app,
        '{ forgetfulAccounts }',
        {},
        memberOfA.token,
      );
      expect(expectData(response).forgetfulAccounts).toEqual([a.id]);
      // A public operation works for no community: every community's rows.
      const open = await gql<{ forgetfulPublicAccounts: string[] }>(
        app,
        '{ forgetfulPublicAccounts }',
      );
      expect(expectData(open).forgetfulPublicAccounts).toEqual(
        expect.arrayContaining([a.id, b.id]),
      );
    });

    it('keeps the fields resolved after a member’s operation to the member’s community', async () => {
      const response = await gql<{ forgetfulView: { accountsSeen: string[] } }>(
        app,
        '{ forgetfulView { accountsSeen } }',
        {},
        memberOfA.token,
      );
      expect(expectData(response).forgetfulView.accountsSeen).toEqual([a.id]);
    });

    it('shows the fields of an anonymous request nothing, though its operation is public', async () => {
      const response = await gql<{ forgetfulPublicView: { accountsSeen: string[] } }>(
        app,
        '{ forgetfulPublicView { accountsSeen } }',
      );
      expect(expectData(response).forgetfulPublicView.accountsSeen).toEqual([]);
    });

    it('posts a community’s transfers in a transaction that is set to that community', async () => {
      // The posting path sets the community itself with its BEGIN; a
      // payment therefore still posts, and the books of B stay whole.
      const payer = await registerUser(app, b);
      const payee = await registerUser(app, b);
      const from = await openAccount(app, payer.token, { currencyCode: 'HOUR' });
      const to = await openAccount(app, payee.token, { currencyCode: 'HOUR' });
      const posted = await pay(app, payer.token, from, to, '0.50');
      expect(expectData(posted).transfer.status).toBe('POSTED');
    });
  });
});
