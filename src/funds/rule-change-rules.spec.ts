import fc from 'fast-check';
import {
  approvalsOf,
  canonicalStewards,
  liveApprovals,
  proposalsOf,
  reachesApproval,
  RuleApproval,
  sameRule,
  sameStewards,
} from './rule-change-rules';

const LIMITS = { memberSharePercent: 50, maxOpenRequests: 10 };
const CURRENT = { stewardIds: ['a', 'b', 'c'], approvalsRequired: 2 };
const VERSION = 4;
const NOW = new Date('2026-11-25T12:00:00Z');
const LATER = new Date(NOW.getTime() + 3600_000);

function approval(
  stewardId: string,
  stewardIds: string[],
  approvalsRequired: number,
  overrides: Partial<RuleApproval> = {},
): RuleApproval {
  return {
    stewardId,
    baseVersion: VERSION,
    stewardIds: canonicalStewards(stewardIds),
    approvalsRequired,
    ...LIMITS,
    approvedAt: new Date(NOW.getTime() - 60_000),
    expiresAt: LATER,
    ...overrides,
  };
}

describe('changing a fund’s rule', () => {
  it('compares rules by their stewards in any order and their k', () => {
    expect(
      sameStewards(
        { stewardIds: ['a', 'b'], approvalsRequired: 1 },
        { stewardIds: ['b', 'a'], approvalsRequired: 1 },
      ),
    ).toBe(true);
    expect(
      sameStewards(
        { stewardIds: ['a', 'b'], approvalsRequired: 1 },
        { stewardIds: ['a', 'b'], approvalsRequired: 2 },
      ),
    ).toBe(false);
    expect(
      sameStewards(
        { stewardIds: ['a', 'b'], approvalsRequired: 1 },
        { stewardIds: ['a', 'c'], approvalsRequired: 1 },
      ),
    ).toBe(false);
    expect(
      sameStewards(
        { stewardIds: ['a'], approvalsRequired: 1 },
        { stewardIds: ['a', 'b'], approvalsRequired: 1 },
      ),
    ).toBe(false);
  });

  it('compares request limits too: new limits with the same stewards are another rule', () => {
    const rule = { stewardIds: ['a', 'b'], approvalsRequired: 1, ...LIMITS };
    expect(sameRule(rule, { ...rule, stewardIds: ['b', 'a'] })).toBe(true);
    expect(sameRule(rule, { ...rule, memberSharePercent: 51 })).toBe(false);
    expect(sameRule(rule, { ...rule, maxOpenRequests: 9 })).toBe(false);
    const limitsOnly = [
      approval('a', ['a', 'b'], 1, { memberSharePercent: 20 }),
      approval('b', ['a', 'b'], 1),
    ];
    // An approval of other limits does not count towards the same stewards with the old ones.
    expect(approvalsOf(rule, limitsOnly, CURRENT, VERSION, NOW).map((a) => a.stewardId)).toEqual([
      'b',
    ]);
  });

  it('counts only approvals of the identical rule, against the current version, unexpired, by current stewards', () => {
    const wanted = { stewardIds: ['d', 'a'], approvalsRequired: 1, ...LIMITS };
    const approvals = [
      approval('a', ['a', 'd'], 1),
      approval('b', ['a', 'd'], 2), // another k
      approval('c', ['a', 'd'], 1, { baseVersion: VERSION - 1 }), // an older version
      approval('d', ['a', 'd'], 1), // not a current steward
    ];
    expect(approvalsOf(wanted, approvals, CURRENT, VERSION, NOW).map((a) => a.stewardId)).toEqual([
      'a',
    ]);
    const expired = [approval('a', ['a', 'd'], 1, { expiresAt: NOW })];
    expect(approvalsOf(wanted, expired, CURRENT, VERSION, NOW)).toEqual([]);
  });

  it('applies a change when k distinct current stewards ask for it, never with fewer', () => {
    const both = [approval('a', ['a', 'd'], 1), approval('b', ['d', 'a'], 1)];
    const live = approvalsOf(
      { stewardIds: ['a', 'd'], approvalsRequired: 1, ...LIMITS },
      both,
      CURRENT,
      VERSION,
      NOW,
    );
    expect(reachesApproval(CURRENT, live)).toBe(true);
    expect(reachesApproval(CURRENT, live.slice(0, 1))).toBe(false);
    // The same steward twice is one approval.
    expect(reachesApproval(CURRENT, [live[0], live[0]])).toBe(false);
  });

  it('groups live approvals into proposals, oldest first', () => {
    const proposals = proposalsOf(
      [
        approval('c', ['a', 'b'], 2, { approvedAt: new Date(NOW.getTime() - 1000) }),
        approval('a', ['b', 'a'], 1, { approvedAt: new Date(NOW.getTime() - 3000) }),
        approval('b', ['a', 'b'], 1, { approvedAt: new Date(NOW.getTime() - 2000) }),
      ],
      CURRENT,
      VERSION,
      NOW,
    );
    expect(
      proposals.map((proposal) => ({
        rule: proposal.rule,
        by: proposal.approvals.map((a) => a.stewardId),
      })),
    ).toEqual([
      { rule: { stewardIds: ['a', 'b'], approvalsRequired: 1, ...LIMITS }, by: ['a', 'b'] },
      { rule: { stewardIds: ['a', 'b'], approvalsRequired: 2, ...LIMITS }, by: ['c'] },
    ]);
  });

  it('never lets approvals of different rules add up to k (property)', () => {
    const steward = fc.constantFrom('a', 'b', 'c', 'd');
    const rule = fc.record({
      stewardIds: fc.uniqueArray(steward, { minLength: 1, maxLength: 4 }),
      approvalsRequired: fc.integer({ min: 1, max: 4 }),
      memberSharePercent: fc.constantFrom(50, 100),
      maxOpenRequests: fc.constantFrom(1, 10),
    });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(steward, rule, fc.integer({ min: VERSION - 1, max: VERSION })), {
          maxLength: 8,
        }),
        rule,
        (rows, wanted) => {
          const approvals = rows.map(([by, asked, version]) =>
            approval(by, asked.stewardIds, asked.approvalsRequired, {
              baseVersion: version,
              memberSharePercent: asked.memberSharePercent,
              maxOpenRequests: asked.maxOpenRequests,
            }),
          );
          const counted = approvalsOf(wanted, approvals, CURRENT, VERSION, NOW);
          const stewards = counted.map((a) => a.stewardId);
          expect(new Set(stewards).size).toBe(stewards.length);
          for (const one of counted) {
            expect(one.baseVersion).toBe(VERSION);
            expect(CURRENT.stewardIds).toContain(one.stewardId);
            expect(sameRule(one, wanted)).toBe(true);
          }
          expect(liveApprovals(approvals, CURRENT, VERSION, NOW).length).toBeLessThanOrEqual(
            CURRENT.stewardIds.length,
          );
        },
      ),
    );
  });
});
