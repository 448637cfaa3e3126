import { Field, ID, InputType, Int } from '@nestjs/graphql';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import Decimal from 'decimal.js';
import { KeepsNull } from '../../common/errors/validation';
import { AccountStatusEnum } from '../account.entity';
import { AccountKind } from '../../ledger';

/**
 * Stewards one fund may name, when it opens and later; a vote among more
 * would not be a small group's decision.
 */
export const MAX_FUND_STEWARDS = 20;

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

  @Field(() => ID, {
    nullable: true,
    description: 'Stewards: the user the account is for (default: the steward).',
  })
  @IsOptional()
  @IsUUID()
  ownerId?: string;

  @Field(() => [ID], {
    nullable: true,
    description: `FUND accounts: the stewards who vote on its disbursements, 1 to ${MAX_FUND_STEWARDS} (default: every steward of the community).`,
  })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_FUND_STEWARDS, { message: `must name at most ${MAX_FUND_STEWARDS} stewards` })
  @ArrayUnique({ message: 'must name each steward once' })
  @IsUUID(undefined, { each: true })
  stewardIds?: string[];

  @Field(() => Int, {
    nullable: true,
    description:
      'FUND accounts: approvals that pay a disbursement out, 1 to the number of stewards (default: a majority).',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_FUND_STEWARDS)
  approvalsRequired?: number;

  @Field(() => Int, {
    nullable: true,
    description:
      "FUND accounts: the share of the fund's balance, in percent (1 to 100), that one member's pending requests may hold together (default 50).",
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  memberSharePercent?: number;

  @Field(() => Int, {
    nullable: true,
    description:
      'FUND accounts: how many requests one member may have pending on the fund at once, 1 to 100 (default 10).',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  maxOpenRequestsPerMember?: number;
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
  @KeepsNull()
  @IsOptional()
  floor?: string | null;

  @Field(() => Decimal, {
    nullable: true,
    description: 'New ceiling; null removes it; omitted keeps it.',
  })
  @KeepsNull()
  @IsOptional()
  ceiling?: string | null;

  @Field(() => Decimal, {
    nullable: true,
    description: 'New warning level; null removes it; omitted keeps it.',
  })
  @KeepsNull()
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
