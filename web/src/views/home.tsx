import { useMutation, useQuery } from '@urql/preact';
import { useState } from 'preact/hooks';
import { ErrorNotice } from '../errors';
import { graphql } from '../gql';
import type { HomeQuery } from '../gql/graphql';
import { subtract } from '../money';
import type { Session } from '../session';
import { Amount, Loading, PageTitle, Success } from '../ui';

export const MY_ACCOUNTS = graphql(`
  query Home {
    me {
      id
      displayName
      role
    }
    accounts(first: 100) {
      edges {
        node {
          id
          kind
          name
          status
          balance
          availableBalance
          floor
          effectiveFloor
          ceiling
          currency {
            code
            name
            kind
            scale
          }
        }
      }
    }
    currencies {
      code
      name
      kind
    }
  }
`);

const OPEN_ACCOUNT = graphql(`
  mutation OpenAccount($input: OpenAccountInput!) {
    openAccount(input: $input) {
      id
      currency {
        code
      }
    }
  }
`);

export type MyAccount = HomeQuery['accounts']['edges'][number]['node'];

/** What the server's figures leave to spend above the floor, with the currency; null without a floor. */
export function spendable(account: MyAccount): string | null {
  const floor = account.effectiveFloor;
  if (floor === null || floor === undefined) return null;
  return `${subtract(account.availableBalance, floor, account.currency.scale)} ${account.currency.code}`;
}

/** Member (and shop, steward) home: every account with its balance, floor and what can still be spent. */
export function Home({ session }: { session: Session }) {
  const [{ data, fetching, error }, refetch] = useQuery({ query: MY_ACCOUNTS });
  const [opening, openAccount] = useMutation(OPEN_ACCOUNT);
  const [opened, setOpened] = useState<string | null>(null);
  const accounts = data?.accounts.edges.map((edge) => edge.node) ?? [];
  const held = new Set(accounts.map((account) => account.currency.code));
  const openable = (data?.currencies ?? []).filter(
    (currency) => currency.kind !== 'NATIONAL' && !held.has(currency.code),
  );
  return (
    <>
      <PageTitle>Your accounts</PageTitle>
      {fetching && data === undefined ? <Loading what="Loading your accounts" /> : null}
      <ErrorNotice error={error} />
      {data !== undefined && accounts.length === 0 ? (
        <p>You have no account yet. Open one below to start trading.</p>
      ) : null}
      <ul class="cards">
        {accounts.map((account) => (
          <li key={account.id} class="card">
            <AccountCard account={account} slug={session.slug} />
          </li>
        ))}
      </ul>
      {openable.length === 0 ? null : (
        <section aria-labelledby="open-heading">
          <h2 id="open-heading">Open an account</h2>
          <ul class="actions">
            {openable.map((currency) => (
              <li key={currency.code}>
                <button
                  type="button"
                  disabled={opening.fetching}
                  onClick={async () => {
                    setOpened(null);
                    const answer = await openAccount({ input: { currencyCode: currency.code } });
                    if (answer.data !== undefined) {
                      setOpened(currency.name);
                      refetch({ requestPolicy: 'network-only' });
                    }
                  }}
                >
                  Open a {currency.name} account ({currency.code})
                </button>
              </li>
            ))}
          </ul>
          <ErrorNotice error={opening.error} />
        </section>
      )}
      {opened === null ? null : <Success>Your {opened} account is open.</Success>}
    </>
  );
}

function AccountCard({ account, slug }: { account: MyAccount; slug: string }) {
  const code = account.currency.code;
  const floor = account.effectiveFloor;
  const canSpend =
    floor === null || floor === undefined
      ? null
      : subtract(account.availableBalance, floor, account.currency.scale);
  return (
    <article aria-labelledby={`account-${account.id}`}>
      <h2 id={`account-${account.id}`}>
        {account.currency.name} <span class="muted">· {account.name}</span>
      </h2>
      {account.status === 'OPEN' ? null : <p class="badge warning">{account.status}</p>}
      <dl class="figures">
        <div>
          <dt>Balance</dt>
          <dd class="big">
            <Amount value={account.balance} code={code} />
          </dd>
        </div>
        <div>
          <dt>Floor</dt>
          <dd>
            {floor === null || floor === undefined ? 'none' : <Amount value={floor} code={code} />}
          </dd>
        </div>
        <div>
          <dt>Available to spend</dt>
          <dd>
            {canSpend === null ? 'no floor' : <Amount value={canSpend} code={code} />}
            {account.availableBalance !== account.balance ? (
              <small class="hint"> (after payments on hold)</small>
            ) : null}
          </dd>
        </div>
        {account.ceiling === null || account.ceiling === undefined ? null : (
          <div>
            <dt>Ceiling</dt>
            <dd>
              <Amount value={account.ceiling} code={code} />
            </dd>
          </div>
        )}
      </dl>
      <p class="actions">
        <a class="button" href={`/c/${slug}/accounts/${account.id}`}>
          Statement
        </a>
        <a class="button secondary" href={`/c/${slug}/pay?from=${account.id}`}>
          Pay from here
        </a>
      </p>
    </article>
  );
}
