import { type CombinedError, useClient, useMutation, useQuery } from '@urql/preact';
import { useState } from 'preact/hooks';
import { endOfLocalDay, formatDate, formatDateTime, startOfLocalDay } from '../dates';
import { ErrorNotice } from '../errors';
import { graphql } from '../gql';
import type { Session } from '../session';
import { Amount, downloadBlob, downloadText, Field, Loading, PageTitle, Success } from '../ui';
import { SeriesChart } from './chart';

const CURRENCIES = graphql(`
  query StewardCurrencies {
    currencies {
      code
      name
      kind
      scale
    }
  }
`);

const CIRCULATION = graphql(`
  query Circulation($currencyCode: String!) {
    circulation(currencyCode: $currencyCode) {
      interval
      issued
      redeemed
      supplyAtEnd
      volume
      transferCount
      activeAccounts
      velocity
      series {
        start
        supplyAtEnd
        transferCount
        velocity
        activeAccounts
      }
    }
    openAccounts: accounts(filter: { currencyCode: $currencyCode, status: OPEN }, first: 100) {
      edges {
        node {
          kind
        }
      }
      pageInfo {
        hasNextPage
      }
    }
  }
`);

const BOOKS = graphql(`
  query Books($currencyCode: String!) {
    trialBalance(currencyCode: $currencyCode, first: 100) {
      total
      balanced
      problems
      accountCount
      accounts {
        edges {
          node {
            balance
            account {
              id
              name
              kind
              owner {
                displayName
              }
            }
          }
        }
        pageInfo {
          hasNextPage
        }
      }
    }
  }
`);

const VERIFY = graphql(`
  query VerifyLedger($currencyCode: String!, $checkpoint: String) {
    verifyLedger(currencyCode: $currencyCode, checkpoint: $checkpoint) {
      ok
      problems
      accountsChecked
      entriesChecked
      checkpointAccountsCompared
    }
  }
`);

const LATEST_CHECKPOINT = graphql(`
  query LatestCheckpoint($currencyCode: String!) {
    ledgerCheckpoints(currencyCode: $currencyCode, first: 1) {
      id
      takenAt
      accountCount
      merkleRoot
      signature
      publicKey
      document
    }
  }
`);

const TAKE_CHECKPOINT = graphql(`
  query TakeCheckpoint($currencyCode: String!) {
    ledgerCheckpoint(currencyCode: $currencyCode) {
      id
      takenAt
    }
  }
`);

const FUNDS = graphql(`
  query StewardFunds($currencyCode: String!, $slug: String!) {
    accounts(filter: { currencyCode: $currencyCode, kind: FUND }, first: 50) {
      edges {
        node {
          id
          name
          balance
        }
      }
    }
    publicFunds(communitySlug: $slug) {
      accountId
    }
  }
`);

const FUND_REPORT = graphql(`
  query FundReport($accountId: ID!) {
    fundReport(accountId: $accountId) {
      closingBalance
      inflows {
        total
      }
      outflows {
        total
      }
      pendingCount
      pendingTotal
      pending {
        id
        amount
        currencyCode
        memo
        createdAt
        expiresAt
        toAccount {
          name
          owner {
            displayName
          }
        }
      }
    }
    fund(accountId: $accountId) {
      approvalsRequired
      stewards {
        id
        displayName
      }
    }
  }
`);

const DISBURSEMENT = graphql(`
  query StewardDisbursement($id: ID!) {
    disbursement(transferId: $id) {
      approvals
      approvalsRequired
      rejections
      rejectionsRequired
      requestedBy {
        displayName
      }
      voters {
        id
      }
      votes {
        decision
        counted
        steward {
          id
          displayName
        }
      }
      transfer {
        id
        status
      }
    }
  }
`);

const APPROVE = graphql(`
  mutation Approve($id: ID!) {
    approveTransfer(id: $id) {
      id
      status
    }
  }
`);

const REJECT = graphql(`
  mutation Reject($id: ID!) {
    rejectTransfer(id: $id) {
      id
      status
    }
  }
`);

const SET_PUBLIC = graphql(`
  mutation SetFundPublic($input: SetFundPublicInput!) {
    setFundPublic(input: $input) {
      fundAccountId
      public
    }
  }
`);

