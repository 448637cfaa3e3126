import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor } from '../access/actor';
import { AppError, invalidInput } from '../common/errors/app-error';
import { decodeCursor, PageArgs, pageSize } from '../common/pagination/connection';
import { CurrenciesService } from '../currencies/currencies.service';
import { AccountKind, LedgerError, parseSignedAmount } from '../ledger';
import { Role } from '../access/role';
import { UserEntity } from '../users/user.entity';
import { mayReadAccount } from './account-access';
import { AccountOpeningHooks } from './account-opening';
import { AccountEntity, AccountStatusEnum, newAccountRow } from './account.entity';
import {
  AccountFilter,
  OpenAccountInput,
  SetAccountLimitsInput,
  SetAccountStatusInput,
} from './dto/account.inputs';

/** Accounts one user may hold across all currencies; a few per currency is plenty. */
export const MAX_ACCOUNTS_PER_OWNER = 20;

/**
 * Opening accounts, steward changes to limits and status, and reading
 * accounts with the caller's rights. Balances never change here: only the
 * transfers service moves money.
 */
@Injectable()
export class AccountsService {
  private readonly openingHooks: AccountOpeningHooks[] = [];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly currencies: CurrenciesService,
  ) {}

  /** Registers what a module does when an account opens (see account-opening.ts). */
  addOpeningHooks(hooks: AccountOpeningHooks): void {
    this.openingHooks.push(hooks);
  }

  async open(actor: Actor, input: OpenAccountInput): Promise<AccountEntity> {
    const steward = actor.kind === 'USER' && actor.role === Role.STEWARD;
    const ownKind = actor.role === Role.SHOP ? AccountKind.SHOP : AccountKind.MEMBER;
    const kind = input.kind ?? ownKind;
    if (kind === AccountKind.ISSUANCE) {
      throw new AppError(
        'POLICY_VIOLATION',
        'Each currency has exactly one ISSUANCE account, opened with it',
        {
          field: 'kind',
        },
      );
    }
    if (
      kind !== AccountKind.FUND &&
      (input.stewardIds !== undefined ||
        input.approvalsRequired !== undefined ||
        input.memberSharePercent !== undefined ||
        input.maxOpenRequestsPerMember !== undefined)
    ) {
      throw invalidInput(
        'stewardIds',
        'stewardIds, approvalsRequired, memberSharePercent, maxOpenRequestsPerMember: for FUND accounts only',
      );
    }
    let ownerId: string | null;
    if (!steward) {
      if (kind !== ownKind)
        throw new AppError(
          'FORBIDDEN',
          `A ${actor.role.toLowerCase()} may only open ${ownKind} accounts`,
        );
      if (input.ownerId !== undefined && input.ownerId !== actor.userId) {
        throw new AppError('FORBIDDEN', 'Members and shops open their own accounts only');
      }
      ownerId = actor.userId;
    } else if (kind === AccountKind.MEMBER || kind === AccountKind.SHOP) {
      // Without ownerId a steward opens the account for themselves, as a
      // member would: a steward is a member of their community too.
      const owner = await this.dataSource
        .getRepository(UserEntity)
        .findOneBy({ communityId: actor.communityId, id: input.ownerId ?? actor.userId });
      if (owner === null) throw new AppError('NOT_FOUND', 'No such user', { field: 'ownerId' });
      ownerId = owner.id;
    } else {
      ownerId = null;
    }

    const currency = await this.currencies.get(actor.communityId, input.currencyCode);
    const policy = (await this.currencies.currentPolicies(actor.communityId, [currency.code])).get(
      currency.code,
    );
    const holdsMoneyForPeople = kind === AccountKind.MEMBER || kind === AccountKind.SHOP;
    const floorMinor = holdsMoneyForPeople ? (policy?.rules.defaultFloorMinor ?? '0') : '0';
    const ceilingMinor = holdsMoneyForPeople ? (policy?.rules.defaultCeilingMinor ?? null) : null;

    const opened = await this.dataSource.transaction(async (manager) => {
      if (ownerId !== null) {
        const held = await manager.countBy(AccountEntity, {
          communityId: actor.communityId,
          ownerId,
        });
        if (held >= MAX_ACCOUNTS_PER_OWNER) {
          throw new AppError('CONFLICT', `A user holds at most ${MAX_ACCOUNTS_PER_OWNER} accounts`);
        }
      }
      const account = await manager.save(
        manager.create(
          AccountEntity,
          newAccountRow({
            communityId: actor.communityId,
            currencyCode: currency.code,
            kind,
            name: input.name ?? `${kind.toLowerCase()} ${currency.code}`,
            ownerId,
            floorMinor,
            ceilingMinor,
          }),
        ),
      );
      for (const hooks of this.openingHooks) {
        await hooks.whileOpening?.(manager, actor, account, input);
      }
      return account;
    });
    let hooked = false;
    for (const hooks of this.openingHooks) {
      if (hooks.afterOpening === undefined) continue;
      await hooks.afterOpening(actor, opened);
      hooked = true;
    }
    // What a hook posted after the opening (an onboarding grant) is part of
    // the answer: the caller sees the balance the account really has.
    return hooked
      ? this.dataSource
          .getRepository(AccountEntity)
          .findOneByOrFail({ communityId: actor.communityId, id: opened.id })
      : opened;
  }

  /** An account the caller may read, NOT_FOUND when it does not exist in their community, FORBIDDEN otherwise. */
  async getReadable(actor: Actor, id: string): Promise<AccountEntity> {
    const account = await this.dataSource
      .getRepository(AccountEntity)
      .findOneBy({ communityId: actor.communityId, id });
    if (account === null) throw new AppError('NOT_FOUND', 'No such account');
    if (!mayReadAccount(actor, account))
      throw new AppError('FORBIDDEN', 'This account is not yours');
    return account;
  }

  async list(actor: Actor, filter: AccountFilter, page: PageArgs): Promise<AccountEntity[]> {
    const steward = actor.kind === 'USER' && actor.role === Role.STEWARD;
    if (!steward && filter.ownerId !== undefined && filter.ownerId !== actor.userId) {
      throw new AppError('FORBIDDEN', "Only stewards list other users' accounts");
    }
    const query = this.dataSource
      .getRepository(AccountEntity)
      .createQueryBuilder('account')
      .where('account.community_id = :communityId', { communityId: actor.communityId })
      .orderBy('account.id', 'ASC')
      .take(pageSize(page) + 1);
    const ownerId = steward ? filter.ownerId : actor.userId;
    if (ownerId !== undefined) query.andWhere('account.owner_id = :ownerId', { ownerId });
    if (filter.currencyCode !== undefined)
      query.andWhere('account.currency_code = :code', { code: filter.currencyCode });
    if (filter.kind !== undefined) query.andWhere('account.kind = :kind', { kind: filter.kind });
    if (filter.status !== undefined)
      query.andWhere('account.status = :status', { status: filter.status });
    if (page.after !== undefined) {
      const [id] = decodeCursor(page.after, ['uuid']);
      query.andWhere('account.id > :after', { after: id });
    }
    return query.getMany();
  }

  /**
   * Changes limits under the account's row lock, so that no transfer slips
   * between the check and the change. A new floor above what the account
   * holds (or a ceiling below it) is refused: limits describe what may
   * happen next, they cannot make the present invalid.
   *
   * Everything the change reads after the lock is read on the transaction's
   * own connection. Asking the pool for another one while holding the lock
   * stalls every community once the transfers queued on this account hold
   * the rest of the pool.
   */
  async setLimits(actor: Actor, input: SetAccountLimitsInput): Promise<AccountEntity> {
    return this.dataSource.transaction(async (manager) => {
      const account = await this.lockAccount(manager, actor.communityId, input.accountId);
      const currency = await this.currencies.get(actor.communityId, account.currencyCode, manager);
      const parse = (field: string, value: string | null | undefined, current: string | null) => {
        if (value === undefined) return current;
        if (value === null) return null;
        try {
          return parseSignedAmount(value, currency.scale).toString();
        } catch (error) {
          if (error instanceof LedgerError) throw invalidInput(field, `${field}: ${error.message}`);
          throw error;
        }
      };
      const floor = parse('floor', input.floor, account.floorMinor);
      const ceiling = parse('ceiling', input.ceiling, account.ceilingMinor);
      const warning = parse('warningLevel', input.warningLevel, account.warningMinor);
      if (floor !== null && ceiling !== null && BigInt(floor) > BigInt(ceiling)) {
        throw invalidInput('ceiling', 'ceiling: must not be below the floor');
      }
      const available = BigInt(account.balanceMinor) - BigInt(account.pendingDebitMinor);
      if (floor !== null && available < BigInt(floor)) {
        throw new AppError('CONFLICT', 'The account already holds less than this floor', {
          field: 'floor',
        });
      }
      const committed = BigInt(account.balanceMinor) + BigInt(account.pendingCreditMinor);
      if (ceiling !== null && committed > BigInt(ceiling)) {
        throw new AppError('CONFLICT', 'The account already holds more than this ceiling', {
          field: 'ceiling',
        });
      }
      account.floorMinor = floor;
      account.ceilingMinor = ceiling;
      account.warningMinor = warning;
      return manager.save(account);
    });
  }

  /**
   * FROZEN stops all movement in and out until reopened; CLOSED is final and
   * needs an empty account with nothing pending. The ISSUANCE account always
   * stays open: it is the currency's source.
   */
  async setStatus(actor: Actor, input: SetAccountStatusInput): Promise<AccountEntity> {
    return this.dataSource.transaction(async (manager) => {
      const account = await this.lockAccount(manager, actor.communityId, input.accountId);
      if (account.status === input.status) return account;
      if (account.kind === AccountKind.ISSUANCE) {
        throw new AppError('POLICY_VIOLATION', 'The ISSUANCE account cannot be frozen or closed');
      }
      if (account.status === AccountStatusEnum.CLOSED) {
        throw new AppError('CONFLICT', 'A closed account stays closed');
      }
      if (
        input.status === AccountStatusEnum.CLOSED &&
        (account.balanceMinor !== '0' ||
          account.pendingDebitMinor !== '0' ||
          account.pendingCreditMinor !== '0')
      ) {
        throw new AppError('CONFLICT', 'Only an empty account with nothing pending can be closed');
      }
      account.status = input.status;
      return manager.save(account);
    });
  }

  private async lockAccount(
    manager: import('typeorm').EntityManager,
    communityId: string,
    id: string,
  ): Promise<AccountEntity> {
    const account = await manager
      .getRepository(AccountEntity)
      .createQueryBuilder('account')
      .setLock('pessimistic_write')
      .where('account.community_id = :communityId AND account.id = :id', { communityId, id })
      .getOne();
    if (account === null)
      throw new AppError('NOT_FOUND', 'No such account', { field: 'accountId' });
    return account;
  }
}
