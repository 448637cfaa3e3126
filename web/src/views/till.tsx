import { useMutation, useQuery, useSubscription } from '@urql/preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { formatDateTime } from '../dates';
import { ErrorNotice } from '../errors';
import { graphql } from '../gql';
import type { PaymentReceivedSubscription } from '../gql/graphql';
import { useIdempotencyKey } from '../idempotency';
import { normaliseTypedAmount } from '../money';
import type { Session } from '../session';
import { Amount, Field, Loading, PageTitle, Success } from '../ui';
import { MY_ACCOUNTS } from './home';

const CREATE_REQUEST = graphql(`
  mutation CreatePaymentRequest($input: CreatePaymentRequestInput!) {
    createPaymentRequest(input: $input) {
      id
      status
      amount
      currencyCode
      memo
      expiresAt
      paymentUri
      qrSvg
    }
  }
`);

const REQUEST_STATUS = graphql(`
  query TillRequest($id: ID!) {
    paymentRequest(id: $id) {
      id
      status
      paidAmount
      payments(first: 5) {
        transferId
        payerName
        amount
      }
    }
  }
`);

const CANCEL_REQUEST = graphql(`
  mutation CancelPaymentRequest($id: ID!) {
    cancelPaymentRequest(id: $id) {
      id
      status
    }
  }
`);

const PAYMENT_RECEIVED = graphql(`
  subscription PaymentReceived($accountId: ID!) {
    paymentReceived(accountId: $accountId) {
      transferId
      paymentRequestId
      payerName
      amount
      fee
      currencyCode
      postedAt
    }
  }
`);

const SALES = graphql(`
  query ShopSales($accountId: ID!, $from: DateTime!) {
    shopSales(accountId: $accountId) {
      count
      totalReceived
      fees
      refunds
      net
      currencyCode
      from
      to
    }
    transfers(
      filter: { accountId: $accountId, kind: PAYMENT, status: POSTED, from: $from }
      first: 50
    ) {
      edges {
        node {
          id
          amount
          memo
          postedAt
          currencyCode
          fromAccount {
            id
            owner {
              displayName
            }
          }
          toAccount {
            id
          }
          reversedBy {
            id
          }
        }
      }
    }
  }
`);

const REFUND = graphql(`
  mutation RefundPayment($input: RefundPaymentInput!) {
    refundPayment(input: $input) {
      id
      amount
      currencyCode
    }
  }
`);

type Payment = PaymentReceivedSubscription['paymentReceived'];

/**
 * The shop till: type an amount, show the QR code, and the screen turns to
 * "paid" by itself when the payment commits (the paymentReceived
 * subscription), with the payer's name. Today's sales and refunds below.
 */
export function Till({ session }: { session: Session }) {
  const [{ data, fetching, error }] = useQuery({ query: MY_ACCOUNTS });
  const shops = (data?.accounts.edges ?? [])
    .map((edge) => edge.node)
    .filter((a) => a.kind === 'SHOP' && a.status === 'OPEN');
  const [accountId, setAccountId] = useState('');
  const account = shops.find((a) => a.id === accountId) ?? shops[0];
  if (fetching && data === undefined) return <Loading what="Loading the till" />;
  if (error !== undefined) return <ErrorNotice error={error} />;
  if (account === undefined) {
    return (
      <>
        <PageTitle>Till</PageTitle>
        <p>
          The till takes payments into a shop account.{' '}
          <a href={`/c/${session.slug}/home`}>Open a shop account</a> first (shops open SHOP
          accounts).
        </p>
      </>
    );
  }
  return (
    <>
      <PageTitle>Till</PageTitle>
      {shops.length > 1 ? (
        <Field id="till-account" label="Shop account">
          <select
            id="till-account"
            value={account.id}
            onChange={(e) => setAccountId(e.currentTarget.value)}
          >
            {shops.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name} ({a.currency.code})
              </option>
            ))}
          </select>
        </Field>
      ) : null}
      <TillCounter
        key={account.id}
        accountId={account.id}
        code={account.currency.code}
        slug={session.slug}
      />
    </>
  );
}

