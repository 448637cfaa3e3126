import { EntityManager } from 'typeorm';
import { canonicalStewards, RuleApproval } from './rule-change-rules';

/**
 * Stewards' approvals of a change of their fund's rule, table
 * fund_rule_proposals (see the FundRuleProposals migration): at most one row
 * per steward and fund, replaced when the steward asks for another rule and
 * all dropped when a change is applied (the version history keeps who
 * approved it). What counts is decided in rule-change-rules.ts. Plain SQL on
 * the caller's transaction, which holds the fund's row lock; like
 * fund_rule_versions, the table has no TypeORM entity.
 */

/** Records `approval` as its steward's one approval for this fund, replacing any earlier one. */
export async function upsertApproval(
  manager: EntityManager,
  communityId: string,
  accountId: string,
  approval: RuleApproval,
): Promise<void> {
  await manager.query(
    `INSERT INTO fund_rule_proposals
            (community_id, account_id, steward_id, base_version, approvals_required, steward_ids,
             member_share_percent, max_open_requests, approved_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6::uuid[], $7, $8, $9, $10)
     ON CONFLICT ON CONSTRAINT pk_fund_rule_proposals DO UPDATE
        SET base_version = EXCLUDED.base_version,
            approvals_required = EXCLUDED.approvals_required,
            steward_ids = EXCLUDED.steward_ids,
            member_share_percent = EXCLUDED.member_share_percent,
            max_open_requests = EXCLUDED.max_open_requests,
            approved_at = EXCLUDED.approved_at,
            expires_at = EXCLUDED.expires_at`,
    [
      communityId,
      accountId,
      approval.stewardId,
      approval.baseVersion,
      approval.approvalsRequired,
      canonicalStewards(approval.stewardIds),
      approval.memberSharePercent,
      approval.maxOpenRequests,
      approval.approvedAt,
      approval.expiresAt,
    ],
  );
}

/** Withdraws one steward's approval, if they have one. */
export async function withdrawApproval(
  manager: EntityManager,
  communityId: string,
  accountId: string,
  stewardId: string,
): Promise<void> {
  await manager.query(
    'DELETE FROM fund_rule_proposals WHERE community_id = $1 AND account_id = $2 AND steward_id = $3',
    [communityId, accountId, stewardId],
  );
}

/** Drops every approval of a fund: its rule has just changed, and they were all against the old one. */
export async function dropAllApprovals(
  manager: EntityManager,
  communityId: string,
  accountId: string,
): Promise<void> {
  await manager.query(
    'DELETE FROM fund_rule_proposals WHERE community_id = $1 AND account_id = $2',
    [communityId, accountId],
  );
}

/** Drops a fund's approvals that no longer count: against another version, or expired at `now`. */
export async function dropStaleApprovals(
  manager: EntityManager,
  communityId: string,
  accountId: string,
  version: number,
  now: Date,
): Promise<void> {
  await manager.query(
    `DELETE FROM fund_rule_proposals
      WHERE community_id = $1 AND account_id = $2 AND (base_version <> $3 OR expires_at <= $4)`,
    [communityId, accountId, version, now],
  );
}

/**
 * The approvals on record for a fund that are against its current version
 * and unexpired at `now`, oldest first (at most one per steward, so at most
 * MAX_FUND_STEWARDS). rule-change-rules.ts decides which count.
 */
export async function approvalsOnRecord(
  manager: EntityManager,
  communityId: string,
  accountId: string,
  now: Date,
): Promise<RuleApproval[]> {
  const rows = await manager.query<
    Array<{
      steward_id: string;
      base_version: number;
      approvals_required: number;
      steward_ids: string[];
      member_share_percent: number;
      max_open_requests: number;
      approved_at: Date;
      expires_at: Date;
    }>
  >(
    `SELECT p.steward_id, p.base_version, p.approvals_required, p.steward_ids::text[] AS steward_ids,
            p.member_share_percent, p.max_open_requests, p.approved_at, p.expires_at
       FROM fund_rule_proposals p
       JOIN funds f ON f.community_id = p.community_id AND f.account_id = p.account_id
      WHERE p.community_id = $1 AND p.account_id = $2
        AND p.base_version = f.version AND p.expires_at > $3
      ORDER BY p.approved_at, p.steward_id`,
    [communityId, accountId, now],
  );
  return rows.map((row) => ({
    stewardId: row.steward_id,
    baseVersion: Number(row.base_version),
    approvalsRequired: Number(row.approvals_required),
    stewardIds: row.steward_ids,
    memberSharePercent: Number(row.member_share_percent),
    maxOpenRequests: Number(row.max_open_requests),
    approvedAt: new Date(row.approved_at),
    expiresAt: new Date(row.expires_at),
  }));
}
