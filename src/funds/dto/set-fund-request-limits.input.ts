import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { IsInt, IsUUID, Max, Min } from 'class-validator';
import { MAX_OPEN_REQUESTS_LIMIT } from '../rule-change-rules';

@InputType({
  description:
    "A fund's new request limits: what one member may tie up of it with pending disbursement requests.",
})
export class SetFundRequestLimitsInput {
  @Field(() => ID, { description: 'The FUND account.' })
  @IsUUID()
  fundAccountId!: string;

  @Field(() => Int, {
    description:
      "The share of the fund's balance, in percent, that one member's pending requests may hold together: 1 to 100.",
  })
  @IsInt()
  @Min(1)
  @Max(100)
  memberSharePercent!: number;

  @Field(() => Int, {
    description: `How many requests one member may have pending on the fund at once: 1 to ${MAX_OPEN_REQUESTS_LIMIT}.`,
  })
  @IsInt()
  @Min(1)
  @Max(MAX_OPEN_REQUESTS_LIMIT)
  maxOpenRequestsPerMember!: number;
}
