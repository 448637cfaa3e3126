import { EntityManager, In } from 'typeorm';
import { Actor } from '../access/actor';
import { AppError, invalidInput } from '../common/errors/app-error';
import { Role, UserStatus } from '../access/role';
import { UserEntity } from '../users/user.entity';
import { MAX_FUND_STEWARDS } from '../accounts/dto/account.inputs';
import { FundRule, fundRule } from './disbursement-rules';
import { FundStewardEntity } from './fund-steward.entity';
import { FundEntity } from './fund.entity';
import { insertRuleVersion } from './fund-rule-versions';
import { DEFAULT_REQUEST_LIMITS } from './rule-change-rules';

/** What a steward asks for when opening a FUND account; both optional (see disbursement-rules.ts). */
export interface FundRequest {
  stewardIds?: string[];
  approvalsRequired?: number;
  memberSharePercent?: number;
  maxOpenRequestsPerMember?: number;
}

/**
 * Records the stewards and approval rule of a FUND account that `manager`'s
 * transaction has just opened, so that a fund never exists without them, as
 * version 1 of its rule (later versions: FundStewardsService).
 * Every named steward must be an active user of the community with role
 * STEWARD; without a list, the community's active stewards are named. A
 * plain function of the transaction rather than a service, so that opening
 * accounts needs nothing from the funds module but this.
 */
export async function recordFund(
  manager: EntityManager,
  actor: Actor,
  accountId: string,
  request: FundRequest,
): Promise<FundRule> {
  const users = manager.getRepository(UserEntity);
  let stewardIds: string[];
  if (request.stewardIds === undefined) {
    const stewards = await users.find({
      select: { id: true },
      where: { communityId: actor.communityId, role: Role.STEWARD, status: UserStatus.ACTIVE },
      order: { createdAt: 'ASC', id: 'ASC' },
      take: MAX_FUND_STEWARDS + 1,
    });
    if (stewards.length > MAX_FUND_STEWARDS) {
      throw invalidInput(
        'stewardIds',
        `stewardIds: this community has more than ${MAX_FUND_STEWARDS} stewards; name the fund's stewards`,
      );
    }
    stewardIds = stewards.map((steward) => steward.id);
  } else {
    // Checks the list's shape before it reaches the database.
    fundRule(request.stewardIds, request.approvalsRequired);
    await assertActiveStewards(manager, actor.communityId, request.stewardIds);
    stewardIds = request.stewardIds;
  }
  const rule = fundRule(stewardIds, request.approvalsRequired);
  const memberSharePercent =
    request.memberSharePercent ?? DEFAULT_REQUEST_LIMITS.memberSharePercent;
  const maxOpenRequests =
    request.maxOpenRequestsPerMember ?? DEFAULT_REQUEST_LIMITS.maxOpenRequests;
  await manager.insert(FundEntity, {
    communityId: actor.communityId,
    accountId,
    approvalsRequired: rule.approvalsRequired,
    memberSharePercent,
    maxOpenRequests,
    createdBy: actor.userId,
  });
  await manager.insert(
    FundStewardEntity,
    rule.stewardIds.map((userId) => ({ communityId: actor.communityId, accountId, userId })),
  );
  await insertRuleVersion(manager, {
    communityId: actor.communityId,
    accountId,
    version: 1,
    approvalsRequired: rule.approvalsRequired,
    memberSharePercent,
    maxOpenRequests,
    stewardIds: [...rule.stewardIds],
    changedBy: actor.userId,
    changedAt: new Date(),
    approvedBy: [actor.userId],
  });
  return rule;
}

/**
 * Refuses a list naming anyone but active users of the community with role
 * STEWARD: NOT_FOUND for an unknown id, INVALID_INPUT for anyone else. Used
 * when a fund opens and when its stewards change.
 */
export async function assertActiveStewards(
  manager: EntityManager,
  communityId: string,
  stewardIds: readonly string[],
): Promise<void> {
  const found = new Map(
    (await manager.getRepository(UserEntity).findBy({ communityId, id: In([...stewardIds]) })).map(
      (user) => [user.id, user],
    ),
  );
  for (const id of stewardIds) {
    const user = found.get(id);
    if (user === undefined) {
      throw new AppError('NOT_FOUND', `No user ${id}`, { field: 'stewardIds' });
    }
    if (user.role !== Role.STEWARD || user.status !== UserStatus.ACTIVE) {
      throw invalidInput(
        'stewardIds',
        `stewardIds: ${user.displayName} is not an active steward of this community`,
      );
    }
  }
}
