import { Client } from 'pg';
import { entryHash, GENESIS_HASH } from '../../src/ledger/hash-chain';
import { cloneRows, seededUuidSql } from '../lib/database';
import { GraphQLClient } from '../lib/graphql';
import { progress } from '../lib/progress';
import { Community, OPEN_ACCOUNT, SEED_KIND } from './community';

/**
 * The data of the report benchmark, in its own currency (RPT) of the
 * benchmark community:
 *
 * - the statement account: a member account with `entries` entries, from as
 *   many transfers of 1.00 that alternate between it and a counterparty
 *   member account (odd transfers leave it, even ones come back), one second
 *   apart, ending a minute ago;
 * - `accounts` more member accounts, paired off: in each pair the first pays
 *   the second 1.00 once, at times spread over the same period.
 *
 * The currency and the two main accounts are made through the API; the rest
 * is SQL, because a million transfers through any API take longer than the
 * whole benchmark may. The rows are complete and valid Mutua rows:
 * transfers are copies of a real posted transfer with their own ids, keys,
 * amounts and legs; entries carry correct sequences, running balances and
 * the real hash chain of src/ledger/hash-chain.ts, computed by PostgreSQL's
 * sha256() with the same encoding (checked below against the TypeScript
 * function); account balances, entry counts and chain heads match the
 * newest entries, so `verifyLedger(currencyCode: "RPT")` finds nothing wrong.
 */

export const REPORT_CURRENCY = 'RPT';
/** Seeded ids of the paired accounts, apart from the member accounts'. */
const PAIR_ACCOUNT_KIND = 4;
const AMOUNT_MINOR = 100;

export interface ReportData {
  statementAccountId: string;
  counterpartyAccountId: string;
  /** Instant of the statement account's entry `sequence`. */
  postedAt: (sequence: number) => Date;
  entries: number;
  accounts: number;
  /** Every account of the currency, its ISSUANCE account included. */
  totalAccounts: number;
}

const CREATE_CURRENCY = `mutation CreateCurrency($input: CreateCurrencyInput!) {
  createCurrency(input: $input) { code }
}`;
const TRANSFER = `mutation Transfer($input: TransferInput!) { transfer(input: $input) { id } }`;

