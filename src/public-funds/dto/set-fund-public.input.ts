import { Field, ID, InputType } from '@nestjs/graphql';
import { IsBoolean, IsUUID } from 'class-validator';

@InputType({ description: "Publish a fund's public page, or withdraw it." })
export class SetFundPublicInput {
  @Field(() => ID, { description: 'The FUND account.' })
  @IsUUID()
  fundAccountId!: string;

  @Field({ description: 'true: anyone may read the public page; false: nobody outside.' })
  @IsBoolean()
  public!: boolean;
}
