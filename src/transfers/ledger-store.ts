import { beginForCommunity, settingItself } from '../common/database/tenancy';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { retryTransient } from '../common/database/retry';
import {
  AccountDirectory,
  AccountSnapshot,
  accountsToLock,
  CommandResult,
  CurrencySnapshot,
  groupKeys,
  GroupPlan,
  keyOf,
  LedgerSnapshot,
  planGroup,
  PlannedTransfer,
  PostingCommand,
  readPolicy,
  referencedTransferIds,
  snapshotDirectory,
  StoredPolicyRules,
  StoredTransfer,
  TransferRecord,
  TransferStatus,
} from '../ledger';
import { LedgerDirectory, Query, UUID } from './ledger-directory';
import { TransferEntity, TransferKind, TransferStatusEnum } from './transfer.entity';

/**
 * The posting path's SQL: every statement that writes accounts, transfers
 * and entries, and the reads that give the planner its snapshot. Values are
 * always bound parameters.
 *
 * One group of commands is one transaction of four statements at most, plus
 * BEGIN and COMMIT when the store owns the transaction:
 *
 * 1. only when the group settles or reverses transfers: those transfers,
 *    locked in id order (pending transfers are always locked before their
 *    accounts, here and in a fund's vote, so that the two never deadlock);
 * 2. the snapshot, in one statement: the accounts the group needs, locked in
 *    id order (ORDER BY id FOR UPDATE), with their owners' names and, where a
 *    daily outflow limit applies, their total out at the start of the window;
 *    the newest policy of their currencies; the transfers already made with
 *    the group's idempotency keys; which of the referenced transfers were
 *    reversed; and pending transfers past their deadline on those accounts,
 *    locked unless someone else holds them;
 * 3. only when the policy read under the locks names an account the group
 *    had not asked for (a fee account changed a moment ago): that account;
 * 4. the write, in one statement: new transfers, settled transfers, entries
 *    and the new state of every account touched, as parallel arrays
 *    unnested. The database's triggers check the entries again.
 *
 * Which accounts to lock is decided before anything is read from what the
 * directory remembers (ledger-directory.ts), and checked again against the
 * policy read under the locks. Idempotency keys read in the snapshot may
 * miss a key another server process commits at the same moment; the
 * unique index on keys then refuses the write, and the posting queue posts
 * that group's commands again one by one, which finds the key.
 */

/** Where the store's statements run: a connection of its own, or a caller's transaction. */
interface Sql {
  query<T>(text: string, values: unknown[]): Promise<T[]>;
}

interface PgClient {
  query(
    query: string | { name: string; text: string; values: unknown[] },
    values?: unknown[],
  ): Promise<{ rows: unknown[] }>;
}

/**
 * Statements of the posting path are prepared once per connection, under a
 * name derived from their text: PostgreSQL then parses and analyses each of
 * them once, not at every group. The write statement has a few shapes (with
 * or without settlements, entries...), each its own prepared statement.
 */
const statementNames = new Map<string, string>();

