import { Field, ID, InputType } from '@nestjs/graphql';
import {
  IsEnum,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import Decimal from 'decimal.js';
import { AccountKind, AccountStatusEnum } from '../account.entity';

@InputType()
export class OpenAccountInput {
  @Field()
  @IsString()
  @Matches(/^[A-Z][A-Z0-9]{1,9}$/, { message: 'must be a currency code such as HOUR' })
  currencyCode!: string;

  @Field(() => AccountKind, {
    nullable: true,
    description: "MEMBER for members, SHOP for shops (the default for the caller's role).",
  })
  @IsOptional()
  @IsEnum(AccountKind)
  kind?: AccountKind;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name?: string;

  @Field(() => ID, { nullable: true, description: 'Stewards: the user the account is for.' })
  @IsOptional()
  @IsUUID()
  ownerId?: string;
}

@InputType()
export class SetAccountLimitsInput {
  @Field(() => ID)
  @IsUUID()
  accountId!: string;

  @Field(() => Decimal, {
    nullable: true,
    description: 'New floor; null removes it; omitted keeps it.',
  })
  @IsOptional()
  floor?: string | null;

  @Field(() => Decimal, {
    nullable: true,
    description: 'New ceiling; null removes it; omitted keeps it.',
  })
  @IsOptional()
  ceiling?: string | null;

  @Field(() => Decimal, {
    nullable: true,
    description: 'New warning level; null removes it; omitted keeps it.',
  })
  @IsOptional()
  warningLevel?: string | null;
}

@InputType()
export class SetAccountStatusInput {
  @Field(() => ID)
  @IsUUID()
  accountId!: string;

  @Field(() => AccountStatusEnum)
  @IsEnum(AccountStatusEnum)
  status!: AccountStatusEnum;
}

@InputType()
export class AccountFilter {
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  currencyCode?: string;

  @Field(() => AccountKind, { nullable: true })
  @IsOptional()
  @IsEnum(AccountKind)
  kind?: AccountKind;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  ownerId?: string;

  @Field(() => AccountStatusEnum, { nullable: true })
  @IsOptional()
  @IsEnum(AccountStatusEnum)
  status?: AccountStatusEnum;
}
