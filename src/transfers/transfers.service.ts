import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { mayDebitAccount, mayReadAccount, refusePolicyBypass } from '../accounts/account-access';
import { AccountEntity } from '../accounts/account.entity';
import { Actor } from '../auth/actor';
import { isUniqueViolation } from '../common/database/postgres-errors';
import { AppError, invalidInput } from '../common/errors/app-error';
import { decodeCursor, PageArgs, pageSize } from '../common/pagination/connection';
import {
  isExpired,
  LedgerError,
  parseAmount,
  readField,
  requestFingerprint,
  reversalLegs,
  simpleTransferLegs,
} from '../ledger';
import { Role } from '../users/role';
import { AccountScaleCache } from './account-scale.cache';
import { ReverseTransferInput, TransferFilter, TransferInput } from './dto/transfer.inputs';
import { NewTransfer, Outcome, PostingEngine, SYSTEM_TRANSFER_KINDS } from './posting-engine';
import { TransferEntity, TransferKind, TransferStatusEnum } from './transfer.entity';

/** The longest a pending transfer may hold funds. */
export const MAX_PENDING_MS = 30 * 24 * 3600 * 1000;

/**
 * The ledger's commands and reads as the API offers them: parsing amounts by
 * the currency's scale, deciding who may move what, and handing the rest to
 * the posting engine.
 */
@Injectable()
export class TransfersService {
  private readonly logger = new Logger(TransfersService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly engine: PostingEngine,
    private readonly scales: AccountScaleCache,
  ) {}

  async transfer(actor: Actor, input: TransferInput): Promise<TransferEntity> {
    const prepared = await this.prepare(actor, input);
    const [outcome] = await this.engine.create(actor.communityId, actor.userId, [prepared], {
      atomic: true,
      authorize: (transfer, locked) => this.authorizeUserTransfer(actor, transfer, locked.rows),
    });
    return unwrap(outcome);
  }

  /** Many transfers in one command; with `atomic` all post or none does. */
  async transferBatch(actor: Actor, inputs: TransferInput[], atomic: boolean): Promise<Outcome[]> {
    const outcomes: Array<Outcome | undefined> = [];
    const prepared: NewTransfer[] = [];
    const positions: number[] = [];
    await this.scales.load(
      actor.communityId,
      inputs.map((input) => input.fromAccountId),
    );
    for (const [index, input] of inputs.entries()) {
      try {
        prepared.push(await this.prepare(actor, input));
        positions.push(index);
        outcomes.push(undefined);
      } catch (error) {
        if (atomic || !(error instanceof AppError || error instanceof LedgerError)) throw error;
        outcomes.push({ error });
      }
    }
    if (prepared.length > 0) {
      const posted = await this.engine.create(actor.communityId, actor.userId, prepared, {
        atomic,
        authorize: (transfer, locked) => this.authorizeUserTransfer(actor, transfer, locked.rows),
      });
      posted.forEach((outcome, index) => (outcomes[positions[index]] = outcome));
    }
    return outcomes as Outcome[];
  }

  /**
   * A steward undoes a posted transfer with a REVERSAL transfer of the
   * opposite legs. Each transfer is reversed at most once (a unique index
   * makes sure); a reversal that would take an account past a limit is
   * refused unless the steward forces it, which the reversal records.
   */
  async reverse(actor: Actor, input: ReverseTransferInput): Promise<TransferEntity> {
    const original = await this.dataSource
      .getRepository(TransferEntity)
      .findOneBy({ communityId: actor.communityId, id: input.transferId });
    if (original === null)
      throw new AppError('NOT_FOUND', 'No such transfer', { field: 'transferId' });
    const legs = reversalLegs(
      original.legs.map((leg) => ({
        accountId: leg.accountId,
        amountMinor: BigInt(leg.amountMinor),
      })),
    );
    const reversal: NewTransfer = {
      kind: TransferKind.REVERSAL,
      fromAccountId: original.toAccountId,
      toAccountId: original.fromAccountId,
      amountMinor: BigInt(original.amountMinor),
      legs,
      memo: input.reason,
      idempotencyKey: input.idempotencyKey,
      fingerprint: requestFingerprint({
        operation: 'reverseTransfer',
        transferId: original.id,
        reason: input.reason,
        force: input.force === true,
      }),
      mode: 'POST',
      expiresAt: null,
      reversalOf: original.id,
      reversedKind: original.kind,
      force: input.force === true,
    };
    try {
      const [outcome] = await this.engine.create(actor.communityId, actor.userId, [reversal], {
        atomic: true,
        authorize: () => {
          if (original.status !== TransferStatusEnum.POSTED) {
            throw new AppError(
              'CONFLICT',
              `Only posted transfers can be reversed; this one is ${original.status}`,
            );
          }
          if (original.kind === TransferKind.REVERSAL) {
            throw new AppError('CONFLICT', 'A reversal cannot itself be reversed');
          }
        },
      });
      return unwrap(outcome);
    } catch (error) {
      if (isUniqueViolation(error, 'uq_transfers_reversal_of')) {
        throw new AppError('CONFLICT', 'This transfer has already been reversed');
      }
      throw error;
    }
  }

