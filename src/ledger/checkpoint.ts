import { createHash } from 'node:crypto';
import { canonicalJson } from './idempotency';
import { assert } from './ledger-error';

/**
 * Signed checkpoints: the ledger proving itself outside the database.
 *
 * The hash chains (hash-chain.ts) show that an account's entries were not
 * altered one by one, but someone who can write the database can rewrite an
 * account's whole history and compute its chain again with the documented
 * algorithm: the chain would still verify. A checkpoint anchors the chains
 * outside the database. It lists every account of a currency with its chain
 * head (entry count and the hash of its newest entry), the Merkle root over
 * those heads, and is signed with the server's Ed25519 key; stewards keep it
 * (or publish its root). Later, verifyLedger with the checkpoint checks, for
 * every account in it, that the entry at the checkpoint's entry count still
 * carries the hash the checkpoint recorded. Each hash covers all the entries
 * before it, so a match proves that nothing up to the checkpoint was
 * rewritten; a mismatch names the account.
 *
 * What it does not prove: anything written after the checkpoint (only the
 * chains do, until the next one), nor that the server's key was not used by
 * whoever rewrote the history to sign a false checkpoint; a checkpoint kept
 * by stewards before the rewrite is the proof.
 *
 * The Merkle tree: each leaf is the SHA-256 of
 * "mutua-head-v1\n<accountId>\n<entryCount>\n<hash>", leaves in accountId
 * order; each inner node is the SHA-256 of its two children's 32 bytes, the
 * last node of an odd level paired with itself; the root of no accounts is
 * the SHA-256 of "mutua-head-v1\n". All hashes are lowercase hex.
 */

export const CHECKPOINT_FORMAT = 'mutua-checkpoint-v1';

export interface ChainHead {
  accountId: string;
  entryCount: number;
  hash: string;
}

/** The signed part of a checkpoint. */
export interface CheckpointBody {
  format: string;
  communityId: string;
  currencyCode: string;
  takenAt: string;
  accountCount: number;
  merkleRoot: string;
  heads: ChainHead[];
}

/** What a steward keeps: the body, its signature and the key that made it. */
export interface SignedCheckpoint {
  checkpoint: CheckpointBody;
  /** Base64 Ed25519 signature over `signedText(checkpoint)`. */
  signature: string;
  /** The signing key's public half, PEM (SPKI). */
  publicKey: string;
}

const sha256 = (data: string | Buffer): Buffer => createHash('sha256').update(data).digest();

export function headLeaf(head: ChainHead): Buffer {
  return sha256(`mutua-head-v1\n${head.accountId}\n${head.entryCount}\n${head.hash}`);
}

/** The Merkle root over chain heads (see the top of this file). */
export function merkleRoot(heads: readonly ChainHead[]): string {
  const sorted = [...heads].sort((a, b) =>
    a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0,
  );
  if (sorted.length === 0) return sha256('mutua-head-v1\n').toString('hex');
  let level = sorted.map(headLeaf);
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let index = 0; index < level.length; index += 2) {
      const left = level[index];
      const right = level[index + 1] ?? left;
      next.push(sha256(Buffer.concat([left, right])));
    }
    level = next;
  }
  return level[0].toString('hex');
}

export function checkpointBody(
  communityId: string,
  currencyCode: string,
  takenAt: Date,
  heads: readonly ChainHead[],
): CheckpointBody {
  const sorted = [...heads].sort((a, b) =>
    a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0,
  );
  return {
    format: CHECKPOINT_FORMAT,
    communityId,
    currencyCode,
    takenAt: takenAt.toISOString(),
    accountCount: sorted.length,
    merkleRoot: merkleRoot(sorted),
    heads: sorted,
  };
}

/** The exact text that is signed: the canonical JSON of the body. */
export function signedText(body: CheckpointBody): string {
  return canonicalJson(body);
}

/**
 * Why a kept checkpoint cannot be read, or its parts; the signature itself is
 * checked by the caller, which holds the key.
 */
export function readSignedCheckpoint(text: string): SignedCheckpoint | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'it is not JSON';
  }
  const envelope = parsed as Partial<SignedCheckpoint> | null;
  const body = envelope?.checkpoint as Partial<CheckpointBody> | undefined;
  if (
    typeof envelope !== 'object' ||
    envelope === null ||
    typeof envelope.signature !== 'string' ||
    typeof envelope.publicKey !== 'string' ||
    typeof body !== 'object' ||
    body === null
  ) {
    return 'it is not a checkpoint with a signature and a public key';
  }
  if (body.format !== CHECKPOINT_FORMAT) return `its format is not ${CHECKPOINT_FORMAT}`;
  if (
    typeof body.communityId !== 'string' ||
    typeof body.currencyCode !== 'string' ||
    typeof body.takenAt !== 'string' ||
    typeof body.accountCount !== 'number' ||
    typeof body.merkleRoot !== 'string' ||
    !Array.isArray(body.heads) ||
    !body.heads.every(
      (head: Partial<ChainHead>) =>
        typeof head.accountId === 'string' &&
        typeof head.entryCount === 'number' &&
        Number.isSafeInteger(head.entryCount) &&
        head.entryCount >= 0 &&
        typeof head.hash === 'string' &&
        /^[0-9a-f]{64}$/.test(head.hash),
    )
  ) {
    return 'its fields are not those of a checkpoint';
  }
  return {
    checkpoint: body as CheckpointBody,
    signature: envelope.signature,
    publicKey: envelope.publicKey,
  };
}

/**
 * Compares a kept checkpoint's heads with the entries found now at the same
 * positions: `current(accountId, entryCount)` gives the stored hash of that
 * entry, or null when it is missing. Returns one sentence per account that
 * differs.
 */
export function compareWithCheckpoint(
  body: CheckpointBody,
  current: (accountId: string, entryCount: number) => string | null | undefined,
): string[] {
  const problems: string[] = [];
  if (merkleRoot(body.heads) !== body.merkleRoot || body.heads.length !== body.accountCount) {
    problems.push('The checkpoint’s heads do not give its Merkle root: the checkpoint was edited.');
  }
  for (const head of body.heads) {
    const found = current(head.accountId, head.entryCount);
    if (found === undefined) {
      problems.push(
        `Account ${head.accountId}: it no longer exists, but the checkpoint of ${body.takenAt} lists it.`,
      );
    } else if (head.entryCount > 0 && found === null) {
      problems.push(
        `Account ${head.accountId}: entry ${head.entryCount} is missing; the checkpoint of ${body.takenAt} holds it.`,
      );
    } else if (head.entryCount > 0 && found !== head.hash) {
      problems.push(
        `Account ${head.accountId}: entry ${head.entryCount} differs from the checkpoint of ${body.takenAt}: its history up to then was rewritten.`,
      );
    }
  }
  assert(problems.length <= body.heads.length + 1, 'one problem per account at most');
  return problems;
}
