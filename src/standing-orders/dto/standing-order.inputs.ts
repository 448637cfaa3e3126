import { Field, ID, InputType } from '@nestjs/graphql';
import { IsEnum, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import Decimal from 'decimal.js';
import { TransferKind } from '../../transfers/transfer.entity';
import { MAX_MEMO_LENGTH } from '../../transfers/dto/transfer.inputs';
import { StandingOrderInterval } from '../standing-order.entity';

@InputType()
export class CreateStandingOrderInput {
  @Field(() => ID)
  @IsUUID()
  fromAccountId!: string;

  @Field(() => ID)
  @IsUUID()
  toAccountId!: string;

  @Field(() => Decimal)
  @IsString()
  amount!: string;

  @Field(() => TransferKind, {
    nullable: true,
    description: 'PAYMENT (default), CONTRIBUTION or EXCHANGE.',
  })
  @IsOptional()
  @IsIn([TransferKind.PAYMENT, TransferKind.CONTRIBUTION, TransferKind.EXCHANGE])
  kind?: TransferKind;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_MEMO_LENGTH)
  memo?: string;

  @Field(() => StandingOrderInterval)
  @IsEnum(StandingOrderInterval)
  interval!: StandingOrderInterval;

  @Field({
    nullable: true,
    description: 'First payment (default: now), from an hour ago to a year ahead.',
  })
  @IsOptional()
  startsAt?: Date;

  @Field({ nullable: true, description: 'No payment falls due after this instant.' })
  @IsOptional()
  endsAt?: Date;
}