export async function seedReportData(options: {
  steward: GraphQLClient;
  client: Client;
  community: Community;
  entries: number;
  accounts: number;
  members: number;
}): Promise<ReportData> {
  const { steward, client, community, entries, accounts } = options;
  await steward.execute(CREATE_CURRENCY, {
    input: {
      code: REPORT_CURRENCY,
      name: 'Report hours',
      kind: 'TIME',
      scale: 2,
      policy: { mode: 'MUTUAL_CREDIT', defaultFloor: '-1000000' },
    },
  });
  const open = async (ownerId: string, name: string): Promise<string> => {
    const opened = await steward.execute<{ openAccount: { id: string } }>(OPEN_ACCOUNT, {
      input: { currencyCode: REPORT_CURRENCY, kind: 'MEMBER', ownerId, name },
    });
    return opened.openAccount.id;
  };
  // The counterparty belongs to the first copied member.
  const counterpartyOwner = (
    await client.query<{ id: string }>(`SELECT ${seededUuidSql(SEED_KIND.user, '1')}::text AS id`)
  ).rows[0].id;
  const statementAccountId = await open(community.memberUserId, 'statement account');
  const counterpartyAccountId = await open(counterpartyOwner, 'counterparty');
  const template = await templateTransfer(steward, client, community);

  // Whole seconds, because the API and the hash carry milliseconds only.
  const baseMs = Math.floor(Date.now() / 1000) * 1000 - (entries + 60) * 1000;
  const base = new Date(baseMs).toISOString();
  const literal = (value: string): string => client.escapeLiteral(value);
  const communityId = literal(community.communityId);
  const statementAccount = literal(statementAccountId);
  const counterparty = literal(counterpartyAccountId);
  const pairs = Math.floor(accounts / 2);
  const pairAccount = (index: string): string => seededUuidSql(PAIR_ACCOUNT_KIND, index);
  const transferId = (index: string): string => seededUuidSql(SEED_KIND.transfer, index);
  const postedAtSql = (seconds: string): string =>
    `(${literal(base)}::timestamptz + (${seconds}) * interval '1 second')`;
  const isoSql = (instant: string): string =>
    `to_char(${instant} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  // Pair j's transfer is transfer `entries + j`, spread over the same period.
  const pairSeconds = (pair: string): string =>
    `((${pair}) * ${entries}::bigint / ${Math.max(pairs, 1)})`;

  let stepStarted = Date.now();
  let stepName = 'start';
  const step = (next: string): void => {
    progress(
      `  seeded ${stepName} in ${((Date.now() - stepStarted) / 1000).toFixed(1)} s; next: ${next}`,
    );
    stepName = next;
    stepStarted = Date.now();
  };
  // Memory for this loading session only (the server's settings stay as they
  // are), so that the index builds sort in memory.
  await client.query(`SET maintenance_work_mem = '512MB'`);
  await client.query(`SET work_mem = '256MB'`);
  await client.query('BEGIN');
  try {
    // Bulk-load mode for this transaction only: no foreign-key checks and no
    // triggers, as when a dump is restored. The rows are valid by construction
    // (a run with the checks on and verifyLedger afterwards reports no
    // problem), and the checks would cost minutes for two million rows.
    await client.query(`SET LOCAL session_replication_role = replica`);
    step('accounts');
    await cloneRows(client, {
      table: 'accounts',
      template: 't.community_id = $1 AND t.id = $2',
      templateParams: [community.communityId, statementAccountId],
      overrides: {
        id: pairAccount('i'),
        owner_id: seededUuidSql(SEED_KIND.user, `1 + (i - 1) % ${options.members - 1}`),
        name: `'pair account ' || i`,
      },
      count: accounts,
    });

    const fromSql = `CASE WHEN i <= ${entries} THEN CASE WHEN i % 2 = 1 THEN ${statementAccount} ELSE ${counterparty} END::uuid ELSE ${pairAccount(`2 * (i - ${entries}) - 1`)} END`;
    const toSql = `CASE WHEN i <= ${entries} THEN CASE WHEN i % 2 = 1 THEN ${counterparty} ELSE ${statementAccount} END::uuid ELSE ${pairAccount(`2 * (i - ${entries})`)} END`;
    const instantSql = postedAtSql(
      `CASE WHEN i <= ${entries} THEN i ELSE ${pairSeconds(`i - ${entries}`)} END`,
    );
    // Secondary indexes are built once after the load instead of row by row
    // during it, as a restore does; the same definitions come back below.
    const secondaryIndexes = await client.query<{ indexname: string; indexdef: string }>(
      `SELECT indexname, indexdef FROM pg_indexes
       WHERE schemaname = 'public' AND tablename IN ('transfers', 'entries')
         AND indexname NOT IN (SELECT conname FROM pg_constraint)`,
    );
    for (const index of secondaryIndexes.rows) {
      await client.query(`DROP INDEX ${client.escapeIdentifier(index.indexname)}`);
    }

    step('transfers');
    await cloneRows(client, {
      table: 'transfers',
      template: 't.community_id = $1 AND t.id = $2',
      templateParams: [community.communityId, template],
      overrides: {
        id: transferId('i'),
        currency_code: literal(REPORT_CURRENCY),
        kind: `'EXCHANGE'`,
        status: `'POSTED'`,
        amount_minor: String(AMOUNT_MINOR),
        from_account_id: fromSql,
        to_account_id: toSql,
        memo: `'seeded transfer ' || i`,
        initiated_by: literal(community.stewardId),
        idempotency_key: `'report-seed-' || lpad(i::text, 10, '0')`,
        request_fingerprint: `lpad(to_hex(i), 64, '0')`,
        legs: `jsonb_build_array(
          jsonb_build_object('accountId', ${fromSql}, 'amountMinor', '${-AMOUNT_MINOR}'),
          jsonb_build_object('accountId', ${toSql}, 'amountMinor', '${AMOUNT_MINOR}'))`,
        reversal_of: 'NULL',
        forced: 'false',
        warnings: `'{}'`,
        created_at: instantSql,
        expires_at: 'NULL',
        posted_at: instantSql,
        finished_at: 'NULL',
      },
      count: entries + pairs,
    });

    const entryColumns = `community_id, account_id, sequence, transfer_id, amount_minor,
      balance_after_minor, total_in_minor, total_out_minor, posted_at, hash`;
    step('entries of the two long chains');
    // One link per row: each hash covers the previous one.
    for (const [account, sign] of [
      [statementAccount, -1],
      [counterparty, 1],
    ] as const) {
      const amount = `CASE WHEN (c.k + 1) % 2 = 1 THEN ${sign * AMOUNT_MINOR} ELSE ${-sign * AMOUNT_MINOR} END`;
      const balance = `CASE WHEN (c.k + 1) % 2 = 1 THEN ${sign * AMOUNT_MINOR} ELSE 0 END`;
      await client.query(`
        WITH RECURSIVE chain (k, transfer_id, amount_minor, balance_after_minor, posted_at, hash) AS (
          SELECT 0::bigint, NULL::uuid, 0::bigint, 0::bigint, NULL::timestamptz, ${literal(GENESIS_HASH)}::text
          UNION ALL
          SELECT c.k + 1, link.transfer_id, link.amount_minor, link.balance_after_minor, link.posted_at,
            encode(sha256(convert_to(concat_ws(E'\\n', 'mutua-entry-v1', c.hash, ${communityId}, ${account},
              (c.k + 1)::text, link.transfer_id::text, link.amount_minor::text,
              link.balance_after_minor::text, ${isoSql('link.posted_at')}), 'UTF8')), 'hex')
          FROM chain c,
            LATERAL (SELECT ${transferId('c.k + 1')} AS transfer_id, (${amount})::bigint AS amount_minor,
              (${balance})::bigint AS balance_after_minor, ${postedAtSql('c.k + 1')} AS posted_at) link
          WHERE c.k < ${entries}
        )
        INSERT INTO entries (${entryColumns})
        SELECT ${communityId}, ${account}::uuid, k, transfer_id, amount_minor, balance_after_minor,
          -- Odd entries move the sign's way, even ones back: the running totals in and out.
          ${sign > 0 ? '(k + 1) / 2' : 'k / 2'} * ${AMOUNT_MINOR},
          ${sign > 0 ? 'k / 2' : '(k + 1) / 2'} * ${AMOUNT_MINOR},
          posted_at, hash
        FROM chain WHERE k > 0`);
    }
    step('entries of the pairs');
    // One entry per account, so each chain is one link from the genesis hash.
    await client.query(`
      INSERT INTO entries (${entryColumns})
      SELECT ${communityId}, leg.account_id, 1, leg.transfer_id, leg.amount_minor, leg.amount_minor,
        GREATEST(leg.amount_minor, 0), GREATEST(-leg.amount_minor, 0), leg.posted_at,
        encode(sha256(convert_to(concat_ws(E'\\n', 'mutua-entry-v1', ${literal(GENESIS_HASH)}, ${communityId},
          leg.account_id::text, '1', leg.transfer_id::text, leg.amount_minor::text, leg.amount_minor::text,
          ${isoSql('leg.posted_at')}), 'UTF8')), 'hex')
      FROM generate_series(1, ${pairs}) AS j,
        LATERAL (VALUES
          (${pairAccount('2 * j - 1')}, ${transferId(`${entries} + j`)}, ${-AMOUNT_MINOR}::bigint, ${postedAtSql(pairSeconds('j'))}),
          (${pairAccount('2 * j')}, ${transferId(`${entries} + j`)}, ${AMOUNT_MINOR}::bigint, ${postedAtSql(pairSeconds('j'))})
        ) AS leg (account_id, transfer_id, amount_minor, posted_at)`);

    await checkHashesAgree(client, community.communityId, statementAccountId);

    // Each account's balance, entry count and chain head are those of its
    // newest entry: number `entries` of the two long chains, the only one of
    // a pair account.
    step('account heads');
    await client.query(
      `UPDATE accounts a
       SET balance_minor = e.balance_after_minor, entry_count = e.sequence,
           total_in_minor = e.total_in_minor, total_out_minor = e.total_out_minor,
           last_hash = e.hash, created_at = $6, updated_at = now()
       FROM entries e
       WHERE a.community_id = $1 AND a.currency_code = $5
         AND e.community_id = $1 AND e.account_id = a.id
         AND e.sequence = CASE WHEN a.id IN ($2, $3) THEN $4 ELSE 1 END`,
      [
        community.communityId,
        statementAccountId,
        counterpartyAccountId,
        entries,
        REPORT_CURRENCY,
        // Opened just before their first entry, not when the seed ran.
        new Date(baseMs).toISOString(),
      ],
    );
    step('indexes');
    for (const index of secondaryIndexes.rows) await client.query(index.indexdef);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
  step('vacuum');
  await client.query('VACUUM ANALYZE accounts');
  await client.query('VACUUM ANALYZE transfers');
  await client.query('VACUUM ANALYZE entries');
  // Written out now, so that the checkpoint of two million new rows does not
  // run in the background while the reports are timed.
  step('checkpoint');
  await client.query('CHECKPOINT');
  step('done');

  const counted = await client.query<{ count: number }>(
    'SELECT count(*)::int AS count FROM accounts WHERE community_id = $1 AND currency_code = $2',
    [community.communityId, REPORT_CURRENCY],
  );
  return {
    totalAccounts: counted.rows[0].count,
    statementAccountId,
    counterpartyAccountId,
    postedAt: (sequence) => new Date(baseMs + sequence * 1000),
    entries,
    accounts,
  };
}

/** A posted transfer of the community to copy; one is made when none exists yet. */
async function templateTransfer(
  steward: GraphQLClient,
  client: Client,
  community: Community,
): Promise<string> {
  const found = await client.query<{ id: string }>(
    `SELECT id FROM transfers WHERE community_id = $1 AND status = 'POSTED' AND kind = 'EXCHANGE' LIMIT 1`,
    [community.communityId],
  );
  if (found.rows.length > 0) return found.rows[0].id;
  const made = await steward.execute<{ transfer: { id: string } }>(TRANSFER, {
    input: {
      fromAccountId: community.memberAccountIds[0],
      toAccountId: community.memberAccountIds[1],
      amount: '0.01',
      kind: 'EXCHANGE',
      idempotencyKey: 'report-template',
    },
  });
  return made.transfer.id;
}

/** Fails unless PostgreSQL hashed the first two links exactly as src/ledger/ does. */
async function checkHashesAgree(
  client: Client,
  communityId: string,
  accountId: string,
): Promise<void> {
  const rows = await client.query<{
    sequence: string;
    transfer_id: string;
    amount_minor: string;
    balance_after_minor: string;
    posted_at: Date;
    hash: string;
  }>(
    `SELECT sequence::text, transfer_id::text, amount_minor::text, balance_after_minor::text, posted_at, hash
     FROM entries WHERE community_id = $1 AND account_id = $2 AND sequence <= 2 ORDER BY sequence`,
    [communityId, accountId],
  );
  let previous = GENESIS_HASH;
  for (const row of rows.rows) {
    const expected = entryHash(previous, {
      communityId,
      accountId,
      sequence: Number(row.sequence),
      transferId: row.transfer_id,
      amountMinor: BigInt(row.amount_minor),
      balanceAfterMinor: BigInt(row.balance_after_minor),
      postedAt: row.posted_at,
    });
    if (expected !== row.hash) {
      throw new Error(
        `the seeded hash of entry ${row.sequence} differs from src/ledger/hash-chain.ts (${row.hash} vs ${expected})`,
      );
    }
    previous = row.hash;
  }
}
