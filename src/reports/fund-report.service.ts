import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { AccountEntity } from '../accounts/account.entity';
import { AccountKind } from '../ledger';
import { Actor } from '../access/actor';
import { invalidInput } from '../common/errors/app-error';
import { TransferEntity, TransferKind, TransferStatusEnum } from '../transfers/transfer.entity';
import { checkPeriod, ReportScope } from './report-scope';
import { StatementService, StatementWindow } from './statement.service';

/**
 * Fund reports: where a FUND account's money came from and went, for the
 * period [from, to) (either end may be left open).
 *
 * - openingBalance and closingBalance: as in an account statement.
 * - inflows: the fund's entries of the period that added money, outflows
 *   those that took money out (as positive amounts). Each is totalled, by
 *   transfer kind and by counterparty. The counterparty of an entry is the
 *   other side of its transfer (the source for a fund receiving, the
 *   destination for a fund paying; see counterpartyOf in journal-format.ts).
 *   A reversal appears as a flow of kind REVERSAL in the period it was
 *   posted; the reversed transfer stays in its own period, because a report
 *   of a closed period never changes.
 *   closingBalance = openingBalance + inflows − outflows, asserted.
 * - pending: transfers out of the fund still waiting to post now (status
 *   PENDING and not yet expired), whatever the period, oldest first, with
 *   their count and total. Approvals of fund disbursements are not part of
 *   the ledger yet and are not reported.
 *
 * The period's entries are read by sequence range like a statement's, so a
 * report costs the period's entries, not the fund's whole history.
 */

/** Counterparties listed per direction: the largest ones; the count and totals cover them all. */
export const MAX_COUNTERPARTY_LINES = 100;

/** Pending transfers listed; the count and total cover them all. */
export const MAX_PENDING_LISTED = 100;

export interface KindFlow {
  kind: TransferKind;
  amountMinor: bigint;
  transferCount: number;
}

export interface CounterpartyFlow {
  account: AccountEntity;
  amountMinor: bigint;
  transferCount: number;
}

export interface Flows {
  totalMinor: bigint;
  transferCount: number;
  byKind: KindFlow[];
  byCounterparty: CounterpartyFlow[];
  counterpartyCount: number;
}

export interface FundReportResult {
  window: StatementWindow;
  inflows: Flows;
  outflows: Flows;
  pending: TransferEntity[];
  pendingCount: number;
  pendingTotalMinor: bigint;
}

interface FlowRow {
  direction: 'IN' | 'OUT';
  kind: TransferKind;
  counterparty_id: string;
  amount: string;
  transfer_count: number;
}