  /** Posts a pending transfer: its initiator or a steward. */
  settle(actor: Actor, id: string, event: 'POST' | 'VOID'): Promise<TransferEntity> {
    return this.engine.settle(actor.communityId, {
      transferId: id,
      event,
      check: (transfer) => {
        const steward = actor.kind === 'USER' && actor.role === Role.STEWARD;
        if (!steward && transfer.initiatedBy !== actor.userId) {
          throw new AppError(
            'FORBIDDEN',
            'Only whoever created a pending transfer, or a steward, settles it',
          );
        }
        if (transfer.kind === TransferKind.DISBURSEMENT) {
          throw new AppError(
            'POLICY_VIOLATION',
            'A fund disbursement posts through its stewards’ approvals',
          );
        }
      },
    });
  }

  /** A transfer the caller took part in (stewards: any of the community); a pending one past its expiry is expired now. */
  async get(actor: Actor, id: string): Promise<TransferEntity> {
    let transfer = await this.dataSource
      .getRepository(TransferEntity)
      .findOneBy({ communityId: actor.communityId, id });
    if (transfer === null) throw new AppError('NOT_FOUND', 'No such transfer');
    await this.assertMayRead(actor, transfer);
    if (
      transfer.status === TransferStatusEnum.PENDING &&
      isExpired(transfer.expiresAt, new Date())
    ) {
      transfer = await this.expire(actor.communityId, transfer.id);
    }
    return transfer;
  }

  async list(actor: Actor, filter: TransferFilter, page: PageArgs): Promise<TransferEntity[]> {
    const steward = actor.kind === 'USER' && actor.role === Role.STEWARD;
    const query = this.dataSource
      .getRepository(TransferEntity)
      .createQueryBuilder('transfer')
      .where('transfer.community_id = :communityId', { communityId: actor.communityId })
      .orderBy('transfer.created_at', 'DESC')
      .addOrderBy('transfer.id', 'DESC')
      .take(pageSize(page) + 1);
    if (filter.accountId !== undefined) {
      const account = await this.dataSource
        .getRepository(AccountEntity)
        .findOneBy({ communityId: actor.communityId, id: filter.accountId });
      if (account === null)
        throw new AppError('NOT_FOUND', 'No such account', { field: 'accountId' });
      if (!mayReadAccount(actor, account))
        throw new AppError('FORBIDDEN', 'This account is not yours');
      query.andWhere(
        '(transfer.from_account_id = :accountId OR transfer.to_account_id = :accountId)',
        {
          accountId: filter.accountId,
        },
      );
    } else if (!steward) {
      const own =
        'SELECT id FROM accounts WHERE community_id = :communityId AND owner_id = :ownerId';
      query.andWhere(
        `(transfer.from_account_id IN (${own}) OR transfer.to_account_id IN (${own}))`,
        {
          ownerId: actor.userId,
        },
      );
    }
    if (filter.kind !== undefined) query.andWhere('transfer.kind = :kind', { kind: filter.kind });
    if (filter.status !== undefined)
      query.andWhere('transfer.status = :status', { status: filter.status });
    if (filter.from !== undefined)
      query.andWhere('transfer.created_at >= :from', { from: filter.from });
    if (filter.to !== undefined) query.andWhere('transfer.created_at < :to', { to: filter.to });
    if (page.after !== undefined) {
      const [createdAt, id] = decodeCursor(page.after, 2);
      query.andWhere('(transfer.created_at, transfer.id) < (:createdAt, :afterId)', {
        createdAt: new Date(String(createdAt)),
        afterId: String(id),
      });
    }
    return query.getMany();
  }

