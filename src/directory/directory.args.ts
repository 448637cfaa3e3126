import { ArgsType, Field, Int } from '@nestjs/graphql';
import {
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { AccountKind } from '../ledger';

export const MAX_DIRECTORY_PAGE = 50;

@ArgsType()
export class AccountDirectoryArgs {
  @Field({ description: 'The currency to pay or be paid in, e.g. HOUR.' })
  @Matches(/^[A-Z][A-Z0-9]{1,9}$/, { message: 'must be a currency code such as HOUR' })
  currencyCode!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Part of the name, any case (1 to 100 characters); omitted: every name.',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  search?: string | null;

  @Field(() => AccountKind, {
    nullable: true,
    description: 'MEMBER, SHOP or FUND; omitted: all three.',
  })
  @IsOptional()
  @IsEnum(AccountKind)
  kind?: AccountKind | null;

  @Field(() => Int, { nullable: true, description: `1 to ${MAX_DIRECTORY_PAGE} (default 20).` })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_DIRECTORY_PAGE)
  first?: number | null;
}
