import { createHash } from 'node:crypto';
import { canonicalJson } from './idempotency';
import { assert } from './ledger-error';

/**
 * The per-account hash chain of entries.
 *
 * Each entry of an account stores a hash that covers its own fields and the
 * hash of the account's previous entry (GENESIS_HASH for the first), so
 * altering, removing or reordering any stored entry breaks every later link.
 * Sequence numbers start at 1 and increase by 1 per entry of the account.
 *
 * The hash of an entry, which an outside auditor can recompute from an export:
 *
 *   hash = lowercase hex of SHA-256 over the UTF-8 bytes of these nine lines,
 *          joined by a line feed ("\n", 0x0A), with no line feed at the end:
 *
 *     mutua-entry-v1
 *     <previousHash>        64 lowercase hex digits
 *     <communityId>
 *     <accountId>
 *     <sequence>            decimal, no leading zeros
 *     <transferId>
 *     <amountMinor>         signed integer of minor units in decimal, '-' for negatives
 *     <balanceAfterMinor>   same format
 *     <postedAt>            ISO 8601 in UTC with milliseconds: 2024-03-01T09:30:00.000Z
 *
 * For example, the first entry of account "acct-1" in community "comm-1",
 * transfer "tr-1", amount -150, balance after -150, posted at
 * 2024-03-01T09:30:00.000Z, hashes the text
 * "mutua-entry-v1\n0000…0000\ncomm-1\nacct-1\n1\ntr-1\n-150\n-150\n2024-03-01T09:30:00.000Z"
 * (64 zeros) to 82d596fa3d1d2dd727a959dffc30e01a5edaa1b573090b2c5eb97635089c5331
 * — the spec beside this file checks that vector.
 *
 * Identifiers may not contain a line feed, which keeps the encoding
 * unambiguous. Amounts are minor units, so the currency's scale is not part of
 * the hash; it cannot change after the currency is created.
 *
 * Version 2. A version-1 hash covers the entry alone, so a transfer row
 * rewritten behind the database's guards (its amount, accounts, memo or
 * initiator) would go unnoticed. Every entry written since version 2 also
 * covers the record of its transfer: its text is the nine lines above with
 * the first reading "mutua-entry-v2" and a tenth line, the transfer's digest:
 *
 *     transferDigest = lowercase hex of SHA-256 over the UTF-8 of
 *                      "mutua-transfer-v1\n" followed by the canonical JSON
 *                      (src/ledger/idempotency.ts) of the transfer record
 *
 * The record is every field of the transfer that never changes once it is
 * written (see TransferRecord below); fields that are null are left out, so
 * a field added to transfers later leaves the digests of older transfers as
 * they were. Status and the times it moves (posted, finished) are not part
 * of it: a pending transfer's status changes once, and each entry carries its
 * own postedAt. Each entry stores its version; along one account's chain the
 * version never goes back from 2 to 1, so a rewritten tail cannot be passed
 * off as older entries.
 */

export const ENTRY_HASH_VERSION = 'mutua-entry-v1';
export const ENTRY_HASH_VERSION_2 = 'mutua-entry-v2';
export const TRANSFER_DIGEST_VERSION = 'mutua-transfer-v1';
export type EntryHashVersion = 1 | 2;
/** The version every new entry is written with. */
export const CURRENT_ENTRY_HASH_VERSION: EntryHashVersion = 2;
export const GENESIS_HASH = '0'.repeat(64);

/** Stops a badly damaged account from producing an unbounded report. */
export const MAX_PROBLEMS_PER_ACCOUNT = 100;

const HEX_HASH = /^[0-9a-f]{64}$/;

export interface EntryHashInput {
  communityId: string;
  accountId: string;
  sequence: number;
  transferId: string;
  amountMinor: bigint;
  balanceAfterMinor: bigint;
  postedAt: Date;
  /** 1 when omitted. */
  hashVersion?: EntryHashVersion;
  /** Version 2: the digest of the entry's transfer record (`transferDigest`). */
  transferDigest?: string;
}

/** The fields of a transfer that never change once written; the input of its digest. */
export interface TransferRecord {
  communityId: string;
  id: string;
  currencyCode: string;
  kind: string;
  amountMinor: bigint;
  fromAccountId: string;
  toAccountId: string;
  legs: ReadonlyArray<{ accountId: string; amountMinor: bigint }>;
  memo: string | null;
  initiatedBy: string;
  idempotencyKey: string;
  requestFingerprint: string;
  reversalOf: string | null;
  forced: boolean;
  createdAt: Date;
  expiresAt: Date | null;
  policyVersion: number | null;
  /** Further links of the transfer (e.g. the payment request it pays); absent keys are left out. */
  links?: Readonly<Record<string, string | null>>;
}