  /** Expires one pending transfer, releasing its hold; a no-op if it was settled meanwhile. */
  async expire(communityId: string, id: string): Promise<TransferEntity> {
    try {
      return await this.engine.settle(communityId, { transferId: id, event: 'EXPIRE' });
    } catch (error) {
      if (error instanceof AppError && error.code === 'INVALID_STATE_TRANSITION') {
        return this.dataSource.getRepository(TransferEntity).findOneByOrFail({ communityId, id });
      }
      throw error;
    }
  }

  /** Expires every pending transfer past its time, oldest first, at most `limit` per call. */
  async expireDue(limit: number): Promise<number> {
    const due = await this.dataSource.query<Array<{ community_id: string; id: string }>>(
      `SELECT community_id, id FROM transfers
        WHERE status = 'PENDING' AND expires_at <= now()
        ORDER BY expires_at LIMIT $1`,
      [limit],
    );
    for (const row of due) await this.expire(row.community_id, row.id);
    if (due.length > 0) this.logger.log(`expired ${due.length} pending transfer(s)`);
    return due.length;
  }

  private async assertMayRead(actor: Actor, transfer: TransferEntity): Promise<void> {
    if (
      actor.kind === 'USER' &&
      (actor.role === Role.STEWARD || transfer.initiatedBy === actor.userId)
    )
      return;
    const accounts = await this.dataSource.getRepository(AccountEntity).findBy([
      { communityId: actor.communityId, id: transfer.fromAccountId },
      { communityId: actor.communityId, id: transfer.toAccountId },
    ]);
    if (!accounts.some((account) => mayReadAccount(actor, account))) {
      throw new AppError('FORBIDDEN', 'You took no part in this transfer');
    }
  }

  /** Parses and checks what can be checked without locks. */
  private async prepare(actor: Actor, input: TransferInput): Promise<NewTransfer> {
    if (SYSTEM_TRANSFER_KINDS.has(input.kind)) {
      throw new AppError(
        'POLICY_VIOLATION',
        `${input.kind} transfers are made by their own operations (issuance, redemption, reversal, funds), not by transfer`,
        { field: 'kind' },
      );
    }
    if (
      input.kind === TransferKind.ADJUSTMENT &&
      !(actor.kind === 'USER' && actor.role === Role.STEWARD)
    ) {
      throw new AppError('FORBIDDEN', 'Only stewards make adjustments');
    }
    const now = Date.now();
    if (input.pendingUntil !== undefined) {
      const until = input.pendingUntil.getTime();
      if (until <= now || until > now + MAX_PENDING_MS) {
        throw invalidInput(
          'pendingUntil',
          'pendingUntil: must be in the future and within 30 days',
        );
      }
    }
    const scale = await this.scales.scaleOf(actor.communityId, input.fromAccountId);
    if (scale === undefined) {
      throw new AppError('NOT_FOUND', `No account ${input.fromAccountId}`, {
        field: 'fromAccountId',
      });
    }
    const amountMinor = readField('amount', () => parseAmount(input.amount, scale));
    const legs = simpleTransferLegs(input.fromAccountId, input.toAccountId, amountMinor);
    const memo = input.memo ?? null;
    return {
      kind: input.kind,
      fromAccountId: input.fromAccountId,
      toAccountId: input.toAccountId,
      amountMinor,
      legs,
      memo,
      idempotencyKey: input.idempotencyKey,
      fingerprint: requestFingerprint({
        operation: 'transfer',
        fromAccountId: input.fromAccountId,
        toAccountId: input.toAccountId,
        amountMinor,
        kind: input.kind,
        memo,
        pendingUntil: input.pendingUntil,
      }),
      mode: input.pendingUntil === undefined ? 'POST' : 'HOLD',
      expiresAt: input.pendingUntil ?? null,
      reversalOf: null,
      force: false,
      applyPolicy: true,
    };
  }

  private authorizeUserTransfer(
    actor: Actor,
    transfer: NewTransfer,
    accounts: ReadonlyMap<string, AccountEntity>,
  ): void {
    const from = accounts.get(transfer.fromAccountId)!;
    const to = accounts.get(transfer.toAccountId)!;
    if (!mayDebitAccount(actor, from)) {
      throw new AppError('FORBIDDEN', 'You may only move money out of your own accounts', {
        field: 'fromAccountId',
      });
    }
    refusePolicyBypass(from, to);
  }
}

function unwrap(outcome: Outcome): TransferEntity {
  if ('error' in outcome) throw outcome.error;
  return outcome.transfer;
}
