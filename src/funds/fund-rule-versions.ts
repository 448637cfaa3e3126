import { EntityManager } from 'typeorm';

/**
 * The history of a fund's rule, table fund_rule_versions (see the
 * FundRuleVersions migration): version 1 when the fund opens, one more per
 * rule change that k stewards approved (setFundStewards,
 * setFundRequestLimits), never changed afterwards. Each version holds the
 * whole terms: stewards, k and the request limits. Plain SQL on the caller's transaction; the table has no
 * TypeORM entity.
 */
export interface FundRuleVersionRow {
  communityId: string;
  accountId: string;
  version: number;
  approvalsRequired: number;
  memberSharePercent: number;
  maxOpenRequests: number;
  /** In the order they were named. */
  stewardIds: string[];
  /** The steward whose approval applied it (or who opened the fund). */
  changedBy: string;
  changedAt: Date;
  /**
   * The stewards whose approvals applied it, in the order they approved,
   * ending with changedBy; [changedBy] for version 1 and for versions
   * recorded before changes needed k approvals.
   */
  approvedBy: string[];
}

export async function insertRuleVersion(
  manager: EntityManager,
  row: FundRuleVersionRow,
): Promise<void> {
  await manager.query(
    `INSERT INTO fund_rule_versions
            (community_id, account_id, version, approvals_required, steward_ids, changed_by, changed_at,
             approved_by, member_share_percent, max_open_requests)
     VALUES ($1, $2, $3, $4, $5::uuid[], $6, $7, $8::uuid[], $9, $10)`,
    [
      row.communityId,
      row.accountId,
      row.version,
      row.approvalsRequired,
      row.stewardIds,
      row.changedBy,
      row.changedAt,
      row.approvedBy,
      row.memberSharePercent,
      row.maxOpenRequests,
    ],
  );
}

/** Every version of one fund's rule, oldest first. */
export async function ruleVersions(
  manager: EntityManager,
  communityId: string,
  accountId: string,
): Promise<FundRuleVersionRow[]> {
  const rows = await manager.query<
    Array<{
      version: number;
      approvals_required: number;
      member_share_percent: number;
      max_open_requests: number;
      steward_ids: string[];
      changed_by: string;
      changed_at: Date;
      approved_by: string[] | null;
    }>
  >(
    `SELECT version, approvals_required, member_share_percent, max_open_requests,
            steward_ids::text[] AS steward_ids, changed_by, changed_at, approved_by::text[] AS approved_by
       FROM fund_rule_versions
      WHERE community_id = $1 AND account_id = $2
      ORDER BY version`,
    [communityId, accountId],
  );
  return rows.map((row) => ({
    communityId,
    accountId,
    version: Number(row.version),
    approvalsRequired: Number(row.approvals_required),
    memberSharePercent: Number(row.member_share_percent),
    maxOpenRequests: Number(row.max_open_requests),
    stewardIds: row.steward_ids,
    changedBy: row.changed_by,
    changedAt: new Date(row.changed_at),
    approvedBy: row.approved_by ?? [row.changed_by],
  }));
}
