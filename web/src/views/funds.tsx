import { useMutation, useQuery } from '@urql/preact';
import { useState } from 'preact/hooks';
import { formatDateTime } from '../dates';
import { ErrorNotice } from '../errors';
import { graphql } from '../gql';
import { useIdempotencyKey } from '../idempotency';
import { normaliseTypedAmount } from '../money';
import type { Session } from '../session';
import { Amount, Field, Loading, PageTitle, Success } from '../ui';
import { MY_ACCOUNTS } from './home';
import { type Payee, PayeePicker } from './payee-picker';

const REQUEST_DISBURSEMENT = graphql(`
  mutation RequestDisbursement($input: RequestDisbursementInput!) {
    requestDisbursement(input: $input) {
      id
      status
      amount
      currencyCode
    }
  }
`);

const MY_REQUESTS = graphql(`
  query MyRequests($accountId: ID!) {
    transfers(filter: { accountId: $accountId, kind: DISBURSEMENT }, first: 25) {
      edges {
        node {
          id
          status
          amount
          currencyCode
          memo
          createdAt
          expiresAt
          postedAt
          fromAccount {
            id
            name
          }
          toAccount {
            id
          }
        }
      }
    }
  }
`);

const DISBURSEMENT_PROGRESS = graphql(`
  query DisbursementProgress($id: ID!) {
    disbursement(transferId: $id) {
      approvals
      approvalsRequired
      rejections
      rejectionsRequired
    }
  }
`);

/** Ask a fund for help, and follow the requests: pending with k of n, then paid, rejected or expired. */
export function Funds({ session }: { session: Session }) {
  const [{ data, fetching, error }] = useQuery({ query: MY_ACCOUNTS });
  const accounts = (data?.accounts.edges ?? [])
    .map((edge) => edge.node)
    .filter((a) => a.status === 'OPEN' && a.kind !== 'FUND');
  const [accountId, setAccountId] = useState('');
  const account = accounts.find((a) => a.id === accountId) ?? accounts[0];
  const [fund, setFund] = useState<Payee | null>(null);
  const [amount, setAmount] = useState('');
  const [memo, setMemo] = useState('');
  const [asked, setAsked] = useState(false);
  const [result, request] = useMutation(REQUEST_DISBURSEMENT);
  const idempotency = useIdempotencyKey();
  if (fetching && data === undefined) return <Loading what="Loading your accounts" />;
  if (error !== undefined) return <ErrorNotice error={error} />;
  if (account === undefined) {
    return (
      <>
        <PageTitle>Funds</PageTitle>
        <p>
          Open an account first: <a href={`/c/${session.slug}/home`}>your accounts</a>.
        </p>
      </>
    );
  }
  return (
    <>
      <PageTitle>Ask a fund for help</PageTitle>
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          if (fund === null || result.fetching) return;
          setAsked(false);
          const input = {
            fundAccountId: fund.accountId,
            toAccountId: account.id,
            amount: normaliseTypedAmount(amount),
            memo: memo.trim() === '' ? null : memo.trim(),
          };
          const answer = await request({
            input: { ...input, idempotencyKey: idempotency.keyFor(input) },
          });
          if (answer.data !== undefined) {
            idempotency.done();
            setAsked(true);
            setAmount('');
            setMemo('');
          }
        }}
      >
        <Field id="to" label="Into your account">
          <select
            id="to"
            value={account.id}
            onChange={(event) => {
              setAccountId(event.currentTarget.value);
              setFund(null);
            }}
          >
            {accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {a.currency.name} · {a.name}
              </option>
            ))}
          </select>
        </Field>
        <Field id="fund" label="From the fund">
          <PayeePicker
            id="fund"
            currencyCode={account.currency.code}
            kind="FUND"
            exclude={new Set()}
            value={fund}
            onChange={setFund}
          />
        </Field>
        <Field id="amount" label={`Amount (${account.currency.code})`}>
          <input
            id="amount"
            required
            inputMode="decimal"
            autocomplete="off"
            value={amount}
            onInput={(e) => setAmount(e.currentTarget.value)}
          />
        </Field>
        <Field id="memo" label="What it is for (the fund's stewards read this)">
          <textarea
            id="memo"
            maxLength={500}
            rows={3}
            value={memo}
            onInput={(e) => setMemo(e.currentTarget.value)}
          />
        </Field>
        <ErrorNotice error={result.error} />
        {asked ? (
          <Success>Your request is with the fund's stewards. Follow it below.</Success>
        ) : null}
        <button type="submit" disabled={result.fetching || fund === null}>
          {fund === null ? 'Choose a fund' : 'Ask for help'}
        </button>
      </form>
      <MyRequests accountId={account.id} refreshKey={asked} />
    </>
  );
}

function MyRequests({ accountId, refreshKey }: { accountId: string; refreshKey: boolean }) {
  const [{ data, fetching, error }] = useQuery({
    query: MY_REQUESTS,
    variables: { accountId },
    requestPolicy: refreshKey ? 'network-only' : 'cache-and-network',
  });
  const requests = (data?.transfers.edges ?? [])
    .map((edge) => edge.node)
    .filter((t) => t.toAccount.id === accountId);
  return (
    <section aria-labelledby="requests-heading">
      <h2 id="requests-heading">Your requests</h2>
      {fetching && data === undefined ? <Loading what="Loading your requests" /> : null}
      <ErrorNotice error={error} />
      {data !== undefined && requests.length === 0 ? <p>No requests yet.</p> : null}
      <ul class="cards">
        {requests.map((transfer) => (
          <li key={transfer.id} class="card">
            <p>
              <Amount value={transfer.amount} code={transfer.currencyCode} /> from{' '}
              {transfer.fromAccount.name}
              {transfer.memo ? ` · ${transfer.memo}` : ''}
            </p>
            <p class={`badge ${transfer.status.toLowerCase()}`}>{statusWords(transfer.status)}</p>
            {transfer.status === 'PENDING' ? (
              <Progress id={transfer.id} expiresAt={transfer.expiresAt ?? null} />
            ) : null}
            <p class="muted">Asked {formatDateTime(transfer.createdAt)}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}

function statusWords(status: string): string {
  switch (status) {
    case 'PENDING':
      return 'Waiting for the stewards';
    case 'POSTED':
      return 'Approved and paid';
    case 'VOIDED':
      return 'Rejected';
    case 'EXPIRED':
      return 'Expired without a decision';
    default:
      return status;
  }
}

function Progress({ id, expiresAt }: { id: string; expiresAt: string | null }) {
  const [{ data, error }] = useQuery({ query: DISBURSEMENT_PROGRESS, variables: { id } });
  if (error !== undefined) return <ErrorNotice error={error} />;
  const progress = data?.disbursement;
  if (progress === undefined) return null;
  return (
    <p>
      {progress.approvals} of {progress.approvalsRequired} approvals needed
      {progress.rejections > 0 ? `, ${progress.rejections} rejection(s)` : ''}
      {expiresAt === null ? '' : `; decided by ${formatDateTime(expiresAt)} or it expires`}.
    </p>
  );
}
