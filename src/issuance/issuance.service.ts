import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import Decimal from 'decimal.js';
import { DataSource } from 'typeorm';
import { AccountEntity, AccountKind } from '../accounts/account.entity';
import { Actor } from '../auth/actor';
import { isUniqueViolation } from '../common/database/postgres-errors';
import { AppError } from '../common/errors/app-error';
import { CurrenciesService } from '../currencies/currencies.service';
import { CurrencyPolicyEntity } from '../currencies/currency-policy.entity';
import { CurrencyEntity, CurrencyKind } from '../currencies/currency.entity';
import { IssuanceMode, PolicyRules } from '../currencies/issuance-policy';
import {
  assert,
  convertMinor,
  convertMinorBack,
  Leg,
  LedgerError,
  parseAmount,
  readField,
  percentOfMinor,
  requestFingerprint,
  simpleTransferLegs,
} from '../ledger';
import { Role } from '../users/role';
import { LockedView, NewTransfer, Outcome, PostingEngine } from '../transfers/posting-engine';
import { TransferEntity, TransferKind } from '../transfers/transfer.entity';
import {
  MintInput,
  RecordReserveDepositInput,
  RedeemInput,
  SetIssuancePolicyInput,
} from './dto/issuance.inputs';

/**
 * Where money comes from and where it goes, by the policy of its currency.
 *
 * Backed currencies. A reserve deposit is national money received for a
 * member: the reserve account (in the NATIONAL currency, whose ISSUANCE
 * account mirrors money held outside Mutua) grows by the deposit, and the
 * member receives credits bought with it at the mint rate, both in one
 * command. `mint` creates credits against the reserve's headroom. The supply
 * of a backed currency (minus the balance of its ISSUANCE account) may never
 * exceed
 *
 *     cap = reserve × mintRate × backingRatio   (converted to credit minor units)
 *
 * which every mint checks under the locks of both the ISSUANCE and the
 * RESERVE accounts, so concurrent mints cannot pass it together. Redemption
 * is the way back: a shop's credits return to ISSUANCE less the redemption
 * fee (percent of the amount, rounded half away from zero, paid into the fee
 * account), and the reserve pays out the net amount converted back at the
 * mint rate.
 *
 * Mutual credit. Members start at zero and go down to their floor; an
 * optional onboarding grant from ISSUANCE is paid once per new member
 * account (its idempotency key is derived from the account, so it can never
 * be paid twice).
 */
const COMPANION_KEY_SUFFIX = '#reserve';