function TillCounter({ accountId, code, slug }: { accountId: string; code: string; slug: string }) {
  const [amount, setAmount] = useState('');
  const [memo, setMemo] = useState('');
  const [created, createRequest] = useMutation(CREATE_REQUEST);
  const [cancelled, cancelRequest] = useMutation(CANCEL_REQUEST);
  const [current, setCurrent] = useState<string | null>(null);
  const [received, setReceived] = useState<Payment[]>([]);
  const [subscription] = useSubscription(
    { query: PAYMENT_RECEIVED, variables: { accountId } },
    (previous: Payment[] | undefined, event) => {
      const payment = event.paymentReceived;
      setReceived((list) =>
        list.some((p) => p.transferId === payment.transferId)
          ? list
          : [payment, ...list].slice(0, 20),
      );
      return [payment, ...(previous ?? [])];
    },
  );
  const request = current === null ? undefined : created.data?.createPaymentRequest;
  const paidBy =
    request === undefined ? undefined : received.find((p) => p.paymentRequestId === request.id);
  // The server's word on the request, read again when a payment for it arrives (and on reconnecting).
  const [status, readStatus] = useQuery({
    query: REQUEST_STATUS,
    variables: { id: request?.id ?? '' },
    pause: request === undefined,
    requestPolicy: 'network-only',
  });
  useEffect(() => {
    if (request !== undefined && received.length > 0) readStatus({ requestPolicy: 'network-only' });
  }, [received.length]);
  const serverStatus = status.data?.paymentRequest.status ?? request?.status;
  const paid = paidBy !== undefined || serverStatus === 'PAID';
  const payer = paidBy?.payerName ?? status.data?.paymentRequest.payments[0]?.payerName;
  const link = request === undefined ? '' : `${location.origin}/c/${slug}/pay/r/${request.id}`;
  return (
    <>
      {request === undefined ? (
        <form
          class="till-form"
          onSubmit={async (event) => {
            event.preventDefault();
            const answer = await createRequest({
              input: {
                toAccountId: accountId,
                amount: normaliseTypedAmount(amount),
                memo: memo.trim() === '' ? null : memo.trim(),
              },
            });
            if (answer.data !== undefined) setCurrent(answer.data.createPaymentRequest.id);
          }}
        >
          <Field id="till-amount" label={`Amount to charge (${code})`}>
            <input
              id="till-amount"
              class="big-input"
              required
              inputMode="decimal"
              autocomplete="off"
              value={amount}
              onInput={(e) => setAmount(e.currentTarget.value)}
            />
          </Field>
          <Field id="till-memo" label="What for (optional)">
            <input
              id="till-memo"
              maxLength={500}
              value={memo}
              onInput={(e) => setMemo(e.currentTarget.value)}
            />
          </Field>
          <ErrorNotice error={created.error} />
          <button type="submit" disabled={created.fetching}>
            {created.fetching ? 'Preparing…' : 'Show QR code'}
          </button>
        </form>
      ) : (
        <section
          class={`till-request ${paid ? 'paid' : ''}`}
          aria-labelledby="request-heading"
          aria-live="assertive"
        >
          <h2 id="request-heading">
            {paid
              ? 'Paid'
              : serverStatus === 'OPEN'
                ? 'Waiting for payment'
                : `Request ${serverStatus?.toLowerCase() ?? ''}`}
          </h2>
          <p class="big">
            <Amount value={request.amount ?? '0'} code={request.currencyCode} />
          </p>
          {paid ? (
            <p class="paid-by" data-testid="paid-by">
              Paid by {payer ?? 'a member'}
            </p>
          ) : (
            <>
              <img
                class="qr"
                src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(request.qrSvg)}`}
                alt={`QR code to pay ${request.amount ?? ''} ${request.currencyCode}`}
                width={256}
                height={256}
              />
              <p class="muted">
                Or open <a href={link}>{link}</a>
              </p>
              {request.expiresAt ? (
                <p class="muted">Valid until {formatDateTime(request.expiresAt)}</p>
              ) : null}
              {subscription.error !== undefined ? (
                <p class="notice">
                  Live updates are reconnecting; the payment will still show here.
                </p>
              ) : null}
            </>
          )}
          <ErrorNotice error={cancelled.error} />
          <p class="actions">
            <button
              type="button"
              onClick={() => {
                setCurrent(null);
                setAmount('');
                setMemo('');
              }}
            >
              New sale
            </button>
            {!paid && serverStatus === 'OPEN' ? (
              <button
                type="button"
                class="secondary"
                onClick={async () => {
                  const answer = await cancelRequest({ id: request.id });
                  if (answer.data !== undefined) setCurrent(null);
                }}
              >
                Cancel this request
              </button>
            ) : null}
          </p>
        </section>
      )}
      <Sales accountId={accountId} refresh={received.length} />
    </>
  );
}

function startOfTodayUtc(): string {
  const now = new Date();
  return new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()),
  ).toISOString();
}

function Sales({ accountId, refresh }: { accountId: string; refresh: number }) {
  const from = useMemo(startOfTodayUtc, []);
  const [{ data, fetching, error }, reload] = useQuery({
    query: SALES,
    variables: { accountId, from },
    requestPolicy: 'network-only',
  });
  useEffect(() => {
    if (refresh > 0) reload({ requestPolicy: 'network-only' });
  }, [refresh]);
  const [refund, refundPayment] = useMutation(REFUND);
  const [refunded, setRefunded] = useState<string | null>(null);
  const idempotency = useIdempotencyKey();
  const sales = data?.shopSales;
  const payments = (data?.transfers.edges ?? [])
    .map((edge) => edge.node)
    .filter((t) => t.toAccount.id === accountId);
  return (
    <section aria-labelledby="sales-heading">
      <h2 id="sales-heading">Today's sales</h2>
      {fetching && data === undefined ? <Loading what="Loading today's sales" /> : null}
      <ErrorNotice error={error} />
      {sales === undefined ? null : (
        <dl class="figures">
          <div>
            <dt>Payments</dt>
            <dd>{sales.count}</dd>
          </div>
          <div>
            <dt>Received</dt>
            <dd>
              <Amount value={sales.totalReceived} code={sales.currencyCode} />
            </dd>
          </div>
          <div>
            <dt>Fees</dt>
            <dd>
              <Amount value={sales.fees} code={sales.currencyCode} />
            </dd>
          </div>
          <div>
            <dt>Refunds</dt>
            <dd>
              <Amount value={sales.refunds} code={sales.currencyCode} />
            </dd>
          </div>
          <div>
            <dt>Net</dt>
            <dd class="big">
              <Amount value={sales.net} code={sales.currencyCode} />
            </dd>
          </div>
        </dl>
      )}
      <ErrorNotice error={refund.error} />
      {refunded === null ? null : <Success>{refunded}</Success>}
      {payments.length === 0 ? null : (
        <ul class="cards">
          {payments.map((payment) => (
            <li key={payment.id} class="card row">
              <span>
                <Amount value={payment.amount} code={payment.currencyCode} /> from{' '}
                {payment.fromAccount.owner?.displayName ?? 'a member'} ·{' '}
                {formatDateTime(payment.postedAt)}
              </span>
              <button
                type="button"
                class="secondary"
                disabled={refund.fetching}
                onClick={async () => {
                  if (
                    !confirm(
                      `Refund ${payment.amount} ${payment.currencyCode} to ${payment.fromAccount.owner?.displayName ?? 'the payer'}?`,
                    )
                  )
                    return;
                  setRefunded(null);
                  const input = { transferId: payment.id };
                  const answer = await refundPayment({
                    input: { ...input, idempotencyKey: idempotency.keyFor(input) },
                  });
                  if (answer.data !== undefined) {
                    idempotency.done();
                    setRefunded(
                      `Refunded ${answer.data.refundPayment.amount} ${answer.data.refundPayment.currencyCode}.`,
                    );
                    reload({ requestPolicy: 'network-only' });
                  }
                }}
              >
                Refund
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