const MEMBERS = graphql(`
  query Members($currencyCode: String!, $after: String) {
    users(first: 50, after: $after) {
      edges {
        node {
          id
          displayName
          email
          role
          status
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
    accounts(filter: { currencyCode: $currencyCode }, first: 50) {
      edges {
        node {
          id
          kind
          status
          balance
          floor
          effectiveFloor
          ceiling
          owner {
            id
          }
        }
      }
    }
  }
`);

const SET_STATUS = graphql(`
  mutation SetAccountStatus($input: SetAccountStatusInput!) {
    setAccountStatus(input: $input) {
      id
      status
    }
  }
`);

const POLICY_HISTORY = graphql(`
  query PolicyHistory($currencyCode: String!) {
    policyHistory(currencyCode: $currencyCode) {
      createdAt
      createdBy
      policy {
        version
        mode
        defaultFloor
        defaultCeiling
        maxTransfer
        dailyOutflowLimit
        onboardingGrant
        transactionFeePercent
        transactionFeeFixed
        demurragePercent
        demurragePeriod
        mintRate
        backingRatio
        redemptionFeePercent
      }
    }
  }
`);

/** The steward's dashboard: circulation, the books and their proofs, funds, members, policy, exports. */
export default function Steward({ session }: { session: Session }) {
  const [{ data, fetching, error }] = useQuery({ query: CURRENCIES });
  const [chosen, setChosen] = useState('');
  const currencies = (data?.currencies ?? []).filter((c) => c.kind !== 'NATIONAL');
  const currency = currencies.find((c) => c.code === chosen) ?? currencies[0];
  if (fetching && data === undefined) return <Loading what="Loading the dashboard" />;
  if (error !== undefined) return <ErrorNotice error={error} />;
  return (
    <>
      <PageTitle>Steward dashboard</PageTitle>
      {currency === undefined ? (
        <p>No currency yet. Create one with the API (createCurrency) to start.</p>
      ) : (
        <>
          {currencies.length > 1 ? (
            <Field id="currency" label="Currency">
              <select
                id="currency"
                value={currency.code}
                onChange={(e) => setChosen(e.currentTarget.value)}
              >
                {currencies.map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.name} ({c.code})
                  </option>
                ))}
              </select>
            </Field>
          ) : null}
          <CirculationSection code={currency.code} />
          <BooksSection code={currency.code} />
          <FundsSection code={currency.code} session={session} />
          <MembersSection code={currency.code} />
          <PolicySection code={currency.code} />
          <ExportsSection code={currency.code} session={session} />
        </>
      )}
    </>
  );
}

const seconds = (instant: string) => Math.floor(new Date(instant).getTime() / 1000);
// Drawing only: the charts need numbers; the tables beside them show the exact strings.
const toNumber = (value: string | null | undefined) =>
  value === null || value === undefined ? null : Number(value);

function CirculationSection({ code }: { code: string }) {
  const [{ data, fetching, error }] = useQuery({
    query: CIRCULATION,
    variables: { currencyCode: code },
  });
  const circulation = data?.circulation;
  const members = (data?.openAccounts.edges ?? []).filter(({ node }) =>
    ['MEMBER', 'SHOP', 'FUND'].includes(node.kind),
  ).length;
  const series = circulation?.series ?? [];
  const times = series.map((point) => seconds(point.start));
  return (
    <section aria-labelledby="circulation-heading">
      <h2 id="circulation-heading">Circulation</h2>
      {fetching && data === undefined ? <Loading what="Loading circulation" /> : null}
      <ErrorNotice error={error} />
      {circulation === undefined ? null : (
        <>
          <dl class="figures">
            <div>
              <dt>In circulation</dt>
              <dd class="big">
                <Amount value={circulation.supplyAtEnd} code={code} />
              </dd>
            </div>
            <div>
              <dt>Transfers</dt>
              <dd>{circulation.transferCount}</dd>
            </div>
            <div>
              <dt>Volume</dt>
              <dd>
                <Amount value={circulation.volume} code={code} />
              </dd>
            </div>
            <div>
              <dt>Velocity</dt>
              <dd>{circulation.velocity ?? '—'}</dd>
            </div>
            <div>
              <dt>Active accounts</dt>
              <dd>{circulation.activeAccounts}</dd>
            </div>
          </dl>
          <div class="charts">
            <SeriesChart
              title="Money in circulation"
              unit={code}
              times={times}
              values={series.map((p) => toNumber(p.supplyAtEnd))}
              texts={series.map((p) => p.supplyAtEnd)}
            />
            <SeriesChart
              title={`Transfers per ${circulation.interval.toLowerCase()}`}
              unit="count"
              times={times}
              values={series.map((p) => p.transferCount)}
              texts={series.map((p) => String(p.transferCount))}
            />
            <SeriesChart
              title="Velocity"
              unit="volume ÷ average supply"
              times={times}
              values={series.map((p) => toNumber(p.velocity))}
              texts={series.map((p) => p.velocity ?? '—')}
            />
            <SeriesChart
              title="Accounts active"
              unit={
                members === 0
                  ? 'accounts with an entry'
                  : `% of ${members}${data?.openAccounts.pageInfo.hasNextPage ? '+' : ''} open member, shop and fund accounts`
              }
              times={times}
              values={series.map((p) =>
                members === 0
                  ? p.activeAccounts
                  : Math.round((1000 * p.activeAccounts) / members) / 10,
              )}
              texts={series.map((p) =>
                members === 0 ? String(p.activeAccounts) : `${p.activeAccounts} of ${members}`,
              )}
            />
          </div>
        </>
      )}
    </section>
  );
}