/** The digest of a transfer record that version-2 entry hashes cover (see the top of this file). */
export function transferDigest(record: TransferRecord): string {
  const payload: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (value === null || value === undefined) continue;
    if (key === 'links') {
      for (const [link, target] of Object.entries(value as Record<string, string | null>)) {
        if (target !== null && target !== undefined) payload[`link:${link}`] = target;
      }
      continue;
    }
    payload[key] = value;
  }
  payload.legs = record.legs.map((leg) => ({
    accountId: leg.accountId,
    amountMinor: leg.amountMinor,
  }));
  return createHash('sha256')
    .update(`${TRANSFER_DIGEST_VERSION}\n${canonicalJson(payload)}`, 'utf8')
    .digest('hex');
}

export interface HashedEntry extends EntryHashInput {
  hash: string;
  /** The running totals the entry stores, when it stores them; checked like the balance after. */
  totalInMinor?: bigint;
  totalOutMinor?: bigint;
}

/** Where a chain verified page by page left off: the last entry already checked. */
export interface ChainCheckpoint {
  hash: string;
  sequence: number;
  balanceAfterMinor: bigint;
  hashVersion?: EntryHashVersion;
  totalInMinor?: bigint;
  totalOutMinor?: bigint;
}

/** Why these fields cannot be encoded, or null when they can. */
function encodingProblem(previousHash: string, entry: EntryHashInput): string | null {
  if (!HEX_HASH.test(previousHash)) return 'the previous hash is not 64 lowercase hex digits';
  for (const [name, value] of [
    ['communityId', entry.communityId],
    ['accountId', entry.accountId],
    ['transferId', entry.transferId],
  ] as const) {
    if (value.length === 0 || value.includes('\n')) {
      return `${name} is empty or contains a line feed`;
    }
  }
  if (!Number.isSafeInteger(entry.sequence) || entry.sequence < 1) {
    return `sequence ${entry.sequence} is not a positive integer`;
  }
  if (Number.isNaN(entry.postedAt.getTime())) return 'postedAt is not a valid instant';
  const year = entry.postedAt.getUTCFullYear();
  if (year < 0 || year > 9999) return 'postedAt is outside the years 0000 to 9999';
  const version = entry.hashVersion ?? 1;
  if (version !== 1 && version !== 2) return `hash version ${String(version)} is unknown`;
  if (version === 2 && !HEX_HASH.test(entry.transferDigest ?? '')) {
    return 'the transfer digest is not 64 lowercase hex digits';
  }
  return null;
}

/** The exact text that `entryHash` hashes (see the top of this file). */
export function canonicalEntryText(previousHash: string, entry: EntryHashInput): string {
  const problem = encodingProblem(previousHash, entry);
  assert(problem === null, `entry can be hashed: ${problem ?? ''}`);
  const version = entry.hashVersion ?? 1;
  const lines = [
    version === 2 ? ENTRY_HASH_VERSION_2 : ENTRY_HASH_VERSION,
    previousHash,
    entry.communityId,
    entry.accountId,
    entry.sequence.toString(),
    entry.transferId,
    entry.amountMinor.toString(),
    entry.balanceAfterMinor.toString(),
    entry.postedAt.toISOString(),
  ];
  if (version === 2) lines.push(entry.transferDigest!);
  return lines.join('\n');
}

/** The hash of an entry chained to the hash of the account's previous entry. */
export function entryHash(previousHash: string, entry: EntryHashInput): string {
  return createHash('sha256').update(canonicalEntryText(previousHash, entry), 'utf8').digest('hex');
}

/**
 * Checks one account's entries, given in sequence order, and returns the
 * problems found as sentences naming the account and sequence; an empty list
 * means the chain is intact. It checks that all entries belong to one account
 * of one community, that sequences run 1, 2, 3… without gaps, that no
 * transfer has two entries, that each stored hash matches the entry and its
 * predecessor's stored hash, that each balance after equals the previous one
 * plus the amount, and, when `expected` is given, that the entries sum to the
 * account's stored balance. Damaged data is reported, never thrown.
 *
 * Each hash is recomputed from the stored hash of the previous entry, so an
 * altered entry is reported where it is (and at the next entry when the
 * stored hash itself was altered) instead of at every later entry.
 *
 * To verify a long chain in pages, pass the last entry of the previous page
 * as `resumeFrom`, and `expected` only with the last page (the balance check
 * then compares the last balance after, which the per-entry checks tie to the
 * sum of all entries).
 */