@Injectable()
export class FundReportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly scope: ReportScope,
    private readonly statements: StatementService,
  ) {}

  async report(
    actor: Actor,
    accountId: string,
    from: Date | undefined,
    to: Date | undefined,
  ): Promise<FundReportResult> {
    checkPeriod(from, to);
    const { account, currency } = await this.scope.readableAccount(actor, accountId);
    if (account.kind !== AccountKind.FUND) {
      throw invalidInput('accountId', `accountId: a ${account.kind} account, not a FUND`);
    }
    const window = await this.statements.window(account, currency, from, to);
    const rows = await this.dataSource.query<FlowRow[]>(
      `SELECT CASE WHEN e.amount_minor > 0 THEN 'IN' ELSE 'OUT' END AS direction,
              t.kind,
              CASE WHEN t.from_account_id = e.account_id THEN t.to_account_id
                   ELSE t.from_account_id END AS counterparty_id,
              sum(abs(e.amount_minor))::text AS amount,
              count(*)::int AS transfer_count
         FROM entries e
         JOIN transfers t ON t.community_id = e.community_id AND t.id = e.transfer_id
        WHERE e.community_id = $1 AND e.account_id = $2 AND e.sequence > $3 AND e.sequence <= $4
        GROUP BY 1, 2, 3`,
      [
        account.communityId,
        account.id,
        window.afterSequence.toString(),
        window.throughSequence.toString(),
      ],
    );
    const counterpartyIds = [...new Set(rows.map((row) => row.counterparty_id))];
    const counterparties = new Map(
      (counterpartyIds.length === 0
        ? []
        : await this.dataSource
            .getRepository(AccountEntity)
            .findBy({ communityId: account.communityId, id: In(counterpartyIds) })
      ).map((row) => [row.id, row]),
    );
    const inflows = flows(
      rows.filter((row) => row.direction === 'IN'),
      counterparties,
    );
    const outflows = flows(
      rows.filter((row) => row.direction === 'OUT'),
      counterparties,
    );
    if (window.openingMinor + inflows.totalMinor - outflows.totalMinor !== window.closingMinor) {
      throw new Error(`fund report of ${account.id}: flows do not explain the balance change`);
    }

    const pendingQuery = this.dataSource
      .getRepository(TransferEntity)
      .createQueryBuilder('transfer')
      .where('transfer.community_id = :communityId AND transfer.from_account_id = :accountId', {
        communityId: account.communityId,
        accountId: account.id,
      })
      .andWhere('transfer.status = :status', { status: TransferStatusEnum.PENDING })
      .andWhere('(transfer.expires_at IS NULL OR transfer.expires_at > now())');
    const [pending, [summary]] = await Promise.all([
      pendingQuery
        .clone()
        .orderBy('transfer.created_at', 'ASC')
        .addOrderBy('transfer.id', 'ASC')
        .take(MAX_PENDING_LISTED)
        .getMany(),
      pendingQuery
        .clone()
        .select('count(*)::int', 'count')
        .addSelect('coalesce(sum(transfer.amount_minor), 0)::text', 'total')
        .getRawMany<{ count: number; total: string }>(),
    ]);
    return {
      window,
      inflows,
      outflows,
      pending,
      pendingCount: summary.count,
      pendingTotalMinor: BigInt(summary.total),
    };
  }
}

function byAmountThen<T>(
  key: (item: T) => string,
): (a: T & { amountMinor: bigint }, b: T & { amountMinor: bigint }) => number {
  return (a, b) => {
    if (a.amountMinor !== b.amountMinor) return a.amountMinor > b.amountMinor ? -1 : 1;
    return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
  };
}

function flows(rows: FlowRow[], counterparties: ReadonlyMap<string, AccountEntity>): Flows {
  const kinds = new Map<TransferKind, KindFlow>();
  const parties = new Map<string, { id: string; amountMinor: bigint; transferCount: number }>();
  let totalMinor = 0n;
  let transferCount = 0;
  for (const row of rows) {
    const amountMinor = BigInt(row.amount);
    totalMinor += amountMinor;
    transferCount += row.transfer_count;
    const kind = kinds.get(row.kind) ?? { kind: row.kind, amountMinor: 0n, transferCount: 0 };
    kind.amountMinor += amountMinor;
    kind.transferCount += row.transfer_count;
    kinds.set(row.kind, kind);
    const party = parties.get(row.counterparty_id) ?? {
      id: row.counterparty_id,
      amountMinor: 0n,
      transferCount: 0,
    };
    party.amountMinor += amountMinor;
    party.transferCount += row.transfer_count;
    parties.set(row.counterparty_id, party);
  }
  const byCounterparty = [...parties.values()]
    .sort(byAmountThen((party) => party.id))
    .slice(0, MAX_COUNTERPARTY_LINES)
    .map((party) => {
      const account = counterparties.get(party.id);
      if (account === undefined)
        throw new Error(`a transfer refers to missing account ${party.id}`);
      return { account, amountMinor: party.amountMinor, transferCount: party.transferCount };
    });
  return {
    totalMinor,
    transferCount,
    byKind: [...kinds.values()].sort(byAmountThen((kind) => kind.kind)),
    byCounterparty,
    counterpartyCount: parties.size,
  };
}
