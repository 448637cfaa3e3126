import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccountEntity } from '../accounts/account.entity';
import { Actor } from '../access/actor';
import { isUniqueViolation } from '../common/database/postgres-errors';
import { retryTransient } from '../common/database/retry';
import { AppError } from '../common/errors/app-error';
import { CurrenciesService } from '../currencies/currencies.service';
import { CurrencyPolicyEntity } from '../currencies/currency-policy.entity';
import { CurrencyEntity, CurrencyKind } from '../currencies/currency.entity';
import { PolicyRules } from '../currencies/issuance-policy';
import { AccountKind, parseAmount, readField, requestFingerprint } from '../ledger';
import { LedgerDirectory } from '../transfers/ledger-directory';
import { PostingService, transfersOf } from '../transfers/posting.service';
import { TransferEntity } from '../transfers/transfer.entity';
import { initiatorOf } from '../transfers/transfers.service';
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

/** Every onboarding grant's idempotency key starts so (followed by the currency's code). */
const ONBOARDING_GRANT_KEY = 'onboarding-grant#';

@Injectable()
export class IssuanceService {
  private readonly logger = new Logger(IssuanceService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly currencies: CurrenciesService,
    private readonly posting: PostingService,
    private readonly directory: LedgerDirectory,
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
      rules.mode === 'BACKED' &&
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
      return await retryTransient('a change of issuance policy', this.logger, () =>
        this.dataSource.transaction(async (manager) => {
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
            // Every account first, in id order as a transfer takes them: an UPDATE
            // alone takes rows in whatever order its plan visits them, and
            // deadlocks with the transfers that lock the same accounts by id.
            await manager.query(
              `SELECT id FROM accounts
              WHERE community_id = $1 AND currency_code = $2 AND kind IN ('MEMBER', 'SHOP')
              ORDER BY id FOR UPDATE`,
              [actor.communityId, currency.code],
            );
            const result = await manager.query<[Array<{ applied: boolean }>, number]>(
              `UPDATE accounts SET floor_minor = $3::bigint, ceiling_minor = $4::bigint, updated_at = now()
              WHERE community_id = $1 AND currency_code = $2 AND kind IN ('MEMBER', 'SHOP')
                AND balance_minor - pending_debit_minor >= $3::bigint
                AND ($4::bigint IS NULL OR balance_minor + pending_credit_minor <= $4::bigint)
              RETURNING true AS applied`,
              [
                actor.communityId,
                currency.code,
                rules.defaultFloorMinor,
                rules.defaultCeilingMinor,
              ],
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
        }),
      );
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
    const depositMinor = this.parse(input.amount, backed.reserve.scale);
    return transfersOf(
      await this.posting.post(actor.communityId, {
        type: 'RESERVE_DEPOSIT',
        initiator: initiatorOf(actor),
        idempotencyKey: input.idempotencyKey,
        fingerprint: requestFingerprint({ operation: 'recordReserveDeposit', ...input }),
        memo: input.memo ?? null,
        currencyCode: backed.currency.code,
        accountId: input.accountId,
        depositMinor,
      }),
    );
  }

  /** New credits from ISSUANCE; for a backed currency, never beyond the reserve's cap. */
  async mint(actor: Actor, input: MintInput): Promise<TransferEntity[]> {
    const scale = await this.scaleOf(actor.communityId, input.accountId);
    const amountMinor = this.parse(input.amount, scale);
    return transfersOf(
      await this.posting.post(actor.communityId, {
        type: 'MINT',
        initiator: initiatorOf(actor),
        idempotencyKey: input.idempotencyKey,
        fingerprint: requestFingerprint({ operation: 'mint', ...input }),
        memo: input.memo ?? null,
        accountId: input.accountId,
        amountMinor,
      }),
    );
  }

  /**
   * A shop turns credits back into national money: in one command the credits
   * return to ISSUANCE less the fee, the fee goes to the fee account, and the
   * reserve pays out the net amount at the mint rate.
   */
  async redeem(actor: Actor, input: RedeemInput): Promise<TransferEntity[]> {
    const scale = await this.scaleOf(actor.communityId, input.accountId);
    const amountMinor = this.parse(input.amount, scale);
    return transfersOf(
      await this.posting.post(actor.communityId, {
        type: 'REDEEM',
        initiator: initiatorOf(actor),
        idempotencyKey: input.idempotencyKey,
        fingerprint: requestFingerprint({ operation: 'redeem', ...input }),
        memo: input.memo ?? null,
        accountId: input.accountId,
        amountMinor,
      }),
    );
  }

  /**
   * Pays the onboarding grant to a new member account, once per member and
   * currency, however many accounts the member opens in it; does nothing
   * when the policy has none. A member who already received it (into any of
   * their accounts of the currency, under any earlier key) gets nothing
   * more. The key is the member's and the currency's, recorded as the
   * member's own request: two accounts opened at once share it, so the
   * idempotency constraint lets only one grant through and the other is a
   * replay of it.
   */
  async grantOnboarding(account: AccountEntity): Promise<void> {
    if (account.kind !== AccountKind.MEMBER || account.ownerId === null) return;
    if (await this.ownerHasGrant(account.communityId, account.ownerId, account.currencyCode)) {
      return;
    }
    const result = await this.posting.post(account.communityId, {
      type: 'ONBOARDING_GRANT',
      initiator: { userId: account.ownerId, steward: false },
      idempotencyKey: `${ONBOARDING_GRANT_KEY}${account.currencyCode}`,
      fingerprint: requestFingerprint({
        operation: 'onboardingGrant',
        ownerId: account.ownerId,
        currencyCode: account.currencyCode,
      }),
      memo: 'Onboarding grant',
      accountId: account.id,
    });
    if (result.outcome === 'REFUSED') throw result.error;
  }

  /** Whether any account of `ownerId` in the currency has received an onboarding grant. */
  private async ownerHasGrant(
    communityId: string,
    ownerId: string,
    currencyCode: string,
  ): Promise<boolean> {
    const rows = await this.dataSource.query<Array<{ granted: number }>>(
      `SELECT 1 AS granted FROM transfers t
         JOIN accounts a ON a.community_id = t.community_id AND a.id = t.to_account_id
        WHERE t.community_id = $1 AND t.kind = 'ISSUANCE' AND t.idempotency_key LIKE $4
          AND a.owner_id = $2 AND a.currency_code = $3
        LIMIT 1`,
      [communityId, ownerId, currencyCode, `${ONBOARDING_GRANT_KEY}%`],
    );
    return rows.length > 0;
  }

  private async scaleOf(communityId: string, accountId: string): Promise<number> {
    const scale = await this.directory.scaleOf(communityId, accountId);
    if (scale === undefined) {
      throw new AppError('NOT_FOUND', `No account ${accountId}`, { field: 'accountId' });
    }
    return scale;
  }

  private parse(text: string, scale: number): bigint {
    return readField('amount', () => parseAmount(text, scale));
  }

  private async backedCurrency(communityId: string, code: string) {
    const currency = await this.currencies.get(communityId, code);
    const rules = (await this.currencies.currentPolicies(communityId, [code])).get(code)?.rules;
    if (
      rules?.mode !== 'BACKED' ||
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
    return { currency, reserve, rules, reserveAccountId: rules.reserveAccountId };
  }
}