function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `mutua_ledger_${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
    statementNames.set(text, name);
  }
  return name;
}

export interface GroupResult {
  results: CommandResult[];
}

const TRANSFER_JSON = `json_build_object(
  'id', t.id, 'currency_code', t.currency_code, 'kind', t.kind, 'status', t.status,
  'amount_minor', t.amount_minor::text, 'from_account_id', t.from_account_id,
  'to_account_id', t.to_account_id, 'memo', t.memo, 'initiated_by', t.initiated_by,
  'idempotency_key', t.idempotency_key, 'request_fingerprint', t.request_fingerprint,
  'legs', t.legs, 'reversal_of', t.reversal_of, 'forced', t.forced, 'warnings', t.warnings,
  'created_at', t.created_at, 'expires_at', t.expires_at, 'posted_at', t.posted_at,
  'finished_at', t.finished_at, 'policy_version', t.policy_version,
  'payment_request_id', t.payment_request_id, 'refund_of', t.refund_of)`;

const ACCOUNT_JSON = `json_build_object(
  'id', l.id, 'currency_code', l.currency_code, 'kind', l.kind, 'name', l.name,
  'owner_id', l.owner_id, 'owner_name', u.display_name, 'status', l.status,
  'floor_minor', l.floor_minor::text, 'ceiling_minor', l.ceiling_minor::text,
  'warning_minor', l.warning_minor::text, 'balance_minor', l.balance_minor::text,
  'pending_debit_minor', l.pending_debit_minor::text,
  'pending_credit_minor', l.pending_credit_minor::text, 'received_minor', l.received_minor::text,
  'total_in_minor', l.total_in_minor::text, 'total_out_minor', l.total_out_minor::text,
  'entry_count', l.entry_count::text, 'last_hash', l.last_hash,
  'window_start_out_minor', CASE WHEN p.rules ->> 'dailyOutflowLimitMinor' IS NULL THEN NULL
    ELSE coalesce((SELECT e.total_out_minor FROM entries e
                    WHERE e.community_id = l.community_id AND e.account_id = l.id AND e.posted_at <= $WINDOW
                    ORDER BY e.posted_at DESC, e.sequence DESC LIMIT 1), 0)::text END)`;

/** $1 community, $2 account ids, $3 further currency codes, $4/$5 key owners and keys, $6 now, $7 window start, $8 reversed ids. */
const SNAPSHOT_SQL = `
WITH locked AS MATERIALIZED (
  SELECT a.* FROM accounts a
   WHERE a.community_id = $1 AND a.id = ANY($2::uuid[])
   ORDER BY a.id
   FOR UPDATE
),
policies AS MATERIALIZED (
  SELECT DISTINCT ON (cp.currency_code) cp.currency_code, cp.version, cp.rules
    FROM currency_policies cp
   WHERE cp.community_id = $1
     AND cp.currency_code IN (SELECT currency_code FROM locked UNION SELECT unnest($3::varchar[]))
   ORDER BY cp.currency_code, cp.version DESC
),
due AS MATERIALIZED (
  SELECT t.* FROM transfers t
   WHERE t.status = 'PENDING' AND t.expires_at <= $6 AND t.community_id = $1
     AND (t.from_account_id IN (SELECT id FROM locked) OR t.to_account_id IN (SELECT id FROM locked))
   ORDER BY t.id
   LIMIT 100
   FOR UPDATE SKIP LOCKED
)
SELECT
  (SELECT coalesce(json_agg(${ACCOUNT_JSON.replace('$WINDOW', '$7')} ORDER BY l.id), '[]'::json)
     FROM locked l
     LEFT JOIN users u ON u.community_id = l.community_id AND u.id = l.owner_id
     LEFT JOIN policies p ON p.currency_code = l.currency_code) AS accounts,
  (SELECT coalesce(json_agg(json_build_object('code', p.currency_code, 'version', p.version, 'rules', p.rules)), '[]'::json)
     FROM policies p) AS policies,
  (SELECT coalesce(json_agg(${TRANSFER_JSON}), '[]'::json)
     FROM transfers t
    WHERE t.community_id = $1
      AND (t.initiated_by, t.idempotency_key) IN (SELECT * FROM unnest($4::uuid[], $5::varchar[]))) AS keyed,
  (SELECT coalesce(json_agg(t.reversal_of), '[]'::json)
     FROM transfers t WHERE t.community_id = $1 AND t.reversal_of = ANY($8::uuid[])) AS reversed,
  (SELECT coalesce(json_agg(${TRANSFER_JSON}), '[]'::json) FROM due t) AS due`;

/** $1 community, $2 account ids, $3 window start: accounts locked after the snapshot. */
const MORE_ACCOUNTS_SQL = `
WITH locked AS MATERIALIZED (
  SELECT a.* FROM accounts a
   WHERE a.community_id = $1 AND a.id = ANY($2::uuid[])
   ORDER BY a.id
   FOR UPDATE
),
policies AS MATERIALIZED (
  SELECT DISTINCT ON (cp.currency_code) cp.currency_code, cp.version, cp.rules
    FROM currency_policies cp
   WHERE cp.community_id = $1 AND cp.currency_code IN (SELECT currency_code FROM locked)
   ORDER BY cp.currency_code, cp.version DESC
)
SELECT coalesce(json_agg(${ACCOUNT_JSON.replace('$WINDOW', '$3')} ORDER BY l.id), '[]'::json) AS accounts
  FROM locked l
  LEFT JOIN users u ON u.community_id = l.community_id AND u.id = l.owner_id
  LEFT JOIN policies p ON p.currency_code = l.currency_code`;

const REFERENCED_SQL = `
SELECT ${TRANSFER_JSON} AS transfer FROM transfers t
 WHERE t.community_id = $1 AND t.id = ANY($2::uuid[])
 ORDER BY t.id
 FOR UPDATE`;

/** The window of the daily outflow limit. */
const DAILY_WINDOW_MS = 24 * 3600 * 1000;

/** A transfer row's recorded fields (what its digest covers), as JSON from PostgreSQL. */
export interface TransferRecordJson {
  currency_code: string;
  kind: string;
  amount_minor: string;
  from_account_id: string;
  to_account_id: string;
  legs: Array<{ accountId: string; amountMinor: string }>;
  memo: string | null;
  initiated_by: string;
  idempotency_key: string;
  request_fingerprint: string;
  reversal_of: string | null;
  forced: boolean;
  created_at: string;
  expires_at: string | null;
  policy_version: number | null;
  payment_request_id: string | null;
  refund_of: string | null;
}

/** A whole transfer row: its record and its state. */
interface TransferJson extends TransferRecordJson {
  id: string;
  status: TransferStatus;
  warnings: string[] | null;
  posted_at: string | null;
  finished_at: string | null;
}

interface AccountJson {
  id: string;
  currency_code: string;
  kind: AccountSnapshot['kind'];
  name: string;
  owner_id: string | null;
  owner_name: string | null;
  status: AccountSnapshot['status'];
  floor_minor: string | null;
  ceiling_minor: string | null;
  warning_minor: string | null;
  balance_minor: string;
  pending_debit_minor: string;
  pending_credit_minor: string;
  received_minor: string;
  total_in_minor: string;
  total_out_minor: string;
  entry_count: string;
  last_hash: string;
  window_start_out_minor: string | null;
}

interface SnapshotRow {
  accounts: AccountJson[];
  policies: Array<{ code: string; version: number; rules: StoredPolicyRules }>;
  keyed: TransferJson[];
  reversed: string[];
  due: TransferJson[];
}

@Injectable()
export class LedgerStore {
  private readonly logger = new Logger(LedgerStore.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    readonly directory: LedgerDirectory,
  ) {}

  /**
   * Plans and writes a group of commands in a transaction of its own,
   * retried whole on a serialization failure or deadlock. Any other failure
   * is thrown, and nothing of the group was written.
   */
  postGroup(communityId: string, commands: readonly PostingCommand[]): Promise<GroupResult> {
    return retryTransient('a group of ledger commands', this.logger, () =>
      this.inOwnTransaction(communityId, (sql) => this.run(sql, communityId, commands)),
    );
  }

  /**
   * Plans and writes commands inside a transaction the caller owns (a fund's
   * vote that settles a disbursement under its own locks). Neither retries
   * nor commits: the caller retries its whole transaction.
   */
  postWithin(
    manager: EntityManager,
    communityId: string,
    commands: readonly PostingCommand[],
  ): Promise<GroupResult> {
    return this.run(
      { query: <T>(text: string, values: unknown[]) => manager.query<T[]>(text, values) },
      communityId,
      commands,
    );
  }

  /**
   * One community's transaction: the row-level security setting goes with
   * BEGIN, in the same message (src/common/database/tenancy.ts).
   */
  private async inOwnTransaction<T>(
    communityId: string,
    work: (sql: Sql) => Promise<T>,
  ): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    const client = (await settingItself(() => runner.connect())) as PgClient;
    let open = false;
    try {
      // Open from here: should the setting fail after BEGIN, ROLLBACK ends it.
      open = true;
      await client.query(beginForCommunity(communityId));
      const result = await work({
        query: async <R>(text: string, values: unknown[]) =>
          (await client.query({ name: statementName(text), text, values })).rows as R[],
      });
      await client.query('COMMIT');
      open = false;
      return result;
    } catch (error) {
      if (open) await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  private async run(
    sql: Sql,
    communityId: string,
    commands: readonly PostingCommand[],
  ): Promise<GroupResult> {
    const referenced = await this.lockReferenced(sql, communityId, commands);
    const directory = await this.directoryFor(sql, communityId, commands, referenced);
    const wanted = accountsToLock(commands, directory);
    const before = Date.now();
    const windowStart = new Date(before - DAILY_WINDOW_MS);
    let snapshot = await this.snapshot(sql, communityId, commands, wanted, referenced, windowStart);
    // The policy read under the locks may name an account the directory did not know of.
    for (let round = 0; round < 2; round += 1) {
      const missing = [...accountsToLock(commands, snapshotDirectory(snapshot))].filter(
        (id) => !snapshot.requestedAccountIds.has(id),
      );
      if (missing.length === 0) break;
      snapshot = await this.lockMore(sql, communityId, snapshot, missing, windowStart);
    }
    const plan = planGroup(snapshot, commands, randomUUID);
    await this.write(sql, communityId, plan);
    return { results: plan.results };
  }

  private async lockReferenced(
    sql: Sql,
    communityId: string,
    commands: readonly PostingCommand[],
  ): Promise<Map<string, StoredTransfer>> {
    const ids = [...new Set(commands.flatMap(referencedTransferIds))].filter((id) => UUID.test(id));
    const referenced = new Map<string, StoredTransfer>();
    if (ids.length === 0) return referenced;
    const rows = await sql.query<{ transfer: TransferJson }>(REFERENCED_SQL, [communityId, ids]);
    for (const row of rows)
      referenced.set(row.transfer.id, storedTransfer(communityId, row.transfer));
    return referenced;
  }

  /** What the directory remembers, loaded for every account the group may touch. */
  private async directoryFor(
    sql: Sql,
    communityId: string,
    commands: readonly PostingCommand[],
    referenced: ReadonlyMap<string, StoredTransfer>,
  ): Promise<AccountDirectory> {
    const named = new Set<string>();
    const currencyCodes = new Set<string>();
    for (const command of commands) {
      for (const id of accountsToLock([command], emptyDirectory(referenced))) named.add(id);
      if (command.type === 'RESERVE_DEPOSIT') currencyCodes.add(command.currencyCode);
    }
    const query: Query = (text, values) => sql.query(text, values);
    await this.directory.load(communityId, [...named], query);
    await this.directory.loadCurrencies(communityId, [...currencyCodes], query);
    return {
      currencyOf: (accountId) => this.directory.currencyOf(communityId, accountId),
      currency: (code) => this.directory.currency(communityId, code),
      transfer: (id) => referenced.get(id),
    };
  }

  private async snapshot(
    sql: Sql,
    communityId: string,
    commands: readonly PostingCommand[],
    accountIds: ReadonlySet<string>,
    referenced: ReadonlyMap<string, StoredTransfer>,
    windowStart: Date,
  ): Promise<LedgerSnapshot> {
    const ids = [...accountIds].filter((id) => UUID.test(id));
    const keys = groupKeys(commands);
    const extraCurrencies = commands.flatMap((command) =>
      command.type === 'RESERVE_DEPOSIT' ? [command.currencyCode] : [],
    );
    const reversalTargets = commands.flatMap((command) =>
      command.type === 'REVERSE' && UUID.test(command.transferId) ? [command.transferId] : [],
    );
    const now = new Date();
    const [row] = await sql.query<SnapshotRow>(SNAPSHOT_SQL, [
      communityId,
      ids,
      extraCurrencies,
      keys.map((key) => key.userId),
      keys.map((key) => key.key),
      now.toISOString(),
      windowStart.toISOString(),
      reversalTargets,
    ]);
    // Taken after the locks: what this group writes is later than what it waited for.
    const plannedAt = new Date(Math.max(Date.now(), now.getTime()));
    const accounts = new Map(row.accounts.map((account) => [account.id, accountSnapshot(account)]));
    const currencies = await this.currencies(
      sql,
      communityId,
      accounts,
      row.policies,
      extraCurrencies,
    );
    return {
      communityId,
      now: plannedAt,
      accounts,
      requestedAccountIds: new Set(accountIds),
      currencies,
      keyed: new Map(
        row.keyed.map((transfer) => [
          keyOf(transfer.initiated_by, transfer.idempotency_key),
          storedTransfer(communityId, transfer),
        ]),
      ),
      referenced,
      reversed: new Set(row.reversed),
      dueHolds: row.due.map((transfer) => storedTransfer(communityId, transfer)),
    };
  }

  private async lockMore(
    sql: Sql,
    communityId: string,
    snapshot: LedgerSnapshot,
    missing: string[],
    windowStart: Date,
  ): Promise<LedgerSnapshot> {
    const ids = missing.filter((id) => UUID.test(id));
    const [row] = await sql.query<{ accounts: AccountJson[] }>(MORE_ACCOUNTS_SQL, [
      communityId,
      ids,
      windowStart.toISOString(),
    ]);
    const accounts = new Map(snapshot.accounts);
    for (const account of row.accounts) accounts.set(account.id, accountSnapshot(account));
    // The policies were read under the first locks; a newly locked account of another
    // currency (never the case for the accounts a policy names) takes what the directory knows.
    const currencies = new Map(snapshot.currencies);
    const codes = [...accounts.values()]
      .map((account) => account.currencyCode)
      .filter((code) => !currencies.has(code));
    await this.directory.loadCurrencies(communityId, codes, (text, values) =>
      sql.query(text, values),
    );
    for (const code of codes) {
      const known = this.directory.currency(communityId, code);
      if (known !== undefined) currencies.set(code, { ...known });
    }
    return {
      ...snapshot,
      accounts,
      requestedAccountIds: new Set([...snapshot.requestedAccountIds, ...missing]),
      currencies,
    };
  }

  /**
   * The currencies of the locked accounts and the reserves behind them: scale
   * and ISSUANCE account from the directory, the policy as read under the locks.
   */
  private async currencies(
    sql: Sql,
    communityId: string,
    accounts: ReadonlyMap<string, AccountSnapshot>,
    policies: ReadonlyArray<{ code: string; version: number; rules: StoredPolicyRules }>,
    extraCodes: readonly string[],
  ): Promise<Map<string, CurrencySnapshot>> {
    const readPolicies = new Map(
      policies.map((entry) => [entry.code, readPolicy(entry.version, entry.rules)] as const),
    );
    const codes = new Set([
      ...[...accounts.values()].map((account) => account.currencyCode),
      ...extraCodes,
    ]);
    for (const policy of readPolicies.values()) {
      if (policy.backing !== null) codes.add(policy.backing.reserveCurrencyCode);
    }
    await this.directory.loadCurrencies(communityId, [...codes], (text, values) =>
      sql.query(text, values),
    );
    const currencies = new Map<string, CurrencySnapshot>();
    for (const code of codes) {
      const known = this.directory.currency(communityId, code);
      if (known === undefined) continue;
      const policy = readPolicies.get(code) ?? null;
      if (policy !== null && (known.policy === null || known.policy.version < policy.version)) {
        // Remember the newer policy, so that the next group asks for the right accounts.
        this.directory.remember(communityId, {
          code,
          scale: known.scale,
          issuance_account_id: known.issuanceAccountId,
          version: policy.version,
          rules: policies.find((entry) => entry.code === code)!.rules,
        });
      }
      currencies.set(code, {
        code,
        scale: known.scale,
        issuanceAccountId: known.issuanceAccountId,
        policy,
      });
    }
    return currencies;
  }

  /** Writes a group's rows in one statement (see the top of this file). */
  private async write(sql: Sql, communityId: string, plan: GroupPlan): Promise<void> {
    const parameters: unknown[] = [communityId];
    const unnest = <R>(
      rows: readonly R[],
      alias: string,
      columns: Array<[string, string, (row: R) => unknown]>,
    ): string => {
      const arrays = columns.map(([, type, value]) => {
        parameters.push(rows.map(value));
        return `$${parameters.length}::${type}[]`;
      });
      return `unnest(${arrays.join(', ')}) AS ${alias}(${columns.map(([name]) => name).join(', ')})`;
    };
    const iso = (date: Date | null) => date?.toISOString() ?? null;
    const parts: string[] = [];
    if (plan.inserts.length > 0) {
      const columns: Array<[string, string, (row: PlannedTransfer) => unknown]> = [
        ['id', 'uuid', (row) => row.record.id],
        ['currency_code', 'varchar', (row) => row.record.currencyCode],
        ['kind', 'varchar', (row) => row.record.kind],
        ['status', 'varchar', (row) => row.status],
        ['amount_minor', 'bigint', (row) => row.record.amountMinor.toString()],
        ['from_account_id', 'uuid', (row) => row.record.fromAccountId],
        ['to_account_id', 'uuid', (row) => row.record.toAccountId],
        ['memo', 'varchar', (row) => row.record.memo],
        ['initiated_by', 'uuid', (row) => row.record.initiatedBy],
        ['idempotency_key', 'varchar', (row) => row.record.idempotencyKey],
        ['request_fingerprint', 'char(64)', (row) => row.record.requestFingerprint],
        [
          'legs',
          'jsonb',
          (row) =>
            JSON.stringify(
              row.record.legs.map((leg) => ({
                accountId: leg.accountId,
                amountMinor: leg.amountMinor.toString(),
              })),
            ),
        ],
        ['reversal_of', 'uuid', (row) => row.record.reversalOf],
        ['forced', 'boolean', (row) => row.record.forced],
        ['warnings', 'jsonb', (row) => JSON.stringify(row.warnings)],
        ['created_at', 'timestamptz', (row) => iso(row.record.createdAt)],
        ['expires_at', 'timestamptz', (row) => iso(row.record.expiresAt)],
        ['posted_at', 'timestamptz', (row) => iso(row.postedAt)],
        ['policy_version', 'integer', (row) => row.record.policyVersion],
        ['payment_request_id', 'uuid', (row) => row.record.links?.paymentRequestId ?? null],
        ['refund_of', 'uuid', (row) => row.record.links?.refundOf ?? null],
      ];
      const names = columns.map(([name]) => name);
      const values = names.map((name) =>
        name === 'warnings' ? 'ARRAY(SELECT jsonb_array_elements_text(t.warnings))' : `t.${name}`,
      );
      parts.push(`inserted_transfers AS (
        INSERT INTO transfers (community_id, ${names.join(', ')})
        SELECT $1, ${values.join(', ')} FROM ${unnest(plan.inserts, 't', columns)})`);
    }
    if (plan.settlements.length > 0) {
      parts.push(`settled_transfers AS (
        UPDATE transfers SET status = u.status, posted_at = u.posted_at, finished_at = u.finished_at
        FROM ${unnest(plan.settlements, 'u', [
          ['id', 'uuid', (row) => row.transferId],
          ['status', 'varchar', (row) => row.status],
          ['posted_at', 'timestamptz', (row) => iso(row.postedAt)],
          ['finished_at', 'timestamptz', (row) => iso(row.finishedAt)],
        ])}
        WHERE transfers.community_id = $1 AND transfers.id = u.id)`);
    }
    if (plan.entries.length > 0) {
      parts.push(`inserted_entries AS (
        INSERT INTO entries (community_id, account_id, sequence, transfer_id, amount_minor,
          balance_after_minor, total_in_minor, total_out_minor, posted_at, hash, hash_version)
        SELECT $1, e.account_id, e.sequence, e.transfer_id, e.amount_minor, e.balance_after_minor,
          e.total_in_minor, e.total_out_minor, e.posted_at, e.hash, e.hash_version
        FROM ${unnest(plan.entries, 'e', [
          ['account_id', 'uuid', (row) => row.accountId],
          ['sequence', 'bigint', (row) => row.sequence.toString()],
          ['transfer_id', 'uuid', (row) => row.transferId],
          ['amount_minor', 'bigint', (row) => row.amountMinor.toString()],
          ['balance_after_minor', 'bigint', (row) => row.balanceAfterMinor.toString()],
          ['total_in_minor', 'bigint', (row) => row.totalInMinor.toString()],
          ['total_out_minor', 'bigint', (row) => row.totalOutMinor.toString()],
          ['posted_at', 'timestamptz', (row) => iso(row.postedAt)],
          ['hash', 'char(64)', (row) => row.hash],
          ['hash_version', 'smallint', (row) => row.hashVersion],
        ])})`);
    }
    if (plan.accounts.length > 0) {
      parts.push(`updated_accounts AS (
        UPDATE accounts SET balance_minor = a.balance_minor, pending_debit_minor = a.pending_debit_minor,
          pending_credit_minor = a.pending_credit_minor, entry_count = a.entry_count, last_hash = a.last_hash,
          received_minor = a.received_minor, total_in_minor = a.total_in_minor,
          total_out_minor = a.total_out_minor, updated_at = now()
        FROM ${unnest(plan.accounts, 'a', [
          ['id', 'uuid', (row) => row.id],
          ['balance_minor', 'bigint', (row) => row.balanceMinor.toString()],
          ['pending_debit_minor', 'bigint', (row) => row.pendingDebitMinor.toString()],
          ['pending_credit_minor', 'bigint', (row) => row.pendingCreditMinor.toString()],
          ['entry_count', 'bigint', (row) => row.entryCount.toString()],
          ['last_hash', 'char(64)', (row) => row.lastHash],
          ['received_minor', 'bigint', (row) => row.receivedMinor.toString()],
          ['total_in_minor', 'bigint', (row) => row.totalInMinor.toString()],
          ['total_out_minor', 'bigint', (row) => row.totalOutMinor.toString()],
        ])}
        WHERE accounts.community_id = $1 AND accounts.id = a.id)`);
    }
    if (parts.length === 0) return;
    await sql.query(`WITH ${parts.join(',\n')} SELECT 1`, parameters);
  }
}

/** The directory of a command before anything is known: only what commands name. */
function emptyDirectory(referenced: ReadonlyMap<string, StoredTransfer>): AccountDirectory {
  return {
    currencyOf: () => undefined,
    currency: () => undefined,
    transfer: (id) => referenced.get(id),
  };
}

const minor = (value: string | null): bigint | null => (value === null ? null : BigInt(value));

function accountSnapshot(row: AccountJson): AccountSnapshot {
  return {
    id: row.id,
    currencyCode: row.currency_code,
    kind: row.kind,
    name: row.name,
    ownerId: row.owner_id,
    ownerName: row.owner_name,
    status: row.status,
    balanceMinor: BigInt(row.balance_minor),
    pendingDebitMinor: BigInt(row.pending_debit_minor),
    pendingCreditMinor: BigInt(row.pending_credit_minor),
    floorMinor: minor(row.floor_minor),
    ceilingMinor: minor(row.ceiling_minor),
    warningMinor: minor(row.warning_minor),
    receivedMinor: BigInt(row.received_minor),
    totalInMinor: BigInt(row.total_in_minor),
    totalOutMinor: BigInt(row.total_out_minor),
    entryCount: BigInt(row.entry_count),
    lastHash: row.last_hash,
    windowStartOutMinor: minor(row.window_start_out_minor),
  };
}

/** The links a stored transfer carries (see TransferCommand.links), absent when it has none. */
function linksOf(row: { payment_request_id: string | null; refund_of: string | null }): {
  links?: Record<string, string>;
} {
  const links: Record<string, string> = {};
  if (row.payment_request_id !== null) links.paymentRequestId = row.payment_request_id;
  if (row.refund_of !== null) links.refundOf = row.refund_of;
  return Object.keys(links).length === 0 ? {} : { links };
}

const dateOf = (value: string | null): Date | null => (value === null ? null : new Date(value));

/** The ledger's record of a stored transfer: what the planner reads and its digest covers. */
export function transferRecordOf(
  communityId: string,
  id: string,
  row: TransferRecordJson,
): TransferRecord {
  return {
    communityId,
    id,
    currencyCode: row.currency_code,
    kind: row.kind,
    amountMinor: BigInt(row.amount_minor),
    fromAccountId: row.from_account_id,
    toAccountId: row.to_account_id,
    legs: row.legs.map((leg) => ({
      accountId: leg.accountId,
      amountMinor: BigInt(leg.amountMinor),
    })),
    memo: row.memo,
    initiatedBy: row.initiated_by,
    idempotencyKey: row.idempotency_key,
    requestFingerprint: row.request_fingerprint,
    reversalOf: row.reversal_of,
    forced: row.forced,
    createdAt: new Date(row.created_at),
    expiresAt: dateOf(row.expires_at),
    policyVersion: row.policy_version,
    ...linksOf(row),
  };
}

function storedTransfer(communityId: string, row: TransferJson): StoredTransfer {
  return {
    record: transferRecordOf(communityId, row.id, row),
    status: row.status,
    postedAt: dateOf(row.posted_at),
    finishedAt: dateOf(row.finished_at),
    warnings: row.warnings ?? [],
  };
}

/** The row a planned or stored transfer is, as the API's resolvers read it. */
export function transferEntityOf(transfer: PlannedTransfer): TransferEntity {
  const { record } = transfer;
  const entity = new TransferEntity();
  Object.assign(entity, {
    communityId: record.communityId,
    id: record.id,
    currencyCode: record.currencyCode,
    kind: record.kind as TransferKind,
    status: transfer.status as TransferStatusEnum,
    amountMinor: record.amountMinor.toString(),
    fromAccountId: record.fromAccountId,
    toAccountId: record.toAccountId,
    memo: record.memo,
    initiatedBy: record.initiatedBy,
    idempotencyKey: record.idempotencyKey,
    requestFingerprint: record.requestFingerprint,
    legs: record.legs.map((leg) => ({
      accountId: leg.accountId,
      amountMinor: leg.amountMinor.toString(),
    })),
    reversalOf: record.reversalOf,
    forced: record.forced,
    warnings: transfer.warnings,
    createdAt: record.createdAt,
    expiresAt: record.expiresAt,
    postedAt: transfer.postedAt,
    finishedAt: transfer.finishedAt,
    policyVersion: record.policyVersion,
    paymentRequestId: record.links?.paymentRequestId ?? null,
    refundOf: record.links?.refundOf ?? null,
  });
  return entity;
}
