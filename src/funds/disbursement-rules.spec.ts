import fc from 'fast-check';
import { MAX_FUND_STEWARDS } from '../accounts/dto/account.inputs';
import { AppError } from '../common/errors/app-error';
import {
  approvalsRequiredAt,
  assertMayRequest,
  countedVotes,
  disbursementRule,
  assertMayVote,
  defaultApprovalsRequired,
  electorate,
  fundRule,
  outcomeOf,
  rejectionsToVoid,
  tallyWith,
  VoteDecision,
} from './disbursement-rules';

const ids = (count: number) => Array.from({ length: count }, (_, index) => `steward-${index}`);
const MEMBER = 'member-who-asks';

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
    return undefined;
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
}

describe('fund rules', () => {
  it('default to a simple majority', () => {
    expect([1, 2, 3, 4, 5, 20].map(defaultApprovalsRequired)).toEqual([1, 2, 2, 3, 3, 11]);
    expect(fundRule(ids(4)).approvalsRequired).toBe(3);
  });

  it('refuse an empty, repeated or oversized list and a k outside 1..n', () => {
    expect(codeOf(() => fundRule([]))).toBe('INVALID_INPUT');
    expect(codeOf(() => fundRule(['a', 'a']))).toBe('INVALID_INPUT');
    expect(codeOf(() => fundRule(ids(MAX_FUND_STEWARDS + 1)))).toBe('INVALID_INPUT');
    expect(codeOf(() => fundRule(ids(3), 0))).toBe('INVALID_INPUT');
    expect(codeOf(() => fundRule(ids(3), 4))).toBe('INVALID_INPUT');
    expect(codeOf(() => fundRule(ids(3), 1.5))).toBe('INVALID_INPUT');
    expect(fundRule(ids(MAX_FUND_STEWARDS), MAX_FUND_STEWARDS).approvalsRequired).toBe(20);
  });
});

describe('who votes', () => {
  const rule = fundRule(ids(3), 2);

  it("is the fund's stewards, never the requester", () => {
    expect(codeOf(() => assertMayVote(rule, MEMBER, 'someone-else'))).toBe('NOT_A_FUND_STEWARD');
    expect(codeOf(() => assertMayVote(rule, 'steward-0', 'steward-0'))).toBe('OWN_REQUEST');
    expect(codeOf(() => assertMayVote(rule, 'steward-0', 'steward-1'))).toBeUndefined();
    expect(electorate(rule, 'steward-0')).toEqual(['steward-1', 'steward-2']);
    expect(electorate(rule, MEMBER)).toEqual(ids(3));
  });

  it('refuses a request its electorate could never approve', () => {
    expect(codeOf(() => assertMayRequest(fundRule(ids(2), 2), 'steward-0'))).toBe(
      'TOO_FEW_OTHER_STEWARDS',
    );
    expect(codeOf(() => assertMayRequest(fundRule(ids(1), 1), 'steward-0'))).toBe(
      'TOO_FEW_OTHER_STEWARDS',
    );
    expect(codeOf(() => assertMayRequest(fundRule(ids(2), 2), MEMBER))).toBeUndefined();
  });

  it('takes one vote per steward', () => {
    const earlier = [{ stewardId: 'steward-1', decision: VoteDecision.REJECT }];
    expect(codeOf(() => tallyWith(earlier, 'steward-1', VoteDecision.APPROVE))).toBe(
      'ALREADY_VOTED',
    );
    expect(tallyWith(earlier, 'steward-2', VoteDecision.APPROVE)).toEqual({
      approvals: 1,
      rejections: 1,
    });
  });
});

