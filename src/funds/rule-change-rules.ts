import { FundRule } from './disbursement-rules';

/**
 * How a fund's rule itself changes: k of its n stewards must ask for it.
 * The rule here is the fund's whole terms (FundTerms): its stewards, k, and
 * the request limits that keep one member from tying up the fund
 * (memberSharePercent, maxOpenRequests). setFundStewards asks for new
 * stewards and k with the limits in force; setFundRequestLimits asks for new
 * limits with the stewards and k in force; either way it is one rule, one
 * version and one approval per steward.
 *
 * The rule that protects a fund's money (k of n stewards approve a
 * disbursement) protects the rule too, or one steward could name themselves
 * and a friend with k = 1 and then pay out alone. So setFundStewards by a
 * current steward of the fund is that steward's approval of exactly the rule
 * they name (the same stewards in any order, the same k, the same limits) against the fund's
 * current version, and the rule is applied when k distinct current stewards,
 * k of the rule in force, have approved the identical rule against that
 * version. With k = 1 one steward decides alone, as k = 1 means.
 *
 *   setFundStewards(rule R) by a current steward S, fund at version v:
 *     R is the rule in force ──────────────▶ nothing changes; S's approval, if any, is withdrawn
 *     live approvals of R against v < k ───▶ S's approval of R is recorded (replacing S's earlier one)
 *     live approvals of R against v reach k ▶ R becomes version v + 1; every approval is dropped
 *
 * An approval is live while it is against the current version, its steward
 * is one of the fund's current stewards, and it is younger than the funds
 * module's expiry (FundsOptions.disbursementExpiryMs, the time a
 * disbursement request waits for its votes: a proposal that k stewards did
 * not back in that time is stale, and a steward's word should not be picked
 * up weeks later by a different group). Each steward has at most one live
 * approval per fund: asking for another rule replaces it, asking for the
 * rule in force withdraws it. Approvals of different rules never add up.
 *
 * FundStewardsService applies this under the fund's row lock, so that of
 * any number of concurrent approvals of one rule exactly one reaches k and
 * the rule is applied once; the others find the new version.
 */

/** What one member may tie up of a fund with pending requests (DisbursementsService). */
export interface RequestLimits {
  /** Their pending requests together hold at most this percent of the fund's balance, 1 to 100. */
  memberSharePercent: number;
  /** They have at most this many requests pending at once, 1 to MAX_OPEN_REQUESTS_LIMIT. */
  maxOpenRequests: number;
}

/** The most requests a fund may let one member keep open (the funds table's check agrees). */
export const MAX_OPEN_REQUESTS_LIMIT = 100;

/** The limits of a fund whose opener named none (the funds table's defaults agree). */
export const DEFAULT_REQUEST_LIMITS: RequestLimits = {
  memberSharePercent: 50,
  maxOpenRequests: 10,
};

/** Everything a change of a fund's rule decides: its stewards, k and its request limits. */
export interface FundTerms extends FundRule, RequestLimits {}

/** One steward's approval of a proposed rule, as stored in fund_rule_proposals. */
export interface RuleApproval extends RequestLimits {
  stewardId: string;
  /** The fund's version the approval was given against. */
  baseVersion: number;
  /** The proposed stewards, sorted (see canonicalStewards). */
  stewardIds: readonly string[];
  approvalsRequired: number;
  approvedAt: Date;
  expiresAt: Date;
}

/** A proposed rule with its live approvals, oldest first. */
export interface RuleProposal {
  rule: FundTerms;
  baseVersion: number;
  approvals: RuleApproval[];
}

/** The stewards of a rule in one order, so that equal rules are stored and compared alike. */
export function canonicalStewards(stewardIds: readonly string[]): string[] {
  return [...stewardIds].sort();
}

/** Whether two rules name the same stewards, in any order, and the same k. */
export function sameStewards(a: FundRule, b: FundRule): boolean {
  if (a.approvalsRequired !== b.approvalsRequired) return false;
  if (a.stewardIds.length !== b.stewardIds.length) return false;
  const named = new Set(a.stewardIds);
  return b.stewardIds.every((id) => named.has(id));
}

/** Whether two rules are the same terms: the same stewards in any order, k and limits. */
export function sameRule(a: FundTerms, b: FundTerms): boolean {
  return (
    sameStewards(a, b) &&
    a.memberSharePercent === b.memberSharePercent &&
    a.maxOpenRequests === b.maxOpenRequests
  );
}

/** The terms as stored in an approval: the asked-for rule with its stewards sorted. */
export function termsOf(rule: FundTerms): FundTerms {
  return {
    stewardIds: canonicalStewards(rule.stewardIds),
    approvalsRequired: rule.approvalsRequired,
    memberSharePercent: rule.memberSharePercent,
    maxOpenRequests: rule.maxOpenRequests,
  };
}

/**
 * The approvals that count at `now` for a fund whose rule in force is
 * `current` at `version`: against that version, unexpired, by a current
 * steward, one per steward.
 */
export function liveApprovals(
  approvals: readonly RuleApproval[],
  current: FundRule,
  version: number,
  now: Date,
): RuleApproval[] {
  const stewards = new Set(current.stewardIds);
  const seen = new Set<string>();
  const live: RuleApproval[] = [];
  for (const approval of [...approvals].sort(byApprovedAt)) {
    if (approval.baseVersion !== version) continue;
    if (approval.expiresAt.getTime() <= now.getTime()) continue;
    if (!stewards.has(approval.stewardId) || seen.has(approval.stewardId)) continue;
    seen.add(approval.stewardId);
    live.push(approval);
  }
  return live;
}

/** Live approvals grouped by the rule they ask for; the proposal first approved comes first. */
export function proposalsOf(
  approvals: readonly RuleApproval[],
  current: FundRule,
  version: number,
  now: Date,
): RuleProposal[] {
  const proposals: RuleProposal[] = [];
  for (const approval of liveApprovals(approvals, current, version, now)) {
    const rule = termsOf(approval);
    const proposal = proposals.find((candidate) => sameRule(candidate.rule, rule));
    if (proposal === undefined) {
      proposals.push({
        rule,
        baseVersion: version,
        approvals: [approval],
      });
    } else {
      proposal.approvals.push(approval);
    }
  }
  return proposals;
}

/** The live approvals of exactly `rule`, oldest first. */
export function approvalsOf(
  rule: FundTerms,
  approvals: readonly RuleApproval[],
  current: FundRule,
  version: number,
  now: Date,
): RuleApproval[] {
  return (
    proposalsOf(approvals, current, version, now).find((proposal) => sameRule(proposal.rule, rule))
      ?.approvals ?? []
  );
}

/** Whether `approvals` of a proposed rule are enough to apply it under the rule in force. */
export function reachesApproval(current: FundRule, approvals: readonly RuleApproval[]): boolean {
  return new Set(approvals.map((approval) => approval.stewardId)).size >= current.approvalsRequired;
}

function byApprovedAt(a: RuleApproval, b: RuleApproval): number {
  const difference = a.approvedAt.getTime() - b.approvedAt.getTime();
  if (difference !== 0) return difference;
  return a.stewardId < b.stewardId ? -1 : a.stewardId > b.stewardId ? 1 : 0;
}