function BooksSection({ code }: { code: string }) {
  const [{ data, fetching, error }] = useQuery({ query: BOOKS, variables: { currencyCode: code } });
  const trial = data?.trialBalance;
  return (
    <section aria-labelledby="books-heading">
      <h2 id="books-heading">The books</h2>
      {fetching && data === undefined ? <Loading what="Loading the trial balance" /> : null}
      <ErrorNotice error={error} />
      {trial === undefined ? null : (
        <>
          <p class={`badge ${trial.balanced ? 'ok' : 'bad'}`} data-testid="zero-check">
            {trial.balanced
              ? `Balanced: the ${trial.accountCount} accounts sum to ${trial.total} ${code}`
              : `NOT balanced: total ${trial.total} ${code}`}
          </p>
          {trial.problems.map((problem) => (
            <p key={problem} class="notice error">
              {problem}
            </p>
          ))}
          <details>
            <summary>Trial balance ({trial.accountCount} accounts)</summary>
            <div class="table-scroll" tabIndex={0} role="region" aria-label="Trial balance">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Account</th>
                    <th scope="col">Kind</th>
                    <th scope="col" class="number">
                      Balance
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {trial.accounts.edges.map(({ node }) => (
                    <tr key={node.account.id}>
                      <td>{node.account.owner?.displayName ?? node.account.name}</td>
                      <td>{node.account.kind.toLowerCase()}</td>
                      <td class="number">
                        <Amount value={node.balance} />
                      </td>
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr>
                    <th scope="row" colSpan={2}>
                      Total
                      {trial.accounts.pageInfo.hasNextPage
                        ? ' (all accounts, first 100 shown)'
                        : ''}
                    </th>
                    <td class="number">
                      <Amount value={trial.total} code={code} />
                    </td>
                  </tr>
                </tfoot>
              </table>
            </div>
          </details>
        </>
      )}
      <Checkpoint code={code} />
    </section>
  );
}

/**
 * verifyLedger's proof, against the latest signed checkpoint when there is
 * one, and the checkpoint itself: when it was taken, its Merkle root and
 * signature, and its document to download and keep outside Mutua.
 */
function Checkpoint({ code }: { code: string }) {
  const client = useClient();
  const [latest, reloadLatest] = useQuery({
    query: LATEST_CHECKPOINT,
    variables: { currencyCode: code },
  });
  const checkpoint = latest.data?.ledgerCheckpoints[0];
  const [verify, runVerify] = useQuery({
    query: VERIFY,
    variables: { currencyCode: code, checkpoint: checkpoint?.document ?? null },
    pause: true,
    requestPolicy: 'network-only',
  });
  const [taking, setTaking] = useState(false);
  const [takeError, setTakeError] = useState<CombinedError | null>(null);
  const result = verify.data?.verifyLedger;
  return (
    <div class="verify">
      <button
        type="button"
        class="secondary"
        disabled={verify.fetching}
        onClick={() => runVerify({ requestPolicy: 'network-only' })}
      >
        Prove the books (verify the ledger
        {checkpoint === undefined ? '' : ' and the latest checkpoint'})
      </button>
      {verify.fetching ? <Loading what="Checking every balance and hash chain" /> : null}
      <ErrorNotice error={verify.error} />
      {result === undefined ? null : (
        <p class={`badge ${result.ok ? 'ok' : 'bad'}`} data-testid="verify-result">
          {result.ok
            ? `Proven: ${result.accountsChecked} accounts and ${result.entriesChecked} entries check out${
                result.checkpointAccountsCompared === null ||
                result.checkpointAccountsCompared === undefined
                  ? ''
                  : `, and ${result.checkpointAccountsCompared} accounts match the latest checkpoint`
              }`
            : `Problems found: ${result.problems.join('; ')}`}
        </p>
      )}
      <h3>Latest signed checkpoint</h3>
      {latest.fetching && latest.data === undefined ? (
        <Loading what="Loading the latest checkpoint" />
      ) : null}
      <ErrorNotice error={latest.error ?? takeError} />
      {checkpoint === undefined ? (
        latest.data === undefined ? null : (
          <p>No checkpoint yet.</p>
        )
      ) : (
        <dl class="figures checkpoint" data-testid="checkpoint">
          <div>
            <dt>Taken</dt>
            <dd>{formatDateTime(checkpoint.takenAt)}</dd>
          </div>
          <div>
            <dt>Accounts</dt>
            <dd>{checkpoint.accountCount}</dd>
          </div>
          <div>
            <dt>Merkle root</dt>
            <dd>
              <code class="hash">{checkpoint.merkleRoot}</code>
            </dd>
          </div>
          <div>
            <dt>Ed25519 signature</dt>
            <dd>
              <code class="hash">{checkpoint.signature}</code>
            </dd>
          </div>
        </dl>
      )}
      <p class="actions">
        <button
          type="button"
          class="secondary"
          disabled={taking}
          onClick={async () => {
            setTaking(true);
            setTakeError(null);
            const answer = await client
              .query(TAKE_CHECKPOINT, { currencyCode: code }, { requestPolicy: 'network-only' })
              .toPromise();
            setTaking(false);
            if (answer.error !== undefined) setTakeError(answer.error);
            else reloadLatest({ requestPolicy: 'network-only' });
          }}
        >
          {taking ? 'Signing…' : 'Take a signed checkpoint now'}
        </button>
        {checkpoint === undefined ? null : (
          <button
            type="button"
            class="secondary"
            onClick={() =>
              downloadText(
                `checkpoint-${code}-${checkpoint.takenAt.slice(0, 19).replace(/[:T]/g, '-')}.json`,
                checkpoint.document,
                'application/json',
              )
            }
          >
            Download the checkpoint to keep
          </button>
        )}
      </p>
    </div>
  );
}

function FundsSection({ code, session }: { code: string; session: Session }) {
  const [{ data, fetching, error }, reload] = useQuery({
    query: FUNDS,
    variables: { currencyCode: code, slug: session.slug },
  });
  const published = new Set((data?.publicFunds ?? []).map((fund) => fund.accountId));
  return (
    <section aria-labelledby="funds-heading">
      <h2 id="funds-heading">Funds</h2>
      {fetching && data === undefined ? <Loading what="Loading funds" /> : null}
      <ErrorNotice error={error} />
      {data !== undefined && data.accounts.edges.length === 0 ? (
        <p>No fund in {code} yet.</p>
      ) : null}
      {data?.accounts.edges.map(({ node }) => (
        <FundPanel
          key={node.id}
          fundId={node.id}
          name={node.name}
          code={code}
          session={session}
          isPublic={published.has(node.id)}
          onPublicChange={() => reload({ requestPolicy: 'network-only' })}
        />
      ))}
    </section>
  );
}

function FundPanel({
  fundId,
  name,
  code,
  session,
  isPublic,
  onPublicChange,
}: {
  fundId: string;
  name: string;
  code: string;
  session: Session;
  isPublic: boolean;
  onPublicChange: () => void;
}) {
  const [{ data, fetching, error }, reload] = useQuery({
    query: FUND_REPORT,
    variables: { accountId: fundId },
  });
  const [publicResult, setPublic] = useMutation(SET_PUBLIC);
  const [outcome, setOutcome] = useState<string | null>(null);
  const report = data?.fundReport;
  const runsIt = data?.fund.stewards.some((steward) => steward.id === session.userId) ?? false;
  return (
    <article class="card" aria-labelledby={`fund-${fundId}`}>
      <h3 id={`fund-${fundId}`}>{name}</h3>
      {fetching && data === undefined ? <Loading what="Loading the fund report" /> : null}
      <ErrorNotice error={error} />
      {report === undefined || data === undefined ? null : (
        <>
          <dl class="figures">
            <div>
              <dt>Balance</dt>
              <dd class="big">
                <Amount value={report.closingBalance} code={code} />
              </dd>
            </div>
            <div>
              <dt>In, all time</dt>
              <dd>
                <Amount value={report.inflows.total} code={code} />
              </dd>
            </div>
            <div>
              <dt>Out, all time</dt>
              <dd>
                <Amount value={report.outflows.total} code={code} />
              </dd>
            </div>
            <div>
              <dt>Decided by</dt>
              <dd>
                {data.fund.approvalsRequired} of {data.fund.stewards.length} stewards
              </dd>
            </div>
          </dl>
          <h4>Waiting for a decision ({report.pendingCount})</h4>
          {outcome === null ? null : <Success>{outcome}</Success>}
          {report.pending.length === 0 ? <p>Nothing waits.</p> : null}
          <ul class="cards">
            {report.pending.map((transfer) => (
              <li key={transfer.id} class="card">
                <PendingDisbursement
                  id={transfer.id}
                  amount={transfer.amount}
                  code={transfer.currencyCode}
                  memo={transfer.memo ?? null}
                  to={transfer.toAccount.owner?.displayName ?? transfer.toAccount.name}
                  expiresAt={transfer.expiresAt ?? null}
                  userId={session.userId}
                  onDecided={(outcome) => {
                    setOutcome(outcome);
                    reload({ requestPolicy: 'network-only' });
                  }}
                />
              </li>
            ))}
          </ul>
          <p class="public-toggle">
            {isPublic ? (
              <>
                Public page: <a href={`/c/${session.slug}/public/funds/${fundId}`}>published</a>
                .{' '}
              </>
            ) : (
              'Public page: not published. '
            )}
            {runsIt ? (
              <button
                type="button"
                class="secondary"
                disabled={publicResult.fetching}
                onClick={async () => {
                  const answer = await setPublic({
                    input: { fundAccountId: fundId, public: !isPublic },
                  });
                  if (answer.data !== undefined) onPublicChange();
                }}
              >
                {isPublic ? 'Withdraw the public page' : 'Publish a public page'}
              </button>
            ) : null}
          </p>
          <ErrorNotice error={publicResult.error} />
        </>
      )}
    </article>
  );
}

function PendingDisbursement({
  id,
  amount,
  code,
  memo,
  to,
  expiresAt,
  userId,
  onDecided,
}: {
  id: string;
  amount: string;
  code: string;
  memo: string | null;
  to: string;
  expiresAt: string | null;
  userId: string;
  onDecided: (outcome: string) => void;
}) {
  const [{ data, error }, reload] = useQuery({
    query: DISBURSEMENT,
    variables: { id },
    requestPolicy: 'network-only',
  });
  const [approval, approve] = useMutation(APPROVE);
  const [rejection, reject] = useMutation(REJECT);
  const [decided, setDecided] = useState<string | null>(null);
  const disbursement = data?.disbursement;
  const myVote = disbursement?.votes.find((vote) => vote.steward.id === userId && vote.counted);
  const mayVote = disbursement?.voters.some((voter) => voter.id === userId) ?? false;
  const after = async (answer: {
    data?: { approveTransfer?: { status: string } } | { rejectTransfer?: { status: string } };
  }) => {
    if (answer.data === undefined) return;
    const status =
      'approveTransfer' in answer.data
        ? answer.data.approveTransfer?.status
        : (answer.data as { rejectTransfer?: { status: string } }).rejectTransfer?.status;
    // A decided request leaves the list, and this component with it: the
    // fund's panel shows the outcome. A counted vote stays here.
    if (status === 'POSTED' || status === 'VOIDED') {
      onDecided(
        status === 'POSTED'
          ? 'Approved: the money is paid out.'
          : 'Rejected: the money stays in the fund.',
      );
      return;
    }
    setDecided('Your vote is counted.');
    reload({ requestPolicy: 'network-only' });
  };
  return (
    <>
      <p>
        <Amount value={amount} code={code} /> to {to}
        {memo === null ? '' : ` · “${memo}”`}
      </p>
      <ErrorNotice error={error ?? approval.error ?? rejection.error} />
      {disbursement === undefined ? null : (
        <>
          <p data-testid="approvals">
            <strong>
              {disbursement.approvals} of {disbursement.approvalsRequired}
            </strong>{' '}
            approvals; {disbursement.rejections} of {disbursement.rejectionsRequired} rejections.
            Asked by {disbursement.requestedBy.displayName}
            {expiresAt === null ? '' : `; expires ${formatDateTime(expiresAt)}`}.
          </p>
          {disbursement.votes.length === 0 ? null : (
            <p class="muted">
              Votes:{' '}
              {disbursement.votes
                .map(
                  (vote) =>
                    `${vote.steward.displayName} ${vote.decision === 'APPROVE' ? 'approved' : 'rejected'}${vote.counted ? '' : ' (no longer counts)'}`,
                )
                .join(', ')}
            </p>
          )}
        </>
      )}
      {decided !== null ? <Success>{decided}</Success> : null}
      {myVote !== undefined ? (
        <p class="muted">
          You {myVote.decision === 'APPROVE' ? 'approved' : 'rejected'} this request.
        </p>
      ) : mayVote ? (
        <p class="actions">
          <button
            type="button"
            disabled={approval.fetching || rejection.fetching}
            onClick={async () => after(await approve({ id }))}
          >
            Approve
          </button>
          <button
            type="button"
            class="secondary"
            disabled={approval.fetching || rejection.fetching}
            onClick={async () => after(await reject({ id }))}
          >
            Reject
          </button>
        </p>
      ) : (
        <p class="muted">You do not vote on this request.</p>
      )}
    </>
  );
}

function MembersSection({ code }: { code: string }) {
  const [after, setAfter] = useState<string | null>(null);
  const [{ data, fetching, error }, reload] = useQuery({
    query: MEMBERS,
    variables: { currencyCode: code, after },
  });
  const [statusResult, setStatus] = useMutation(SET_STATUS);
  const accountsByOwner = new Map<
    string,
    NonNullable<typeof data>['accounts']['edges'][number]['node'][]
  >();
  for (const { node } of data?.accounts.edges ?? []) {
    if (node.owner === null || node.owner === undefined) continue;
    accountsByOwner.set(node.owner.id, [...(accountsByOwner.get(node.owner.id) ?? []), node]);
  }
  return (
    <section aria-labelledby="members-heading">
      <h2 id="members-heading">Members</h2>
      {fetching && data === undefined ? <Loading what="Loading members" /> : null}
      <ErrorNotice error={error ?? statusResult.error} />
      {data === undefined ? null : (
        <div class="table-scroll" tabIndex={0} role="region" aria-label="Members table">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col" class="number">
                  Balance ({code})
                </th>
                <th scope="col" class="number">
                  Floor
                </th>
                <th scope="col" class="number">
                  Ceiling
                </th>
                <th scope="col">Account</th>
              </tr>
            </thead>
            <tbody>
              {data.users.edges.map(({ node: user }) => {
                const accounts = accountsByOwner.get(user.id) ?? [];
                const account = accounts[0];
                return (
                  <tr key={user.id}>
                    <td>
                      {user.displayName}
                      <br />
                      <small class="muted">{user.email}</small>
                    </td>
                    <td>{user.role.toLowerCase()}</td>
                    <td>{user.status.toLowerCase()}</td>
                    <td class="number">
                      {account === undefined ? '—' : <Amount value={account.balance} />}
                    </td>
                    <td class="number">{account?.effectiveFloor ?? '—'}</td>
                    <td class="number">{account?.ceiling ?? '—'}</td>
                    <td>
                      {account === undefined ? (
                        'none'
                      ) : (
                        <button
                          type="button"
                          class="link"
                          disabled={statusResult.fetching || account.status === 'CLOSED'}
                          onClick={async () => {
                            const answer = await setStatus({
                              input: {
                                accountId: account.id,
                                status: account.status === 'FROZEN' ? 'OPEN' : 'FROZEN',
                              },
                            });
                            if (answer.data !== undefined)
                              reload({ requestPolicy: 'network-only' });
                          }}
                        >
                          {account.status === 'FROZEN'
                            ? `Unfreeze (${account.status.toLowerCase()})`
                            : `Freeze (${account.status.toLowerCase()})`}
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {data?.users.pageInfo.hasNextPage ? (
        <button
          type="button"
          class="secondary"
          onClick={() => setAfter(data.users.pageInfo.endCursor ?? null)}
        >
          Next 50 members
        </button>
      ) : null}
    </section>
  );
}

function PolicySection({ code }: { code: string }) {
  const [{ data, fetching, error }] = useQuery({
    query: POLICY_HISTORY,
    variables: { currencyCode: code },
  });
  return (
    <section aria-labelledby="policy-heading">
      <h2 id="policy-heading">Policy history</h2>
      {fetching && data === undefined ? <Loading what="Loading policy history" /> : null}
      <ErrorNotice error={error} />
      <ol class="history">
        {data?.policyHistory.map((version) => {
          const rules = Object.entries(version.policy).filter(
            ([key, value]) =>
              key !== '__typename' && key !== 'version' && value !== null && value !== undefined,
          );
          return (
            <li key={version.policy.version}>
              <strong>Version {version.policy.version}</strong> · {formatDate(version.createdAt)}
              <p class="muted">
                {rules.map(([key, value]) => `${key}: ${String(value)}`).join(' · ')}
              </p>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

function ExportsSection({ code, session }: { code: string; session: Session }) {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [progress, setProgress] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const download = async (format: 'csv' | 'journal') => {
    setFailure(null);
    setDone(null);
    setProgress('Starting');
    const query = new URLSearchParams();
    if (from !== '') query.set('from', startOfLocalDay(from));
    if (to !== '') query.set('to', endOfLocalDay(to));
    const file = `${code}.${format}`;
    try {
      const response = await fetch(
        `/exports/${file}${query.size > 0 ? `?${query.toString()}` : ''}`,
        {
          headers: { authorization: `Bearer ${session.token}` },
        },
      );
      if (!response.ok || response.body === null) {
        const body = (await response.json().catch(() => null)) as {
          errors?: Array<{ message: string }>;
        } | null;
        throw new Error(body?.errors?.[0]?.message ?? `The server answered ${response.status}`);
      }
      const reader = response.body.getReader();
      const chunks: Uint8Array[] = [];
      let received = 0;
      for (;;) {
        const { done: finished, value } = await reader.read();
        if (finished) break;
        chunks.push(value);
        received += value.byteLength;
        setProgress(`${Math.round(received / 1024)} kB received`);
      }
      downloadBlob(
        file,
        new Blob(chunks as BlobPart[], { type: format === 'csv' ? 'text/csv' : 'text/plain' }),
      );
      setDone(`${file} downloaded (${Math.max(1, Math.round(received / 1024))} kB).`);
    } catch (error) {
      setFailure(
        error instanceof Error && error.message !== 'Failed to fetch'
          ? error.message
          : 'The download failed: check your connection and try again.',
      );
    } finally {
      setProgress(null);
    }
  };
  return (
    <section aria-labelledby="exports-heading">
      <h2 id="exports-heading">Export the books</h2>
      <div class="period">
        <Field id="export-from" label="From (first day, optional)">
          <input
            id="export-from"
            type="date"
            value={from}
            onInput={(e) => setFrom(e.currentTarget.value)}
          />
        </Field>
        <Field id="export-to" label="To (last day, optional)">
          <input
            id="export-to"
            type="date"
            value={to}
            onInput={(e) => setTo(e.currentTarget.value)}
          />
        </Field>
      </div>
      <p class="actions">
        <button type="button" disabled={progress !== null} onClick={() => void download('csv')}>
          Download CSV
        </button>
        <button
          type="button"
          class="secondary"
          disabled={progress !== null}
          onClick={() => void download('journal')}
        >
          Download hledger journal
        </button>
      </p>
      {progress === null ? null : <Loading what="Downloading" detail={progress} />}
      <ErrorNotice error={failure} />
      {done === null ? null : <Success>{done}</Success>}
    </section>
  );
}