describe('outcomes', () => {
  it('post at k approvals and void at n - k + 1 rejections', () => {
    const rule = fundRule(ids(3), 2);
    expect(rejectionsToVoid(rule, MEMBER)).toBe(2);
    expect(outcomeOf(rule, MEMBER, { approvals: 1, rejections: 1 })).toBe('WAIT');
    expect(outcomeOf(rule, MEMBER, { approvals: 2, rejections: 1 })).toBe('POST');
    expect(outcomeOf(rule, MEMBER, { approvals: 1, rejections: 2 })).toBe('VOID');
    // With a steward asking, one voter fewer can spare one rejection fewer.
    expect(rejectionsToVoid(rule, 'steward-0')).toBe(1);
  });

  it('reach exactly one decision, exactly when it becomes certain, whatever the order of votes', () => {
    const scenario = fc
      .record({
        stewards: fc.integer({ min: 1, max: MAX_FUND_STEWARDS }),
        requesterIsSteward: fc.boolean(),
        seed: fc.array(fc.boolean(), {
          minLength: MAX_FUND_STEWARDS,
          maxLength: MAX_FUND_STEWARDS,
        }),
      })
      .chain((base) =>
        fc
          .integer({ min: 1, max: base.stewards })
          .map((approvalsRequired) => ({ ...base, approvalsRequired })),
      );
    fc.assert(
      fc.property(scenario, ({ stewards, requesterIsSteward, seed, approvalsRequired }) => {
        const rule = fundRule(ids(stewards), approvalsRequired);
        const requester = requesterIsSteward ? 'steward-0' : MEMBER;
        const voters = electorate(rule, requester);
        if (codeOf(() => assertMayRequest(rule, requester)) !== undefined) {
          expect(voters.length).toBeLessThan(approvalsRequired);
          return;
        }
        const votes: Array<{ stewardId: string; decision: VoteDecision }> = [];
        let decided: string | undefined;
        for (const [index, voter] of voters.entries()) {
          const decision = seed[index] ? VoteDecision.APPROVE : VoteDecision.REJECT;
          const counted = tallyWith(votes, voter, decision);
          votes.push({ stewardId: voter, decision });
          const outcome = outcomeOf(rule, requester, counted);
          const left = voters.length - votes.length;
          // POST once k approvals are in; VOID once k can no longer be reached.
          const expected =
            counted.approvals >= approvalsRequired
              ? 'POST'
              : counted.approvals + left < approvalsRequired
                ? 'VOID'
                : 'WAIT';
          expect(outcome).toBe(expected);
          if (outcome !== 'WAIT') {
            decided = outcome;
            break;
          }
        }
        // Every electorate that votes to the end decides.
        expect(decided).toBeDefined();
      }),
    );
  });
});

describe('after a change of stewards', () => {
  const at = (iso: string) => new Date(iso);
  const versions = [
    { version: 2, approvalsRequired: 2, changedAt: at('2025-03-01T00:00:00Z') },
    { version: 1, approvalsRequired: 3, changedAt: at('2025-01-01T00:00:00Z') },
  ];

  it('a request keeps the k in force when it was asked for', () => {
    expect(approvalsRequiredAt(versions, at('2025-02-01T00:00:00Z'))).toBe(3);
    expect(approvalsRequiredAt(versions, at('2025-03-01T00:00:00Z'))).toBe(2);
    expect(approvalsRequiredAt(versions, at('2026-01-01T00:00:00Z'))).toBe(2);
    expect(approvalsRequiredAt(versions, at('2024-01-01T00:00:00Z'))).toBe(3);
    expect(() => approvalsRequiredAt([], at('2025-01-01T00:00:00Z'))).toThrow();
  });

  it("counts only the current electorate's votes, and voids what it can no longer approve", () => {
    // Requested under k = 2 of steward-0..2; steward-1 approved, then left.
    const rule = disbursementRule(fundRule(['steward-0', 'steward-2', 'steward-3'], 1), 2);
    const votes = [
      { stewardId: 'steward-1', decision: VoteDecision.APPROVE },
      { stewardId: 'steward-2', decision: VoteDecision.APPROVE },
    ];
    const counted = countedVotes(rule, MEMBER, votes);
    expect(counted.map((vote) => vote.stewardId)).toEqual(['steward-2']);
    expect(outcomeOf(rule, MEMBER, tallyWith(counted, 'steward-3', VoteDecision.APPROVE))).toBe(
      'POST',
    );
    // Left with one voter, a request that needs two approvals can never pass.
    const alone = disbursementRule(fundRule(['steward-0'], 1), 2);
    expect(outcomeOf(alone, MEMBER, { approvals: 0, rejections: 0 })).toBe('VOID');
    // The requester, named a steward, still does not vote on their own request.
    const named = disbursementRule(fundRule([MEMBER, 'steward-0'], 1), 2);
    expect(countedVotes(named, MEMBER, [{ stewardId: MEMBER }])).toEqual([]);
    expect(outcomeOf(named, MEMBER, { approvals: 0, rejections: 0 })).toBe('VOID');
  });
});
