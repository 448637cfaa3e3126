import { useMutation, useQuery } from '@urql/preact';
import { useState } from 'preact/hooks';
import { formatDateTime, startOfLocalDay } from '../dates';
import { ErrorNotice } from '../errors';
import { graphql } from '../gql';
import type { StandingOrderInterval, TransferKind } from '../gql/graphql';
import { normaliseTypedAmount } from '../money';
import type { Session } from '../session';
import { Amount, Field, Loading, PageTitle, Success } from '../ui';
import { MY_ACCOUNTS } from './home';
import { type Payee, PayeePicker } from './payee-picker';

const STANDING_ORDERS = graphql(`
  query StandingOrders($accountId: ID!) {
    standingOrders(accountId: $accountId) {
      id
      amount
      interval
      kind
      memo
      nextRunAt
      endsAt
      status
      toAccountId
      runs {
        dueAt
        ranAt
        transferId
        errorMessage
      }
    }
  }
`);

const CREATE = graphql(`
  mutation CreateStandingOrder($input: CreateStandingOrderInput!) {
    createStandingOrder(input: $input) {
      id
      nextRunAt
    }
  }
`);

const CANCEL = graphql(`
  mutation CancelStandingOrder($id: ID!) {
    cancelStandingOrder(id: $id) {
      id
      status
    }
  }
`);

const INTERVALS: Array<{ value: StandingOrderInterval; label: string }> = [
  { value: 'WEEK', label: 'every week' },
  { value: 'MONTH', label: 'every month' },
  { value: 'DAY', label: 'every day' },
];

/** Recurring payments from an account: the list with their latest runs, new ones, cancelling. */
export function StandingOrders({ session }: { session: Session }) {
  const [{ data, fetching, error }] = useQuery({ query: MY_ACCOUNTS });
  const accounts = (data?.accounts.edges ?? [])
    .map((edge) => edge.node)
    .filter((a) => a.status === 'OPEN');
  const [accountId, setAccountId] = useState('');
  const account = accounts.find((a) => a.id === accountId) ?? accounts[0];
  if (fetching && data === undefined) return <Loading what="Loading your accounts" />;
  if (error !== undefined) return <ErrorNotice error={error} />;
  if (account === undefined) {
    return (
      <>
        <PageTitle>Standing orders</PageTitle>
        <p>
          Open an account first: <a href={`/c/${session.slug}/home`}>your accounts</a>.
        </p>
      </>
    );
  }
  return (
    <>
      <PageTitle>Standing orders</PageTitle>
      <Field id="account" label="From your account">
        <select
          id="account"
          value={account.id}
          onChange={(event) => setAccountId(event.currentTarget.value)}
        >
          {accounts.map((a) => (
            <option key={a.id} value={a.id}>
              {a.currency.name} · {a.name}
            </option>
          ))}
        </select>
      </Field>
      <OrderList accountId={account.id} code={account.currency.code} />
      <NewOrder
        accountId={account.id}
        code={account.currency.code}
        exclude={new Set(accounts.map((a) => a.id))}
      />
    </>
  );
}

function OrderList({ accountId, code }: { accountId: string; code: string }) {
  const [{ data, fetching, error }] = useQuery({
    query: STANDING_ORDERS,
    variables: { accountId },
  });
  const [cancelling, cancel] = useMutation(CANCEL);
  const orders = data?.standingOrders ?? [];
  return (
    <section aria-labelledby="orders-heading">
      <h2 id="orders-heading">Your standing orders</h2>
      {fetching && data === undefined ? <Loading what="Loading standing orders" /> : null}
      <ErrorNotice error={error ?? cancelling.error} />
      {data !== undefined && orders.length === 0 ? <p>None yet.</p> : null}
      <ul class="cards">
        {orders.map((order) => {
          const failed = order.runs.find(
            (run) => run.errorMessage !== null && run.errorMessage !== undefined,
          );
          return (
            <li key={order.id} class="card">
              <p>
                <Amount value={order.amount} code={code} /> {order.interval.toLowerCase()}ly ·{' '}
                {order.kind.toLowerCase()}
                {order.memo ? ` · ${order.memo}` : ''}
              </p>
              <p class={`badge ${order.status.toLowerCase()}`}>{order.status.toLowerCase()}</p>
              {order.status === 'ACTIVE' ? (
                <p>Next payment {formatDateTime(order.nextRunAt)}</p>
              ) : null}
              {failed === undefined ? null : (
                <p class="notice error">
                  The payment due {formatDateTime(failed.dueAt)} failed: {failed.errorMessage}
                </p>
              )}
              {order.status === 'ACTIVE' ? (
                <button
                  type="button"
                  class="secondary"
                  disabled={cancelling.fetching}
                  onClick={() => void cancel({ id: order.id })}
                >
                  Cancel this standing order
                </button>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function NewOrder({
  accountId,
  code,
  exclude,
}: {
  accountId: string;
  code: string;
  exclude: Set<string>;
}) {
  const [payee, setPayee] = useState<Payee | null>(null);
  const [amount, setAmount] = useState('');
  const [interval, setInterval] = useState<StandingOrderInterval>('MONTH');
  const [memo, setMemo] = useState('');
  const [startsOn, setStartsOn] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const [result, create] = useMutation(CREATE);
  const kind: TransferKind = payee?.kind === 'FUND' ? 'CONTRIBUTION' : 'PAYMENT';
  return (
    <section aria-labelledby="new-order-heading">
      <h2 id="new-order-heading">New standing order</h2>
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          if (payee === null) return;
          setCreated(null);
          const answer = await create({
            input: {
              fromAccountId: accountId,
              toAccountId: payee.accountId,
              amount: normaliseTypedAmount(amount),
              interval,
              kind,
              memo: memo.trim() === '' ? null : memo.trim(),
              startsAt: startsOn === '' ? null : startOfLocalDay(startsOn),
            },
          });
          if (answer.data !== undefined) {
            setCreated(answer.data.createStandingOrder.nextRunAt);
            setPayee(null);
            setAmount('');
            setMemo('');
          }
        }}
      >
        <Field id="order-payee" label="To">
          <PayeePicker
            id="order-payee"
            currencyCode={code}
            exclude={exclude}
            value={payee}
            onChange={setPayee}
          />
        </Field>
        <Field id="order-amount" label={`Amount (${code})`}>
          <input
            id="order-amount"
            required
            inputMode="decimal"
            value={amount}
            onInput={(e) => setAmount(e.currentTarget.value)}
          />
        </Field>
        <Field id="order-interval" label="How often">
          <select
            id="order-interval"
            value={interval}
            onChange={(e) => setInterval(e.currentTarget.value as StandingOrderInterval)}
          >
            {INTERVALS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </Field>
        <Field id="order-start" label="First payment on (optional; default today)">
          <input
            id="order-start"
            type="date"
            value={startsOn}
            onInput={(e) => setStartsOn(e.currentTarget.value)}
          />
        </Field>
        <Field id="order-memo" label="What for (optional)">
          <input
            id="order-memo"
            maxLength={500}
            value={memo}
            onInput={(e) => setMemo(e.currentTarget.value)}
          />
        </Field>
        <ErrorNotice error={result.error} />
        {created === null ? null : (
          <Success>
            Standing order set up; the first payment is due {formatDateTime(created)}.
          </Success>
        )}
        <button type="submit" disabled={result.fetching || payee === null}>
          Set up standing order
        </button>
      </form>
    </section>
  );
}
