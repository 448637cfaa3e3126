import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccountEntity } from '../accounts/account.entity';
import { Actor } from '../access/actor';
import { decodeCursor, PageArgs, pageSize } from '../common/pagination/connection';
import { CurrencyEntity } from '../currencies/currency.entity';
import { EntryEntity } from '../transfers/entry.entity';
import { TransferEntity } from '../transfers/transfer.entity';
import { BalancesService, HistoryPoint, NO_HISTORY, pointSql, toPoint } from './balances.service';
import { checkPeriod, ReportScope } from './report-scope';

/**
 * Account statements.
 *
 * The statement of an account for the period [from, to) (either end may be
 * left open) holds:
 * - openingBalance: the balance before `from` (after every entry posted
 *   strictly before it), zero without `from`;
 * - the entries posted in the period, oldest first, each with its running
 *   balance, transfer, counterparty, kind and memo, a page at a time;
 * - closingBalance: the balance after the last entry of the period;
 * - totalIn and totalOut: what entered and what left in the period, both as
 *   positive amounts, so closingBalance = openingBalance + totalIn − totalOut
 *   (asserted);
 * - entryCount: how many entries the period holds.
 *
 * Nothing here reads an account's whole history. Because an account's
 * entries are posted in sequence order (see balances.service.ts), the entries
 * of a period are exactly those with a sequence in (s_from, s_to], where
 * s_from and s_to are the sequences of the newest entries before `from` and
 * before `to`; each is one backward step of the (account, posted_at) index,
 * and the opening and closing balances are their `balance_after`. A page is
 * then a range of the primary key (community, account, sequence), and the
 * cursor is the sequence of the last entry shown. The totals come from the
 * running totals the two bounding entries carry, so no statement reads the
 * period's entries beyond the page it shows.
 */
export interface StatementWindow {
  account: AccountEntity;
  currency: CurrencyEntity;
  from: Date | null;
  to: Date | null;
  openingMinor: bigint;
  closingMinor: bigint;
  /** The period's entries have afterSequence < sequence <= throughSequence. */
  afterSequence: bigint;
  throughSequence: bigint;
}

/** An entry of a statement page with what its line shows besides the entry. */
export interface StatementLine {
  entry: EntryEntity;
  transfer: TransferEntity;
  counterparty: AccountEntity;
}

export interface StatementTotals {
  totalInMinor: bigint;
  totalOutMinor: bigint;
  entryCount: number;
}

