import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import Decimal from 'decimal.js';
import { Account } from '../accounts/account.model';
import { EntryEntity } from './entry.entity';
import { TransferEntity, TransferKind, TransferStatusEnum } from './transfer.entity';

registerEnumType(TransferKind, { name: 'TransferKind' });
registerEnumType(TransferStatusEnum, {
  name: 'TransferStatus',
  description: 'PENDING → POSTED | VOIDED | EXPIRED; the last three are final.',
});

@ObjectType({ description: 'A money movement between accounts of one currency.' })
export class Transfer {
  @Field(() => ID)
  id!: string;

  @Field(() => TransferKind)
  kind!: TransferKind;

  @Field(() => TransferStatusEnum)
  status!: TransferStatusEnum;

  @Field(() => Decimal, {
    description: "What left fromAccount's owner's hands; fees appear only in entries.",
  })
  amount!: string;

  @Field()
  currencyCode!: string;

  @Field(() => String, { nullable: true })
  memo!: string | null;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  postedAt!: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: 'For a pending transfer: when it expires unless posted.',
  })
  expiresAt!: Date | null;

  @Field(() => Account)
  fromAccount!: Account;

  @Field(() => Account)
  toAccount!: Account;

  @Field(() => [Entry])
  entries!: Entry[];

  @Field(() => Transfer, { nullable: true })
  reversalOf!: Transfer | null;

  @Field(() => Transfer, { nullable: true, description: 'The reversal of this transfer, if any.' })
  reversedBy!: Transfer | null;

  @Field(() => Int, {
    nullable: true,
    description: "The version of the currency's policy it followed (fees, limits).",
  })
  policyVersion!: number | null;

  @Field({ description: 'A steward posted it past an account limit.' })
  forced!: boolean;

  @Field(() => [String], {
    description:
      'Soft limits crossed by this transfer, as CODE:accountId (e.g. BELOW_WARNING_LEVEL:…), on the accounts you may read.',
  })
  warnings!: string[];

  entity!: TransferEntity;
}

@ObjectType({
  description: 'One posting of a transfer to one account. Never changes once written.',
})
export class Entry {
  @Field(() => ID, {
    description:
      "Opaque, stable and unique: the same for every caller, and it tells nothing of the account's history (a transfer has at most one entry per account).",
  })
  id!: string;

  @Field(() => Account)
  account!: Account;

  @Field(() => Transfer)
  transfer!: Transfer;

  @Field(() => Decimal, { description: 'Signed: negative leaves the account.' })
  amount!: string;

  @Field(() => Decimal, {
    nullable: true,
    description:
      "The account's balance after this entry; null on an account you may not read (a counterparty's).",
  })
  balanceAfter!: string | null;

  @Field(() => Int, {
    nullable: true,
    description:
      "Position in the account's history, from 1; null on an account you may not read (a counterparty's), whose number of entries is its own.",
  })
  sequence!: number | null;

  @Field()
  postedAt!: Date;

  entity!: EntryEntity;
  /** The currency's scale, for the amounts resolved later. */
  scale!: number;
}

@ObjectType()
export class BatchItemError {
  @Field({ description: 'The API error code, as in extensions.code.' })
  code!: string;

  @Field({ description: 'The specific reason, e.g. INSUFFICIENT_FUNDS.' })
  reason!: string;

  @Field()
  message!: string;
}

@ObjectType()
export class TransferBatchItem {
  @Field(() => Int, { description: 'Position in the request, from 0.' })
  index!: number;

  @Field(() => Transfer, { nullable: true })
  transfer!: Transfer | null;

  @Field(() => BatchItemError, { nullable: true })
  error!: BatchItemError | null;
}

@ObjectType()
export class TransferBatchResult {
  @Field(() => [TransferBatchItem])
  results!: TransferBatchItem[];

  @Field(() => Int)
  postedCount!: number;

  @Field(() => Int)
  failedCount!: number;
}

@ObjectType()
export class LedgerCheck {
  @Field()
  ok!: boolean;

  @Field(() => [String])
  problems!: string[];

  @Field(() => Int)
  accountsChecked!: number;

  @Field(() => Int)
  entriesChecked!: number;

  @Field(() => Int, {
    nullable: true,
    description:
      'With a checkpoint: how many of its accounts were compared with the ledger as it is now.',
  })
  checkpointAccountsCompared?: number | null;
}

@ObjectType({ description: "An account's chain head: its entry count and newest entry's hash." })
export class ChainHead {
  @Field(() => ID)
  accountId!: string;

  @Field(() => Int)
  entryCount!: number;

  @Field()
  hash!: string;
}

@ObjectType({
  description:
    "A signed checkpoint of a currency's ledger: every account's chain head, a Merkle root over them and an Ed25519 signature. Keep `document`; verifyLedger(checkpoint:) proves that nothing up to it was rewritten.",
})
export class LedgerCheckpoint {
  @Field(() => ID)
  id!: string;

  @Field()
  currencyCode!: string;

  @Field()
  takenAt!: Date;

  @Field(() => Int)
  accountCount!: number;

  @Field({ description: 'Lowercase hex SHA-256 Merkle root over the chain heads.' })
  merkleRoot!: string;

  @Field({ description: 'The Ed25519 public key that verifies the signature, PEM (SPKI).' })
  publicKey!: string;

  @Field({ description: 'Base64 Ed25519 signature of the checkpoint.' })
  signature!: string;

  @Field({
    description: 'The signed checkpoint as JSON text: keep it, and hand it to verifyLedger.',
  })
  document!: string;

  @Field(() => [ChainHead])
  heads!: ChainHead[];
}
