import { MAX_FUND_STEWARDS } from '../accounts/dto/account.inputs';
import { AppError, invalidInput } from '../common/errors/app-error';

/**
 * How a fund decides a disbursement: the approval state machine.
 *
 * A FUND account names n stewards (1 to MAX_FUND_STEWARDS users of the
 * community with role STEWARD) and needs k approvals, 1 <= k <= n. Without
 * a list, a fund is run by every steward of the community when it opens;
 * without k, a simple majority decides (k = floor(n / 2) + 1).
 *
 * A disbursement is a PENDING transfer of kind DISBURSEMENT out of the fund,
 * holding the money until it is decided or expires. The requester takes no
 * part in deciding it, so the stewards who may vote on it, its electorate,
 * number m = n, or n - 1 when the requester is one of the fund's stewards. A
 * request whose electorate is smaller than k could never pass and is refused
 * when it is made (TOO_FEW_OTHER_STEWARDS).
 *
 *                   approve, approvals < k
 *                   reject, rejections < m - k + 1
 *                          ┌──────┐
 *                          ▼      │
 *   requestDisbursement ─▶ PENDING ─┬─ approve, approvals reach k ──────────▶ POSTED
 *                                   ├─ reject, rejections reach m - k + 1 ─▶ VOIDED
 *                                   └─ expiresAt passes ───────────────────▶ EXPIRED
 *
 * m - k + 1 rejections is the point where k approvals can no longer be
 * reached; when the requester is not a fund steward it is DESIGN.md's
 * n - k + 1. Each member of the electorate votes once, APPROVE or REJECT,
 * and a vote is final (a second one is ALREADY_VOTED). A vote by someone
 * outside the fund's stewards is NOT_A_FUND_STEWARD, by the requester
 * OWN_REQUEST; a vote on a disbursement that is no longer pending is
 * DISBURSEMENT_DECIDED, and one cast at or after `expiresAt` expires the
 * transfer (releasing its hold) and is refused as DISBURSEMENT_EXPIRED
 * without being counted.
 *
 * When the rule changes (setFundStewards: new stewards, a new k), a pending
 * request keeps the k of the rule in force when it was requested, its bar,
 * and is decided by the fund's current stewards: the electorate is always
 * the current stewards but the requester, a removed steward can no longer
 * vote, and only the votes of the current electorate count (the others stay
 * in the history, marked as not counted). So a change never lowers a
 * pending request's bar, and whoever leaves a fund takes their votes with
 * them. The change re-decides every pending request of the fund by the same
 * outcomeOf, under each request's row lock like a vote: one that its new
 * electorate can no longer approve (too few voters, or enough counted
 * rejections) is voided and its hold released; one whose counted approvals
 * reach its k is posted (possible only when a steward who had approved it is
 * named again); the rest stay pending.
 *
 * The functions here are the rules on plain values. DisbursementsService
 * applies them under the pending transfer's row lock, in the transaction
 * that records the vote and settles the transfer, so that of any number of
 * concurrent votes exactly one crosses a threshold and the transfer is
 * posted or voided exactly once.
 */

export enum VoteDecision {
  APPROVE = 'APPROVE',
  REJECT = 'REJECT',
}

/** The rule of one fund, as loaded from funds and fund_stewards. */
export interface FundRule {
  stewardIds: readonly string[];
  approvalsRequired: number;
}

/** When each version of a fund's rule took effect, and its k. */
export interface RuleVersionInForce {
  version: number;
  approvalsRequired: number;
  changedAt: Date;
}

export interface Tally {
  approvals: number;
  rejections: number;
}

export type VoteOutcome = 'POST' | 'VOID' | 'WAIT';

/** A simple majority of n stewards. */
export function defaultApprovalsRequired(stewardCount: number): number {
  return Math.floor(stewardCount / 2) + 1;
}

