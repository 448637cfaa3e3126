import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource } from 'typeorm';

/**
 * Which community the database may show the work in progress: the setting
 * `mutua.community_id` that the row-level security policies read (see the
 * CommunityPolicyDenies migration). A query that forgets its community
 * predicate then finds nothing instead of another community's rows.
 *
 * - Work done for a community (a signed-in user's or till's operation, a
 *   group of the posting path, a scheduler handling one community's order)
 *   runs inside `withinCommunity(id, ...)`.
 * - Work that is no single community's and says so (sign-in by e-mail, the
 *   admin, public pages read by slug, a scheduler's search for what is due)
 *   runs inside `withoutCommunity(...)`: the setting is `*`, which the
 *   policies read as "every community".
 * - Anything else runs with the setting empty, and the policies show it no
 *   row at all and let it write none. Forgetting to choose is a refusal,
 *   never a leak.
 * - An HTTP request runs inside `withinRequest(...)`: its scope starts empty
 *   and is set once the caller is known (`scopeRequest`), so that the field
 *   resolvers GraphQL runs after an operation's own resolver work for the
 *   caller's community too.
 * - Code that sets the setting itself for its own transaction (the posting
 *   path folds it into its BEGIN) takes its connection inside
 *   `settingItself(...)`, so that no round trip is spent on it.
 *
 * Every connection TypeORM takes from its pool is set to the scope of the
 * work that takes it before its first statement (`SELECT set_config(...,
 * false)`, one round trip, only when the connection was last set to
 * something else).
 */
export const COMMUNITY_SETTING = 'mutua.community_id';
/** The setting's value for work that is explicitly every community's. */
export const EVERY_COMMUNITY = '*';
/** The setting's value for work that chose nothing: no row visible. */
const NO_COMMUNITY = '';

interface Scope {
  /** A community id, EVERY_COMMUNITY or NO_COMMUNITY. */
  communityId: string;
  /** The caller sets the community itself, transaction-local: leave the connection alone. */
  managed?: boolean;
  /** The scope of a whole HTTP request, set once its caller is known. */
  request?: boolean;
}

const storage = new AsyncLocalStorage<Scope>();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function checked(communityId: string): string {
  if (!UUID.test(communityId)) throw new Error(`not a community id: ${communityId}`);
  return communityId.toLowerCase();
}

/** Runs `work` as work of one community: its queries see only that community's rows. */
export function withinCommunity<T>(communityId: string, work: () => T): T {
  return storage.run({ communityId: checked(communityId) }, work);
}

/** Runs `work` as explicitly no single community's: every community's rows are visible. */
export function withoutCommunity<T>(work: () => T): T {
  return storage.run({ communityId: EVERY_COMMUNITY }, work);
}

/** Takes a connection for a transaction that sets the community itself. */
export function settingItself<T>(work: () => T): T {
  return storage.run({ communityId: NO_COMMUNITY, managed: true }, work);
}

/** Runs an HTTP request: nothing is visible until `scopeRequest` names its community. */
export function withinRequest<T>(work: () => T): T {
  return storage.run({ communityId: NO_COMMUNITY, request: true }, work);
}

/**
 * Sets the scope of the request in progress, for everything it still runs:
 * a community id, or `EVERY_COMMUNITY` for the admin and public operations.
 * Outside a request (a test calling a service, a WebSocket event) it does
 * nothing.
 */
export function scopeRequest(communityId: string): void {
  const scope = storage.getStore();
  if (scope?.request !== true) return;
  scope.communityId = communityId === EVERY_COMMUNITY ? EVERY_COMMUNITY : checked(communityId);
}

/**
 * `BEGIN` followed by the transaction-local setting, as one simple-protocol
 * message: one round trip, as BEGIN alone.
 */
export function beginForCommunity(communityId: string): string {
  return `BEGIN; SELECT set_config('${COMMUNITY_SETTING}', '${checked(communityId)}', true)`;
}

interface PgClient {
  query(text: string, values?: unknown[]): Promise<unknown>;
  on(event: 'error', listener: (error: unknown) => void): unknown;
  removeListener(event: 'error', listener: (error: unknown) => void): unknown;
}

/** A lost connection's 'error' event, while the query that fails with it says the same. */
function ignore(): void {}

type Obtain = () => Promise<[PgClient, (error?: unknown) => void]>;

/** What each pooled connection was last set to, so that most checkouts cost nothing. */
const settingOf = new WeakMap<PgClient, string>();

/**
 * Makes every connection TypeORM takes from its pool carry the community of
 * the work that takes it. Called once, on the application's DataSource.
 */
export function installCommunitySetting(dataSource: DataSource): DataSource {
  const driver = dataSource.driver as unknown as {
    obtainMasterConnection: Obtain;
    obtainSlaveConnection: Obtain;
  };
  for (const name of ['obtainMasterConnection', 'obtainSlaveConnection'] as const) {
    const obtain = driver[name].bind(driver);
    driver[name] = async () => {
      const [client, release] = await obtain();
      const scope = storage.getStore();
      if (scope?.managed === true) return [client, release];
      const wanted = scope?.communityId ?? NO_COMMUNITY;
      if ((settingOf.get(client) ?? NO_COMMUNITY) === wanted) return [client, release];
      // The pool stops listening for the connection's errors when it hands
      // it out, and TypeORM starts only once it has it: a connection lost in
      // between would raise an 'error' that nobody handles.
      client.on('error', ignore);
      try {
        await client.query('SELECT set_config($1, $2, false)', [COMMUNITY_SETTING, wanted]);
      } catch (error) {
        release(error);
        throw error;
      } finally {
        client.removeListener('error', ignore);
      }
      settingOf.set(client, wanted);
      return [client, release];
    };
  }
  return dataSource;
}
