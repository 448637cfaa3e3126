import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsInt, IsUUID, Max, Min } from 'class-validator';
import { MAX_FUND_STEWARDS } from '../../accounts/dto/account.inputs';

@InputType({ description: "A fund's new rule: the whole list of its stewards and k." })
export class SetFundStewardsInput {
  @Field(() => ID, { description: 'The FUND account.' })
  @IsUUID()
  fundAccountId!: string;

  @Field(() => [ID], {
    description: `Every steward who votes from now on, 1 to ${MAX_FUND_STEWARDS} active stewards of the community; you may leave yourself out.`,
  })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_FUND_STEWARDS, { message: `must name at most ${MAX_FUND_STEWARDS} stewards` })
  @ArrayUnique({ message: 'must name each steward once' })
  @IsUUID(undefined, { each: true })
  stewardIds!: string[];

  @Field(() => Int, {
    description:
      'k: approvals that pay a new disbursement out, 1 to the number of stewards. Pending requests keep the k they were made under.',
  })
  @IsInt()
  @Min(1)
  @Max(MAX_FUND_STEWARDS)
  approvalsRequired!: number;
}
