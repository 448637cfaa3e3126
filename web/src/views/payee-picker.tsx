import { useQuery } from '@urql/preact';
import { useEffect, useState } from 'preact/hooks';
import { ErrorNotice } from '../errors';
import { graphql } from '../gql';
import type { AccountKind, DirectoryQuery } from '../gql/graphql';
import { Loading } from '../ui';

const DIRECTORY = graphql(`
  query Directory($currencyCode: String!, $search: String, $kind: AccountKind) {
    accountDirectory(currencyCode: $currencyCode, search: $search, kind: $kind, first: 20) {
      accountId
      kind
      name
      accountName
      currencyCode
    }
  }
`);

export type Payee = DirectoryQuery['accountDirectory'][number];

/** Find whom to pay by part of their name; a list of buttons, reachable by keyboard. */
export function PayeePicker({
  id,
  currencyCode,
  exclude,
  kind,
  value,
  onChange,
}: {
  id: string;
  currencyCode: string;
  exclude: Set<string>;
  kind?: AccountKind;
  value: Payee | null;
  onChange: (payee: Payee | null) => void;
}) {
  const [typed, setTyped] = useState('');
  const [search, setSearch] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setSearch(typed.trim()), 250);
    return () => clearTimeout(timer);
  }, [typed]);
  const [{ data, fetching, error }] = useQuery({
    query: DIRECTORY,
    variables: { currencyCode, search: search === '' ? null : search, kind: kind ?? null },
    pause: search === '' && kind === undefined,
  });
  const payees = (data?.accountDirectory ?? []).filter((payee) => !exclude.has(payee.accountId));
  if (value !== null) {
    return (
      <div class="chosen" id={id}>
        <span>
          <strong>{value.name}</strong> <span class="muted">({value.kind.toLowerCase()})</span>
        </span>
        <button type="button" class="link" onClick={() => onChange(null)}>
          Change
        </button>
      </div>
    );
  }
  return (
    <div class="picker">
      <input
        id={id}
        type="search"
        autocomplete="off"
        placeholder="Type part of a name"
        value={typed}
        aria-describedby={`${id}-results`}
        onInput={(event) => setTyped(event.currentTarget.value)}
      />
      <div id={`${id}-results`} aria-live="polite">
        {fetching ? <Loading what="Searching" /> : null}
        <ErrorNotice error={error} />
        {search !== '' && data !== undefined && payees.length === 0 ? (
          <p>No one found by that name.</p>
        ) : null}
        {payees.length === 0 ? null : (
          <ul class="results">
            {payees.map((payee) => (
              <li key={payee.accountId}>
                <button type="button" class="result" onClick={() => onChange(payee)}>
                  {payee.name}
                  <span class="muted">
                    {' '}
                    · {payee.kind.toLowerCase()}
                    {payee.accountName !== payee.name ? ` · ${payee.accountName}` : ''}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