/** The rule a new fund gets from what its steward asked for, or INVALID_INPUT. */
export function fundRule(stewardIds: readonly string[], approvalsRequired?: number): FundRule {
  if (stewardIds.length === 0) {
    throw invalidInput('stewardIds', 'stewardIds: a fund needs at least one steward');
  }
  if (stewardIds.length > MAX_FUND_STEWARDS) {
    throw invalidInput(
      'stewardIds',
      `stewardIds: a fund has at most ${MAX_FUND_STEWARDS} stewards; name them`,
    );
  }
  if (new Set(stewardIds).size !== stewardIds.length) {
    throw invalidInput('stewardIds', 'stewardIds: each steward is named once');
  }
  const required = approvalsRequired ?? defaultApprovalsRequired(stewardIds.length);
  if (!Number.isInteger(required) || required < 1 || required > stewardIds.length) {
    throw invalidInput(
      'approvalsRequired',
      `approvalsRequired: must be between 1 and the number of stewards (${stewardIds.length})`,
    );
  }
  return { stewardIds: [...stewardIds], approvalsRequired: required };
}

/**
 * k of the version in force at `requestedAt`: the latest that took effect at
 * or before it (the first, when the request somehow predates them all).
 */
export function approvalsRequiredAt(
  versions: readonly RuleVersionInForce[],
  requestedAt: Date,
): number {
  if (versions.length === 0) throw new Error('a fund has at least one rule version');
  const ordered = [...versions].sort((a, b) => a.version - b.version);
  let inForce = ordered[0];
  for (const version of ordered) {
    if (version.changedAt.getTime() <= requestedAt.getTime()) inForce = version;
  }
  return inForce.approvalsRequired;
}

/**
 * The rule a pending request is decided by: the fund's current stewards,
 * and the k of the version in force when it was requested.
 */
export function disbursementRule(current: FundRule, approvalsRequired: number): FundRule {
  return { stewardIds: current.stewardIds, approvalsRequired };
}

/** The votes that count: those of the request's current electorate. */
export function countedVotes<V extends { stewardId: string }>(
  rule: FundRule,
  requesterId: string,
  votes: readonly V[],
): V[] {
  const voters = new Set(electorate(rule, requesterId));
  return votes.filter((vote) => voters.has(vote.stewardId));
}

/** The stewards who may vote on a request: the fund's stewards but the requester. */
export function electorate(rule: FundRule, requesterId: string): string[] {
  return rule.stewardIds.filter((id) => id !== requesterId);
}

/** Rejections that void a request: one more than the electorate can spare. */
export function rejectionsToVoid(rule: FundRule, requesterId: string): number {
  return electorate(rule, requesterId).length - rule.approvalsRequired + 1;
}

/** Refuses a request that its electorate could never approve. */
export function assertMayRequest(rule: FundRule, requesterId: string): void {
  const voters = electorate(rule, requesterId).length;
  if (voters < rule.approvalsRequired) {
    throw new AppError(
      'TOO_FEW_OTHER_STEWARDS',
      `This fund needs ${rule.approvalsRequired} approval(s) from stewards other than the requester, and has ${voters}`,
      { approvalsRequired: rule.approvalsRequired, otherStewards: voters },
    );
  }
}

/** Refuses a vote by anyone outside the request's electorate. */
export function assertMayVote(rule: FundRule, requesterId: string, voterId: string): void {
  if (!rule.stewardIds.includes(voterId)) {
    throw new AppError('NOT_A_FUND_STEWARD', "Only this fund's stewards vote on its disbursements");
  }
  if (voterId === requesterId) {
    throw new AppError('OWN_REQUEST', 'A requester does not vote on their own request');
  }
}

/** The tally once `voterId`'s vote is added to the earlier ones, or ALREADY_VOTED. */
export function tallyWith(
  earlier: ReadonlyArray<{ stewardId: string; decision: VoteDecision }>,
  voterId: string,
  decision: VoteDecision,
): Tally {
  if (earlier.some((vote) => vote.stewardId === voterId)) {
    throw new AppError('ALREADY_VOTED', 'You have already voted on this disbursement');
  }
  return tally([...earlier, { decision }]);
}

export function tally(votes: ReadonlyArray<{ decision: VoteDecision }>): Tally {
  let approvals = 0;
  let rejections = 0;
  for (const vote of votes) {
    switch (vote.decision) {
      case VoteDecision.APPROVE:
        approvals += 1;
        break;
      case VoteDecision.REJECT:
        rejections += 1;
        break;
    }
  }
  return { approvals, rejections };
}

/** What a pending request becomes with this tally. */
export function outcomeOf(rule: FundRule, requesterId: string, counted: Tally): VoteOutcome {
  if (counted.approvals >= rule.approvalsRequired) return 'POST';
  if (counted.rejections >= rejectionsToVoid(rule, requesterId)) return 'VOID';
  return 'WAIT';
}
