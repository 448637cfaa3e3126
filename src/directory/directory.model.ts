import { Field, ID, ObjectType } from '@nestjs/graphql';
import { AccountKind } from '../ledger';

@ObjectType({
  description:
    'An account another member can pay: its id and whose it is, never its balance or limits.',
})
export class DirectoryAccount {
  @Field(() => ID)
  accountId!: string;

  @Field(() => AccountKind)
  kind!: AccountKind;

  @Field({ description: "The owner's display name; a fund's own name." })
  name!: string;

  @Field({ description: 'The account’s name, to tell two accounts of one owner apart.' })
  accountName!: string;

  @Field()
  currencyCode!: string;
}
