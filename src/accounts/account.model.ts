import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import Decimal from 'decimal.js';
import { Currency } from '../currencies/currency.model';
import { User } from '../users/user.model';
import { AccountEntity, AccountStatusEnum } from './account.entity';
import { AccountKind } from '../ledger';

registerEnumType(AccountKind, {
  name: 'AccountKind',
  description: 'MEMBER, SHOP and FUND hold money; ISSUANCE, RESERVE and FEES are system accounts.',
});
registerEnumType(AccountStatusEnum, {
  name: 'AccountStatus',
  description: 'FROZEN and CLOSED accounts move no money; CLOSED is final.',
});

/**
 * An account as the API shows it. `balance`, `availableBalance` and the limits
 * are resolved by AccountsResolver, which hides them from callers who may see
 * the account's name (a payment's counterparty) but not its money.
 */
@ObjectType()
export class Account {
  @Field(() => ID)
  id!: string;

  @Field(() => AccountKind)
  kind!: AccountKind;

  @Field()
  name!: string;

  @Field(() => AccountStatusEnum)
  status!: AccountStatusEnum;

  @Field(() => Currency)
  currency!: Currency;

  @Field(() => User, { nullable: true })
  owner!: User | null;

  @Field(() => Decimal)
  balance!: string;

  @Field(() => Decimal, { description: 'Balance less pending debits: what can be spent now.' })
  availableBalance!: string;

  @Field(() => Decimal, { nullable: true, description: 'Lowest allowed balance; null for none.' })
  floor!: string | null;

  @Field(() => Decimal, {
    description:
      'How far "earn your limit" has lowered the floor: a share of what the account received in trade, up to the policy cap.',
  })
  earnedCredit!: string;

  @Field(() => Decimal, {
    nullable: true,
    description: 'The floor in force: floor less earnedCredit; null for none.',
  })
  effectiveFloor!: string | null;

  @Field(() => Decimal, { nullable: true, description: 'Highest allowed balance; null for none.' })
  ceiling!: string | null;

  @Field(() => Decimal, {
    nullable: true,
    description: 'A soft lower level: transfers crossing it carry a warning but are not refused.',
  })
  warningLevel!: string | null;

  @Field()
  createdAt!: Date;

  /** The row behind this account, for the field resolvers. */
  entity!: AccountEntity;
}

export function toAccountShell(entity: AccountEntity): Account {
  return {
    id: entity.id,
    kind: entity.kind,
    name: entity.name,
    status: entity.status,
    createdAt: entity.createdAt,
    entity,
  } as Account;
}
