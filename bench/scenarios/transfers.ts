import { GraphQLResponse } from '../lib/graphql';
import { firstError, LoadRequest } from '../lib/load';

/**
 * The requests of the three throughput scenarios, all made by the steward:
 *
 * - uniform: one `transfer` between two random members (never the same one);
 * - hot account: like uniform, except that half of all transfers pay the
 *   shop, so that every other transfer queues for the shop's row lock;
 * - batch: one `transferBatch` of 100 uniform transfers.
 *
 * Each transfer moves 0.01 hours under a fresh idempotency key, so none is
 * a replay. The amount is tiny against the members' floor, so none is
 * refused for insufficient funds either: a refusal in a run is a failure.
 */

export const BATCH_SIZE = 100;

const TRANSFER = `mutation Transfer($input: TransferInput!) {
  transfer(input: $input) { id status }
}`;

export interface TransferTargets {
  memberAccountIds: readonly string[];
  shopAccountId: string;
}

interface TransferInput {
  fromAccountId: string;
  toAccountId: string;
  amount: string;
  kind: 'EXCHANGE';
  idempotencyKey: string;
}

function randomIndex(count: number): number {
  return Math.floor(Math.random() * count);
}

/** A random member paying another random member, or the shop with probability `hotShare`. */
function randomTransfer(
  targets: TransferTargets,
  hotShare: number,
  idempotencyKey: string,
): TransferInput {
  const members = targets.memberAccountIds;
  const from = randomIndex(members.length);
  let toAccountId: string;
  if (hotShare > 0 && Math.random() < hotShare) {
    toAccountId = targets.shopAccountId;
  } else {
    // Any member but the sender.
    toAccountId = members[(from + 1 + randomIndex(members.length - 1)) % members.length];
  }
  return {
    fromAccountId: members[from],
    toAccountId,
    amount: '0.01',
    kind: 'EXCHANGE',
    idempotencyKey,
  };
}

export function transferRequests(
  targets: TransferTargets,
  hotShare: number,
  runLabel: string,
): (worker: number, sequence: number) => LoadRequest {
  return (worker, sequence) => ({
    body: JSON.stringify({
      query: TRANSFER,
      variables: { input: randomTransfer(targets, hotShare, `${runLabel}-${worker}-${sequence}`) },
    }),
    operations: 1,
  });
}

export function checkTransfer(response: GraphQLResponse<unknown>): string | undefined {
  const error = firstError(response);
  if (error !== undefined) return error;
  const data = response.data as { transfer?: { status?: string } } | null | undefined;
  const status = data?.transfer?.status;
  return status === 'POSTED' ? undefined : `transfer status ${String(status)}`;
}

const TRANSFER_BATCH = `mutation TransferBatch($input: TransferBatchInput!) {
  transferBatch(input: $input) { postedCount failedCount results { error { code message } } }
}`;

/** One `transferBatch` of BATCH_SIZE uniform transfers, each posted on its own (atomic: false). */
export function batchRequests(
  targets: TransferTargets,
  runLabel: string,
): (worker: number, sequence: number) => LoadRequest {
  return (worker, sequence) => {
    const transfers = Array.from({ length: BATCH_SIZE }, (_, index) =>
      randomTransfer(targets, 0, `${runLabel}-${worker}-${sequence}-${index}`),
    );
    return {
      body: JSON.stringify({
        query: TRANSFER_BATCH,
        variables: { input: { transfers, atomic: false } },
      }),
      operations: BATCH_SIZE,
    };
  };
}

interface BatchData {
  transferBatch?: {
    postedCount?: number;
    failedCount?: number;
    results?: Array<{ error: { code: string; message: string } | null }>;
  };
}

export function checkBatch(response: GraphQLResponse<unknown>): string | undefined {
  const error = firstError(response);
  if (error !== undefined) return error;
  const batch = (response.data as BatchData | null | undefined)?.transferBatch;
  if (batch?.postedCount === BATCH_SIZE) return undefined;
  const refusal = batch?.results?.find((result) => result.error !== null)?.error;
  return refusal === undefined || refusal === null
    ? `batch posted ${String(batch?.postedCount)} of ${BATCH_SIZE}`
    : `batch posted ${String(batch?.postedCount)} of ${BATCH_SIZE}; first refusal ${refusal.code}: ${refusal.message}`;
}
