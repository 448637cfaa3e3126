import { useMutation, useQuery } from '@urql/preact';
import { useRoute } from 'preact-iso';
import { useState } from 'preact/hooks';
import { formatDateTime } from '../dates';
import { ErrorNotice } from '../errors';
import { graphql } from '../gql';
import { useIdempotencyKey } from '../idempotency';
import { normaliseTypedAmount } from '../money';
import type { Session } from '../session';
import { Amount, Field, Loading, PageTitle, Success } from '../ui';
import { spendable, MY_ACCOUNTS } from './home';

const PAYMENT_REQUEST = graphql(`
  query PaymentRequest($id: ID!) {
    paymentRequest(id: $id) {
      id
      status
      shopName
      amount
      currencyCode
      memo
      reference
      reusable
      expiresAt
    }
  }
`);

const PAY_REQUEST = graphql(`
  mutation PayPaymentRequest($input: PayPaymentRequestInput!) {
    payPaymentRequest(input: $input) {
      id
      status
      amount
      currencyCode
    }
  }
`);

/** Pay a shop's payment request, opened from its QR code or its link. */
export function PayRequest({ session }: { session: Session }) {
  const { params } = useRoute();
  const [{ data, fetching, error }] = useQuery({
    query: PAYMENT_REQUEST,
    variables: { id: params.requestId },
  });
  const [accountsQuery] = useQuery({ query: MY_ACCOUNTS });
  const [fromId, setFromId] = useState('');
  const [typedAmount, setTypedAmount] = useState('');
  const [paid, setPaid] = useState<{ amount: string; code: string } | null>(null);
  const [result, pay] = useMutation(PAY_REQUEST);
  const idempotency = useIdempotencyKey();
  const request = data?.paymentRequest;
  if ((fetching && data === undefined) || accountsQuery.fetching)
    return <Loading what="Loading the payment request" />;
  if (request === undefined)
    return <ErrorNotice error={error ?? 'This payment request could not be read.'} />;
  const accounts = (accountsQuery.data?.accounts.edges ?? [])
    .map((edge) => edge.node)
    .filter(
      (account) => account.currency.code === request.currencyCode && account.status === 'OPEN',
    );
  const from = accounts.find((account) => account.id === fromId) ?? accounts[0];
  return (
    <>
      <PageTitle>Pay {request.shopName}</PageTitle>
      <dl class="figures">
        <div>
          <dt>Amount</dt>
          <dd class="big">
            {request.amount === null || request.amount === undefined ? (
              'you choose'
            ) : (
              <Amount value={request.amount} code={request.currencyCode} />
            )}
          </dd>
        </div>
        {request.memo ? (
          <div>
            <dt>For</dt>
            <dd>{request.memo}</dd>
          </div>
        ) : null}
        {request.reference ? (
          <div>
            <dt>Reference</dt>
            <dd>{request.reference}</dd>
          </div>
        ) : null}
        {request.expiresAt ? (
          <div>
            <dt>Valid until</dt>
            <dd>{formatDateTime(request.expiresAt)}</dd>
          </div>
        ) : null}
      </dl>
      {paid !== null ? (
        <Success>
          <p>
            Paid <Amount value={paid.amount} code={paid.code} /> to {request.shopName}.{' '}
            {from === undefined ? null : (
              <a href={`/c/${session.slug}/accounts/${from.id}`}>See your statement</a>
            )}
          </p>
        </Success>
      ) : request.status !== 'OPEN' ? (
        <p class="notice">
          This request is {request.status.toLowerCase()}: it can no longer be paid.
        </p>
      ) : from === undefined ? (
        <p class="notice">
          You have no open {request.currencyCode} account to pay from.{' '}
          <a href={`/c/${session.slug}/home`}>Open one</a>.
        </p>
      ) : (
        <form
          onSubmit={async (event) => {
            event.preventDefault();
            if (result.fetching) return;
            const open = request.amount === null || request.amount === undefined;
            // A fixed request's amount is left out: the server takes the request's own.
            const input = {
              paymentRequestId: request.id,
              fromAccountId: from.id,
              ...(open ? { amount: normaliseTypedAmount(typedAmount) } : {}),
            };
            const answer = await pay({
              input: { ...input, idempotencyKey: idempotency.keyFor(input) },
            });
            if (answer.data?.payPaymentRequest !== undefined) {
              setPaid({
                amount: answer.data.payPaymentRequest.amount,
                code: answer.data.payPaymentRequest.currencyCode,
              });
            }
          }}
        >
          <Field id="from" label="From your account">
            <select
              id="from"
              value={from.id}
              onChange={(event) => setFromId(event.currentTarget.value)}
            >
              {accounts.map((account) => (
                <option key={account.id} value={account.id}>
                  {account.name} (balance {account.balance} {account.currency.code})
                </option>
              ))}
            </select>
          </Field>
          {request.amount === null || request.amount === undefined ? (
            <Field id="amount" label={`Amount (${request.currencyCode})`}>
              <input
                id="amount"
                required
                inputMode="decimal"
                autocomplete="off"
                value={typedAmount}
                onInput={(event) => setTypedAmount(event.currentTarget.value)}
              />
            </Field>
          ) : null}
          <ErrorNotice
            error={result.error}
            available={from === undefined ? null : spendable(from)}
          />
          <button type="submit" disabled={result.fetching}>
            {result.fetching ? 'Paying…' : `Pay ${request.shopName}`}
          </button>
        </form>
      )}
    </>
  );
}
