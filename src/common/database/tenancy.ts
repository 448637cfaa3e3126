import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource } from 'typeorm';

/**
 * Which community the database may show the work in progress: the setting
 * `mutua.community_id` that the row-level security policies read (see the
 * ApplicationRole migration). A query that forgets its community predicate
 * then finds nothing of another community instead of its rows.
 *
 * - Work done for a community (a signed-in user's or till's operation, a
 *   group of the posting path) runs inside `withinCommunity(id, ...)`.
 *   Every connection it takes from TypeORM's pool is set to that community
 *   before its first statement (`SELECT set_config(..., false)`, one round
 *   trip, only when the connection was last set to something else).
 * - Everything else (sign-in, the admin, public pages read by slug, the
 *   schedulers) runs with the setting empty, which the policies read as
 *   "every community": the services' own predicates are then the only check.
 * - Code that sets the setting itself for its own transaction (the posting
 *   path folds it into its BEGIN) takes its connection inside
 *   `settingItself(...)`, so that no round trip is spent on it.
 */
export const COMMUNITY_SETTING = 'mutua.community_id';

interface Scope {
  communityId: string;
  /** The caller sets the community itself, transaction-local: leave the connection alone. */
  managed?: boolean;
}

const storage = new AsyncLocalStorage<Scope>();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Runs `work` as work of one community: its queries see only that community's rows. */
export function withinCommunity<T>(communityId: string, work: () => T): T {
  if (!UUID.test(communityId)) throw new Error(`not a community id: ${communityId}`);
  return storage.run({ communityId }, work);
}

/** Runs `work` as nobody's community (every row visible to the policies). */
export function withoutCommunity<T>(work: () => T): T {
  return storage.run({ communityId: '' }, work);
}

/** Takes a connection for a transaction that sets the community itself. */
export function settingItself<T>(work: () => T): T {
  return storage.run({ communityId: '', managed: true }, work);
}

/**
 * `BEGIN` followed by the transaction-local setting, as one simple-protocol
 * message: one round trip, as BEGIN alone.
 */
export function beginForCommunity(communityId: string): string {
  if (!UUID.test(communityId)) throw new Error(`not a community id: ${communityId}`);
  return `BEGIN; SELECT set_config('${COMMUNITY_SETTING}', '${communityId}', true)`;
}

interface PgClient {
  query(text: string, values?: unknown[]): Promise<unknown>;
}

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
      const wanted = scope?.communityId ?? '';
      if ((settingOf.get(client) ?? '') === wanted) return [client, release];
      try {
        await client.query('SELECT set_config($1, $2, false)', [COMMUNITY_SETTING, wanted]);
      } catch (error) {
        release(error);
        throw error;
      }
      settingOf.set(client, wanted);
      return [client, release];
    };
  }
  return dataSource;
}
