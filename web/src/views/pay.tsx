import { useMutation, useQuery } from '@urql/preact';
import { useRoute } from 'preact-iso';
import { useState } from 'preact/hooks';
import { ErrorNotice } from '../errors';
import { graphql } from '../gql';
import type { TransferKind } from '../gql/graphql';
import { useIdempotencyKey } from '../idempotency';
import { normaliseTypedAmount } from '../money';
import type { Session } from '../session';
import { Amount, Field, Loading, PageTitle, Success } from '../ui';
import { spendable, MY_ACCOUNTS, type MyAccount } from './home';
import { type Payee, PayeePicker } from './payee-picker';

const TRANSFER = graphql(`
  mutation Pay($input: TransferInput!) {
    transfer(input: $input) {
      id
      status
      amount
      currencyCode
      warnings
      toAccount {
        id
      }
    }
  }
`);

/** A kind people recognise for a payment to this payee in this currency; the person may change it. */
function usualKind(account: MyAccount | undefined, payee: Payee | null): TransferKind {
  if (payee?.kind === 'FUND') return 'CONTRIBUTION';
  return account?.currency.kind === 'TIME' ? 'EXCHANGE' : 'PAYMENT';
}

const KINDS: Array<{ value: TransferKind; label: string }> = [
  { value: 'EXCHANGE', label: 'Exchange (time for a service)' },
  { value: 'PAYMENT', label: 'Payment' },
  { value: 'CONTRIBUTION', label: 'Contribution to a fund' },
];

/** Pay another member, a shop or a fund, found by name. */
export function Pay({ session }: { session: Session }) {
  const { query } = useRoute();
  const [{ data, fetching, error }] = useQuery({ query: MY_ACCOUNTS });
  const accounts = (data?.accounts.edges ?? [])
    .map((edge) => edge.node)
    .filter((a) => a.status === 'OPEN' && a.kind !== 'FUND');
  const [fromId, setFromId] = useState<string>(query.from ?? '');
  const from = accounts.find((account) => account.id === fromId) ?? accounts[0];
  const [payee, setPayee] = useState<Payee | null>(null);
  const [amount, setAmount] = useState('');
  const [memo, setMemo] = useState('');
  const [kind, setKind] = useState<TransferKind | null>(null);
  const [paid, setPaid] = useState<{
    amount: string;
    code: string;
    name: string;
    warnings: string[];
  } | null>(null);
  const [result, transfer] = useMutation(TRANSFER);
  const idempotency = useIdempotencyKey();
  if (fetching && data === undefined) return <Loading what="Loading your accounts" />;
  if (error !== undefined) return <ErrorNotice error={error} />;
  if (from === undefined) {
    return (
      <>
        <PageTitle>Pay</PageTitle>
        <p>
          You need an open account first: <a href={`/c/${session.slug}/home`}>open one</a>.
        </p>
      </>
    );
  }
  const chosenKind = kind ?? usualKind(from, payee);
  return (
    <>
      <PageTitle>Pay</PageTitle>
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          if (payee === null || result.fetching) return;
          setPaid(null);
          const input = {
            fromAccountId: from.id,
            toAccountId: payee.accountId,
            amount: normaliseTypedAmount(amount),
            kind: chosenKind,
            memo: memo.trim() === '' ? null : memo.trim(),
          };
          const answer = await transfer({
            input: { ...input, idempotencyKey: idempotency.keyFor(input) },
          });
          if (answer.data?.transfer !== undefined) {
            idempotency.done();
            setPaid({
              amount: answer.data.transfer.amount,
              code: answer.data.transfer.currencyCode,
              name: payee.name,
              warnings: answer.data.transfer.warnings,
            });
            setAmount('');
            setMemo('');
            setPayee(null);
            setKind(null);
          }
        }}
      >
        <Field id="from" label="From your account">
          <select
            id="from"
            value={from.id}
            onChange={(event) => {
              setFromId(event.currentTarget.value);
              setPayee(null);
            }}
          >
            {accounts.map((account) => (
              <option key={account.id} value={account.id}>
                {account.currency.name} · {account.name} (balance {account.balance}{' '}
                {account.currency.code})
              </option>
            ))}
          </select>
        </Field>
        <Field id="payee" label="To">
          <PayeePicker
            id="payee"
            currencyCode={from.currency.code}
            exclude={new Set(accounts.map((account) => account.id))}
            value={payee}
            onChange={setPayee}
          />
        </Field>
        <Field id="amount" label={`Amount (${from.currency.code})`}>
          <input
            id="amount"
            required
            inputMode="decimal"
            autocomplete="off"
            pattern="[0-9]+([.,][0-9]+)?"
            title="A number such as 1.50"
            value={amount}
            onInput={(event) => setAmount(event.currentTarget.value)}
          />
        </Field>
        <Field id="memo" label="What for (optional)">
          <input
            id="memo"
            maxLength={500}
            value={memo}
            onInput={(event) => setMemo(event.currentTarget.value)}
          />
        </Field>
        <Field id="kind" label="Kind">
          <select
            id="kind"
            value={chosenKind}
            onChange={(event) => setKind(event.currentTarget.value as TransferKind)}
          >
            {KINDS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </Field>
        <ErrorNotice error={result.error} available={from === undefined ? null : spendable(from)} />
        <button type="submit" disabled={result.fetching || payee === null}>
          {result.fetching
            ? 'Paying…'
            : payee === null
              ? 'Choose whom to pay'
              : `Pay ${payee.name}`}
        </button>
      </form>
      {paid === null ? null : (
        <Success>
          <p>
            Paid <Amount value={paid.amount} code={paid.code} /> to {paid.name}.{' '}
            <a href={`/c/${session.slug}/accounts/${from.id}`}>See your statement</a>.
          </p>
          {paid.warnings.length === 0 ? null : (
            <p>Note from the server: {paid.warnings.join(', ')}</p>
          )}
        </Success>
      )}
    </>
  );
}