export function verifyAccountChain(
  entries: readonly HashedEntry[],
  expected?: { accountId?: string; balanceMinor: bigint },
  resumeFrom?: ChainCheckpoint,
): string[] {
  const accountId = entries[0]?.accountId ?? expected?.accountId ?? '(unknown)';
  const communityId = entries[0]?.communityId;
  const problems: string[] = [];
  let problemCount = 0;
  const report = (sequence: number | null, text: string): void => {
    problemCount += 1;
    if (problems.length < MAX_PROBLEMS_PER_ACCOUNT) {
      const where = sequence === null ? '' : ` entry ${sequence}`;
      problems.push(`Account ${accountId}${where}: ${text}.`);
    }
  };

  let previousHash = resumeFrom?.hash ?? GENESIS_HASH;
  let expectedSequence = (resumeFrom?.sequence ?? 0) + 1;
  let previousBalanceAfterMinor = resumeFrom?.balanceAfterMinor ?? 0n;
  let previousVersion: EntryHashVersion = resumeFrom?.hashVersion ?? 1;
  let totalInMinor = resumeFrom?.totalInMinor ?? 0n;
  let totalOutMinor = resumeFrom?.totalOutMinor ?? 0n;
  const transferIds = new Set<string>();

  for (const entry of entries) {
    const sequence = entry.sequence;
    if (entry.accountId !== accountId) {
      report(sequence, `belongs to account ${entry.accountId}`);
    }
    if (entry.communityId !== communityId) {
      report(sequence, `belongs to community ${entry.communityId}, not ${communityId ?? ''}`);
    }
    if (sequence !== expectedSequence) {
      report(sequence, `out of order: expected sequence ${expectedSequence}`);
    }
    expectedSequence = Number.isSafeInteger(sequence) ? sequence + 1 : expectedSequence + 1;
    if (transferIds.has(entry.transferId)) {
      report(sequence, `a second entry for transfer ${entry.transferId}`);
    }
    transferIds.add(entry.transferId);

    const problem = encodingProblem(previousHash, entry);
    if (problem !== null) {
      report(sequence, `cannot be hashed: ${problem}`);
    } else {
      const computedHash = entryHash(previousHash, entry);
      if (computedHash !== entry.hash) {
        report(sequence, `hash mismatch: stored ${entry.hash}, computed ${computedHash}`);
      }
    }
    previousHash = entry.hash;
    const version = entry.hashVersion ?? 1;
    if (version < previousVersion) {
      report(sequence, `hash version ${version} follows a version ${previousVersion} entry`);
    }
    previousVersion = version;

    const runningBalanceMinor = previousBalanceAfterMinor + entry.amountMinor;
    if (entry.balanceAfterMinor !== runningBalanceMinor) {
      report(
        sequence,
        `balance after is ${entry.balanceAfterMinor} but the running sum is ${runningBalanceMinor}`,
      );
    }
    previousBalanceAfterMinor = entry.balanceAfterMinor;

    if (entry.amountMinor > 0n) totalInMinor += entry.amountMinor;
    else totalOutMinor -= entry.amountMinor;
    if (
      entry.totalInMinor !== undefined &&
      entry.totalOutMinor !== undefined &&
      (entry.totalInMinor !== totalInMinor || entry.totalOutMinor !== totalOutMinor)
    ) {
      report(
        sequence,
        `running totals are ${entry.totalInMinor} in and ${entry.totalOutMinor} out but the entries sum to ${totalInMinor} and ${totalOutMinor}`,
      );
      totalInMinor = entry.totalInMinor;
      totalOutMinor = entry.totalOutMinor;
    }
  }

  if (expected !== undefined) {
    if (expected.accountId !== undefined && expected.accountId !== accountId) {
      report(null, `expected the entries of account ${expected.accountId}`);
    }
    let entriesSumMinor = resumeFrom?.balanceAfterMinor ?? 0n;
    for (const entry of entries) entriesSumMinor += entry.amountMinor;
    if (entriesSumMinor !== expected.balanceMinor) {
      report(
        null,
        `stored balance ${expected.balanceMinor} differs from the sum of its entries ${entriesSumMinor}`,
      );
    } else if (previousBalanceAfterMinor !== expected.balanceMinor) {
      report(
        null,
        `stored balance ${expected.balanceMinor} differs from the last balance after ${previousBalanceAfterMinor}`,
      );
    }
  }

  if (problemCount > problems.length) {
    problems.push(
      `Account ${accountId}: ${problemCount - problems.length} more problems not listed.`,
    );
  }
  return problems;
}
