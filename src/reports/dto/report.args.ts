import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsDate, IsEnum, IsOptional, IsUUID, Matches } from 'class-validator';
import { PageArgs } from '../../common/pagination/connection';
import { SeriesInterval } from '../circulation.model';
import { JournalFormat } from '../journal.model';

const CURRENCY_CODE = /^[A-Z][A-Z0-9]{1,9}$/;
const currencyCodeMessage = { message: 'must be a currency code such as HOUR' };

@ArgsType()
export class AccountStatementArgs extends PageArgs {
  @Field(() => ID)
  @IsUUID()
  accountId!: string;

  @Field(() => Date, { nullable: true, description: 'Start (inclusive); omitted: the beginning.' })
  @IsOptional()
  @IsDate()
  from?: Date;

  @Field(() => Date, { nullable: true, description: 'End (exclusive); omitted: no end.' })
  @IsOptional()
  @IsDate()
  to?: Date;
}

@ArgsType()
export class BalanceAsOfArgs {
  @Field(() => ID)
  @IsUUID()
  accountId!: string;

  @Field({ description: 'Entries posted at or before this instant count.' })
  @IsDate()
  at!: Date;
}

@ArgsType()
export class TrialBalanceArgs extends PageArgs {
  @Field()
  @Matches(CURRENCY_CODE, currencyCodeMessage)
  currencyCode!: string;

  @Field(() => Date, {
    nullable: true,
    description: 'Entries posted at or before this instant count; omitted: now.',
  })
  @IsOptional()
  @IsDate()
  at?: Date;
}

@ArgsType()
export class FundReportArgs {
  @Field(() => ID, { description: 'A FUND account.' })
  @IsUUID()
  accountId!: string;

  @Field(() => Date, { nullable: true, description: 'Start (inclusive); omitted: the beginning.' })
  @IsOptional()
  @IsDate()
  from?: Date;

  @Field(() => Date, { nullable: true, description: 'End (exclusive); omitted: no end.' })
  @IsOptional()
  @IsDate()
  to?: Date;
}

@ArgsType()
export class CirculationArgs {
  @Field()
  @Matches(CURRENCY_CODE, currencyCodeMessage)
  currencyCode!: string;

  @Field(() => Date, {
    nullable: true,
    description: "Start (inclusive); omitted: the currency's creation.",
  })
  @IsOptional()
  @IsDate()
  from?: Date;

  @Field(() => Date, { nullable: true, description: 'End (exclusive); omitted: now.' })
  @IsOptional()
  @IsDate()
  to?: Date;

  @Field(() => SeriesInterval, {
    nullable: true,
    description: 'Series buckets; omitted: DAY when a daily series fits 400 points, else WEEK.',
  })
  @IsOptional()
  @IsEnum(SeriesInterval)
  interval?: SeriesInterval;
}

@ArgsType()
export class ExportJournalArgs {
  @Field()
  @Matches(CURRENCY_CODE, currencyCodeMessage)
  currencyCode!: string;

  @Field(() => Date, {
    nullable: true,
    description: 'Transfers posted from this instant (inclusive); omitted: the beginning.',
  })
  @IsOptional()
  @IsDate()
  from?: Date;

  @Field(() => Date, {
    nullable: true,
    description: 'Transfers posted before this instant; omitted: until now.',
  })
  @IsOptional()
  @IsDate()
  to?: Date;

  @Field(() => JournalFormat)
  @IsEnum(JournalFormat)
  format!: JournalFormat;
}