@Injectable()
export class StatementService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly scope: ReportScope,
    private readonly balances: BalancesService,
  ) {}

  /**
   * The window of a period of an account the caller may read: the account,
   * its currency and the newest entries before `from` and before `to`, all in
   * one statement.
   */
  async open(
    actor: Actor,
    accountId: string,
    from: Date | undefined,
    to: Date | undefined,
  ): Promise<StatementWindow> {
    checkPeriod(from, to);
    const { account, currency, extras } = await this.scope.readableAccount(actor, accountId, {
      select: {
        opening: from === undefined ? 'NULL' : pointSql(':statementFrom'),
        closing: pointSql(to === undefined ? undefined : ':statementTo'),
      },
      parameters: { statementFrom: from, statementTo: to },
    });
    const opening = from === undefined ? NO_HISTORY : toPoint(extras.opening);
    return this.toWindow(account, currency, from, to, opening, toPoint(extras.closing));
  }

  /** The sequence range and balances of a period of an account (see the top of this file). */
  async window(
    account: AccountEntity,
    currency: CurrencyEntity,
    from: Date | undefined,
    to: Date | undefined,
  ): Promise<StatementWindow> {
    const [opening, closing] = await Promise.all([
      from === undefined
        ? { sequence: 0n, balanceAfterMinor: 0n }
        : this.balances.pointAt(account.communityId, account.id, from, false),
      to === undefined
        ? this.balances.latestPoint(account.communityId, account.id)
        : this.balances.pointAt(account.communityId, account.id, to, false),
    ]);
    return this.toWindow(account, currency, from, to, opening, closing);
  }

  private toWindow(
    account: AccountEntity,
    currency: CurrencyEntity,
    from: Date | undefined,
    to: Date | undefined,
    opening: HistoryPoint,
    closing: HistoryPoint,
  ): StatementWindow {
    if (closing.sequence < opening.sequence) {
      throw new Error(
        `account ${account.id}: entries are not posted in sequence order around ${from?.toISOString()}`,
      );
    }
    return {
      account,
      currency,
      from: from ?? null,
      to: to ?? null,
      openingMinor: opening.balanceAfterMinor,
      closingMinor: closing.balanceAfterMinor,
      afterSequence: opening.sequence,
      throughSequence: closing.sequence,
    };
  }

  /**
   * One page of the period's entries, oldest first, with one extra row telling
   * whether more follow; each with its transfer and the account on the other
   * side, read in the same statement because a statement line shows them.
   */
  async page(window: StatementWindow, page: PageArgs): Promise<StatementLine[]> {
    let after = window.afterSequence;
    if (page.after !== undefined) {
      const [sequence] = decodeCursor(page.after, ['count']);
      if (BigInt(sequence) > after) after = BigInt(sequence);
    }
    if (after >= window.throughSequence) return [];
    const rows = (await this.dataSource
      .getRepository(EntryEntity)
      .createQueryBuilder('entry')
      // Mapped onto properties of their own, read and removed below (as in ReportScope).
      .innerJoinAndMapOne(
        'entry.lineTransfer',
        TransferEntity,
        'transfer',
        'transfer.community_id = entry.community_id AND transfer.id = entry.transfer_id',
      )
      // The counterparty as counterpartyOf (journal-format.ts) defines it.
      .innerJoinAndMapOne(
        'entry.lineCounterparty',
        AccountEntity,
        'counterparty',
        `counterparty.community_id = entry.community_id AND counterparty.id =
           CASE WHEN transfer.from_account_id = entry.account_id THEN transfer.to_account_id
                ELSE transfer.from_account_id END`,
      )
      .where('entry.community_id = :communityId AND entry.account_id = :accountId', {
        communityId: window.account.communityId,
        accountId: window.account.id,
      })
      .andWhere('entry.sequence > :after AND entry.sequence <= :through', {
        after: after.toString(),
        through: window.throughSequence.toString(),
      })
      .orderBy('entry.sequence', 'ASC')
      .limit(pageSize(page) + 1)
      .getMany()) as Array<
      EntryEntity & { lineTransfer?: TransferEntity; lineCounterparty?: AccountEntity }
    >;
    return rows.map((entry) => {
      const { lineTransfer: transfer, lineCounterparty: counterparty } = entry;
      delete entry.lineTransfer;
      delete entry.lineCounterparty;
      if (transfer === undefined || counterparty === undefined) {
        throw new Error(
          `entry ${entry.accountId}:${entry.sequence} has no transfer or counterparty`,
        );
      }
      return { entry, transfer, counterparty };
    });
  }

  /**
   * The period's totals from the running totals its two bounding entries
   * carry: what entered (left) in (s_from, s_to] is the total in (out) after
   * s_to less the total in (out) after s_from, two primary-key lookups
   * whatever the length of the period. Asserts that they explain the change
   * of balance.
   */
  async totals(window: StatementWindow): Promise<StatementTotals> {
    const rows = await this.dataSource.query<
      Array<{ sequence: string; total_in: string | null; total_out: string | null }>
    >(
      `SELECT sequence::text, total_in_minor::text AS total_in, total_out_minor::text AS total_out
         FROM entries
        WHERE community_id = $1 AND account_id = $2 AND sequence = ANY($3::bigint[])`,
      [
        window.account.communityId,
        window.account.id,
        [window.afterSequence.toString(), window.throughSequence.toString()],
      ],
    );
    const runningAt = (sequence: bigint): { in: bigint; out: bigint } => {
      if (sequence === 0n) return { in: 0n, out: 0n };
      const row = rows.find((candidate) => candidate.sequence === sequence.toString());
      if (row === undefined || row.total_in === null || row.total_out === null) {
        throw new Error(`account ${window.account.id}: entry ${sequence} has no running totals`);
      }
      return { in: BigInt(row.total_in), out: BigInt(row.total_out) };
    };
    const start = runningAt(window.afterSequence);
    const end = runningAt(window.throughSequence);
    const totals = {
      totalInMinor: end.in - start.in,
      totalOutMinor: end.out - start.out,
      entryCount: Number(window.throughSequence - window.afterSequence),
    };
    if (window.openingMinor + totals.totalInMinor - totals.totalOutMinor !== window.closingMinor) {
      throw new Error(
        `statement of account ${window.account.id}: entries do not explain the balance change (sequences ${window.afterSequence}..${window.throughSequence})`,
      );
    }
    return totals;
  }
}