@Injectable()
export class IssuanceService {
  private readonly logger = new Logger(IssuanceService.name);
  /** Scale per currency code; a currency's scale never changes. */
  private readonly scales = new Map<string, number>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly currencies: CurrenciesService,
    private readonly engine: PostingEngine,
  ) {}

  /**
   * Writes a new policy version (the old ones stay, with who set them and
   * when) and, if asked, gives existing member and shop accounts the new
   * default limits wherever their balances allow it.
   */
  async setPolicy(
    actor: Actor,
    input: SetIssuancePolicyInput,
  ): Promise<{
    version: number;
    rules: PolicyRules;
    scale: number;
    updated: number;
    skipped: number;
  }> {
    const currency = await this.currencies.get(actor.communityId, input.currencyCode);
    const current = (await this.currencies.currentPolicies(actor.communityId, [currency.code])).get(
      currency.code,
    );
    const rules = await this.currencies.parseRules(
      actor.communityId,
      currency,
      input.policy,
      current?.rules ?? null,
    );
    if (
      rules.mode === IssuanceMode.BACKED &&
      rules.reserveCurrencyCode !== null &&
      rules.reserveAccountId === null
    ) {
      throw new AppError(
        'POLICY_VIOLATION',
        'The reserve currency of a backed currency cannot be changed',
        {
          field: 'reserveCurrencyCode',
        },
      );
    }
    try {
      return await this.dataSource.transaction(async (manager) => {
        const version = (current?.version ?? 0) + 1;
        await manager.insert(CurrencyPolicyEntity, {
          communityId: actor.communityId,
          currencyCode: currency.code,
          version,
          rules,
          createdBy: actor.userId,
        });
        let updated = 0;
        let skipped = 0;
        if (input.applyToExistingAccounts === true) {
          const result = await manager.query<[Array<{ applied: boolean }>, number]>(
            `UPDATE accounts SET floor_minor = $3::bigint, ceiling_minor = $4::bigint, updated_at = now()
              WHERE community_id = $1 AND currency_code = $2 AND kind IN ('MEMBER', 'SHOP')
                AND balance_minor - pending_debit_minor >= $3::bigint
                AND ($4::bigint IS NULL OR balance_minor + pending_credit_minor <= $4::bigint)
              RETURNING true AS applied`,
            [actor.communityId, currency.code, rules.defaultFloorMinor, rules.defaultCeilingMinor],
          );
          updated = result[1];
          const [total] = await manager.query<Array<{ count: number }>>(
            `SELECT count(*)::int AS count FROM accounts
              WHERE community_id = $1 AND currency_code = $2 AND kind IN ('MEMBER', 'SHOP')`,
            [actor.communityId, currency.code],
          );
          skipped = (total?.count ?? 0) - updated;
        }
        return { version, rules, scale: currency.scale, updated, skipped };
      });
    } catch (error) {
      if (isUniqueViolation(error, 'pk_currency_policies')) {
        throw new AppError(
          'CONFLICT',
          'Another steward changed this policy at the same moment: try again',
        );
      }
      throw error;
    }
  }

  async history(
    communityId: string,
    currencyCode: string,
  ): Promise<{ scale: number; versions: CurrencyPolicyEntity[] }> {
    const currency = await this.currencies.get(communityId, currencyCode);
    const versions = await this.dataSource.getRepository(CurrencyPolicyEntity).find({
      where: { communityId, currencyCode },
      order: { version: 'DESC' },
      take: 100,
    });
    return { scale: currency.scale, versions };
  }

  /** National money received for a member: the reserve grows and the member gets the credits it buys. */
  async recordReserveDeposit(
    actor: Actor,
    input: RecordReserveDepositInput,
  ): Promise<TransferEntity[]> {
    const backed = await this.backedCurrency(actor.communityId, input.currencyCode);
    const target = await this.account(actor.communityId, input.accountId, 'accountId');
    if (target.currencyCode !== backed.currency.code) {
      throw new LedgerError(
        'CURRENCY_MISMATCH',
        `accountId: the account does not hold ${backed.currency.code}`,
        {
          field: 'accountId',
        },
      );
    }
    const depositMinor = this.parse(input.amount, backed.reserve.scale);
    const creditsMinor = convertMinor(
      depositMinor,
      backed.reserve.scale,
      backed.rules.mintRate!,
      backed.currency.scale,
    );
    const fingerprint = requestFingerprint({ operation: 'recordReserveDeposit', ...input });
    const reserveIssuance = await this.issuanceAccount(actor.communityId, backed.reserve.code);
    const issuance = await this.issuanceAccount(actor.communityId, backed.currency.code);
    const memo = input.memo ?? null;
    return this.run(actor, [
      this.plain(
        TransferKind.ISSUANCE,
        reserveIssuance,
        backed.reserveAccountId,
        depositMinor,
        memo,
        `${input.idempotencyKey}${COMPANION_KEY_SUFFIX}`,
        fingerprint,
      ),
      this.plain(
        TransferKind.ISSUANCE,
        issuance,
        target.id,
        creditsMinor,
        memo,
        input.idempotencyKey,
        fingerprint,
        [backed.reserveAccountId],
      ),
    ]);
  }

  /** New credits from ISSUANCE; for a backed currency, never beyond the reserve's cap. */
  async mint(actor: Actor, input: MintInput): Promise<TransferEntity[]> {
    const target = await this.account(actor.communityId, input.accountId, 'accountId');
    const currency = await this.currencies.get(actor.communityId, target.currencyCode);
    const amountMinor = this.parse(input.amount, currency.scale);
    const issuance = await this.issuanceAccount(actor.communityId, currency.code);
    const rules = (await this.currencies.currentPolicies(actor.communityId, [currency.code])).get(
      currency.code,
    )?.rules;
    const reserveId = rules?.reserveAccountId ?? null;
    // Learns both scales for the cap check under the locks.
    if (reserveId !== null) await this.backedCurrency(actor.communityId, currency.code);
    return this.run(actor, [
      this.plain(
        TransferKind.ISSUANCE,
        issuance,
        target.id,
        amountMinor,
        input.memo ?? null,
        input.idempotencyKey,
        requestFingerprint({ operation: 'mint', ...input }),
        reserveId === null ? [] : [reserveId],
      ),
    ]);
  }

  /**
   * A shop turns credits back into national money: in one command the credits
   * return to ISSUANCE less the fee, the fee goes to the fee account, and the
   * reserve pays out the net amount at the mint rate.
   */
  async redeem(actor: Actor, input: RedeemInput): Promise<TransferEntity[]> {
    const source = await this.account(actor.communityId, input.accountId, 'accountId');
    const steward = actor.kind === 'USER' && actor.role === Role.STEWARD;
    if (!steward && source.ownerId !== actor.userId) {
      throw new AppError('FORBIDDEN', 'Shops redeem from their own accounts only');
    }
    if (source.kind !== AccountKind.SHOP && !steward) {
      throw new AppError('POLICY_VIOLATION', 'Only shop accounts redeem credits');
    }
    const backed = await this.backedCurrency(actor.communityId, source.currencyCode);
    const amountMinor = this.parse(input.amount, backed.currency.scale);
    const feeMinor =
      backed.rules.redemptionFeePercent === null
        ? 0n
        : percentOfMinor(amountMinor, backed.rules.redemptionFeePercent);
    const netMinor = amountMinor - feeMinor;
    const payoutMinor = convertMinorBack(
      netMinor,
      backed.currency.scale,
      backed.rules.mintRate!,
      backed.reserve.scale,
    );
    if (netMinor <= 0n || payoutMinor <= 0n) {
      throw new LedgerError('AMOUNT_NOT_POSITIVE', 'amount: too small to redeem after the fee', {
        field: 'amount',
      });
    }
    const issuance = await this.issuanceAccount(actor.communityId, backed.currency.code);
    const reserveIssuance = await this.issuanceAccount(actor.communityId, backed.reserve.code);
    const feeAccountId = backed.rules.redemptionFeeAccountId ?? null;
    const legs: Leg[] = [
      { accountId: source.id, amountMinor: -amountMinor },
      { accountId: issuance, amountMinor: netMinor },
    ];
    if (feeMinor > 0n) {
      if (feeAccountId === null)
        throw new AppError('POLICY_VIOLATION', 'The currency has no redemption fee account');
      legs.push({ accountId: feeAccountId, amountMinor: feeMinor });
    }
    const fingerprint = requestFingerprint({ operation: 'redeem', ...input });
    const memo = input.memo ?? null;
    const redemption: NewTransfer = {
      ...this.plain(
        TransferKind.REDEMPTION,
        source.id,
        issuance,
        amountMinor,
        memo,
        input.idempotencyKey,
        fingerprint,
      ),
      legs,
    };
    // The reserve movement first, the community-currency transfer last, as for deposits.
    return this.run(actor, [
      this.plain(
        TransferKind.REDEMPTION,
        backed.reserveAccountId,
        reserveIssuance,
        payoutMinor,
        memo,
        `${input.idempotencyKey}${COMPANION_KEY_SUFFIX}`,
        fingerprint,
      ),
      redemption,
    ]);
  }

  /** Pays the onboarding grant of a new member account, once; does nothing when the policy has none. */
  async grantOnboarding(account: AccountEntity, initiatedBy: string): Promise<void> {
    if (account.kind !== AccountKind.MEMBER) return;
    const rules = (
      await this.currencies.currentPolicies(account.communityId, [account.currencyCode])
    ).get(account.currencyCode)?.rules;
    const grant = rules?.onboardingGrantMinor;
    if (grant === null || grant === undefined || rules?.mode !== IssuanceMode.MUTUAL_CREDIT) return;
    const issuance = await this.issuanceAccount(account.communityId, account.currencyCode);
    const [outcome] = await this.engine.create(
      account.communityId,
      initiatedBy,
      [
        this.plain(
          TransferKind.ISSUANCE,
          issuance,
          account.id,
          BigInt(grant),
          'Onboarding grant',
          `onboarding-grant#${account.id}`,
          requestFingerprint({ operation: 'onboardingGrant', accountId: account.id }),
        ),
      ],
      { atomic: true, authorize: () => undefined },
    );
    if (outcome !== undefined && 'error' in outcome) throw outcome.error;
  }

  private async run(actor: Actor, transfers: NewTransfer[]): Promise<TransferEntity[]> {
    const outcomes: Outcome[] = await this.engine.create(
      actor.communityId,
      actor.userId,
      transfers,
      {
        atomic: true,
        authorize: (transfer, locked) => this.checkSupplyCap(transfer, locked),
      },
    );
    return outcomes.map((outcome) => {
      if ('error' in outcome) throw outcome.error;
      return outcome.transfer;
    });
  }

  /** Refuses a mint that would take a backed currency's supply past reserve × rate × backing ratio. */
  private checkSupplyCap(transfer: NewTransfer, locked: LockedView): void {
    if (transfer.kind !== TransferKind.ISSUANCE) return;
    const issuance = locked.rows.get(transfer.fromAccountId);
    if (issuance === undefined || issuance.kind !== AccountKind.ISSUANCE) return;
    const rules = locked.policyOf(issuance.currencyCode)?.rules;
    if (
      rules?.mode !== IssuanceMode.BACKED ||
      rules.reserveAccountId === null ||
      rules.reserveAccountId === undefined
    ) {
      return;
    }
    const reserve = locked.rows.get(rules.reserveAccountId);
    // A mint always locks the reserve it is checked against (lockAlso); a missing one is a bug.
    assert(reserve !== undefined, 'the reserve of a backed currency is locked before minting');
    const reserveScale = this.scales.get(reserve.currencyCode);
    const creditScale = this.scales.get(issuance.currencyCode);
    assert(
      reserveScale !== undefined && creditScale !== undefined,
      'scales of a backed currency are known before minting',
    );
    const supplyAfter = -locked.balanceMinor(issuance.id) + transfer.amountMinor;
    const capRate = new Decimal(rules.mintRate!).times(rules.backingRatio!);
    const cap = convertMinor(
      locked.balanceMinor(reserve.id),
      reserveScale,
      capRate.toFixed(),
      creditScale,
    );
    if (supplyAfter > cap) {
      throw new LedgerError(
        'SUPPLY_CAP_EXCEEDED',
        'Minting this would put more credits in circulation than the reserve backs',
        {
          capMinor: cap.toString(),
          supplyAfterMinor: supplyAfter.toString(),
        },
      );
    }
  }

  private plain(
    kind: TransferKind,
    fromAccountId: string,
    toAccountId: string,
    amountMinor: bigint,
    memo: string | null,
    idempotencyKey: string,
    fingerprint: string,
    lockAlso: string[] = [],
  ): NewTransfer {
    return {
      kind,
      fromAccountId,
      toAccountId,
      amountMinor,
      legs: simpleTransferLegs(fromAccountId, toAccountId, amountMinor),
      memo,
      idempotencyKey,
      fingerprint,
      mode: 'POST',
      expiresAt: null,
      reversalOf: null,
      force: false,
      lockAlso,
    };
  }

  private parse(text: string, scale: number): bigint {
    return readField('amount', () => parseAmount(text, scale));
  }

  private async account(communityId: string, id: string, field: string): Promise<AccountEntity> {
    const account = await this.dataSource
      .getRepository(AccountEntity)
      .findOneBy({ communityId, id });
    if (account === null) throw new AppError('NOT_FOUND', `No account ${id}`, { field });
    return account;
  }

  private async issuanceAccount(communityId: string, currencyCode: string): Promise<string> {
    const account = await this.dataSource
      .getRepository(AccountEntity)
      .findOneBy({ communityId, currencyCode, kind: AccountKind.ISSUANCE });
    if (account === null) throw new Error(`currency ${currencyCode} has no ISSUANCE account`);
    return account.id;
  }

  private async backedCurrency(communityId: string, code: string) {
    const currency = await this.currencies.get(communityId, code);
    const rules = (await this.currencies.currentPolicies(communityId, [code])).get(code)?.rules;
    if (
      rules?.mode !== IssuanceMode.BACKED ||
      rules.reserveCurrencyCode === null ||
      rules.reserveAccountId === null ||
      rules.reserveAccountId === undefined ||
      rules.mintRate === null
    ) {
      throw new AppError('POLICY_VIOLATION', `${code} is not a currency backed by a reserve`, {
        field: 'currencyCode',
      });
    }
    const reserve: CurrencyEntity = await this.currencies.get(
      communityId,
      rules.reserveCurrencyCode,
    );
    if (reserve.kind !== CurrencyKind.NATIONAL)
      throw new Error(`reserve currency ${reserve.code} is not NATIONAL`);
    this.scales.set(currency.code, currency.scale);
    this.scales.set(reserve.code, reserve.scale);
    return { currency, reserve, rules, reserveAccountId: rules.reserveAccountId };
  }
}
