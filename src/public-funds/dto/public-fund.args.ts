import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsString, IsUUID, MaxLength } from 'class-validator';

@ArgsType()
export class PublicFundsArgs {
  @Field({ description: 'The community, e.g. "riverside".' })
  @IsString()
  @MaxLength(100)
  communitySlug!: string;
}

@ArgsType()
export class PublicFundArgs extends PublicFundsArgs {
  @Field(() => ID, { description: 'The FUND account.' })
  @IsUUID()
  fundAccountId!: string;
}
