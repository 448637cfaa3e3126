import { type OperationResult, useClient, useQuery } from '@urql/preact';
import { useRoute } from 'preact-iso';
import { useState } from 'preact/hooks';
import { endOfLocalDay, formatDateTime, startOfLocalDay } from '../dates';
import { ErrorNotice } from '../errors';
import { graphql } from '../gql';
import type { StatementQuery } from '../gql/graphql';
import { Amount, downloadText, Field, Loading, PageTitle } from '../ui';

const STATEMENT = graphql(`
  query Statement($accountId: ID!, $from: DateTime, $to: DateTime, $first: Int, $after: String) {
    accountStatement(accountId: $accountId, from: $from, to: $to, first: $first, after: $after) {
      account {
        id
        name
        currency {
          code
          name
        }
      }
      openingBalance
      closingBalance
      totalIn
      totalOut
      entryCount
      entries {
        edges {
          node {
            id
            amount
            balanceAfter
            postedAt
            kind
            memo
            counterparty {
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
          endCursor
        }
      }
    }
  }
`);

type Entry = StatementQuery['accountStatement']['entries']['edges'][number]['node'];

const PAGE = 50;
const CSV_PAGE = 100;
/** The most a CSV download collects, page by page, before it stops and says so. */
const CSV_MAX_ENTRIES = 10_000;

function counterpartyName(entry: Entry): string {
  return entry.counterparty.owner?.displayName ?? entry.counterparty.name;
}

/** An account's statement: opening balance, entries with running balance, totals; a period; CSV. */
export function Statement() {
  const { params } = useRoute();
  const accountId = params.accountId;
  const [period, setPeriod] = useState({ from: '', to: '' });
  const [draft, setDraft] = useState(period);
  const [pages, setPages] = useState<Array<string | null>>([null]);
  const variables = {
    accountId,
    from: period.from === '' ? null : startOfLocalDay(period.from),
    to: period.to === '' ? null : endOfLocalDay(period.to),
  };
  const [{ data, fetching, error }] = useQuery({
    query: STATEMENT,
    variables: { ...variables, first: PAGE, after: null },
  });
  const statement = data?.accountStatement;
  const code = statement?.account.currency.code;
  return (
    <>
      <PageTitle>
        Statement{statement === undefined ? '' : ` · ${statement.account.currency.name}`}
      </PageTitle>
      <form
        class="period"
        onSubmit={(event) => {
          event.preventDefault();
          setPages([null]);
          setPeriod(draft);
        }}
      >
        <Field id="from" label="From (first day)">
          <input
            id="from"
            type="date"
            value={draft.from}
            onInput={(e) => setDraft({ ...draft, from: e.currentTarget.value })}
          />
        </Field>
        <Field id="to" label="To (last day)">
          <input
            id="to"
            type="date"
            value={draft.to}
            onInput={(e) => setDraft({ ...draft, to: e.currentTarget.value })}
          />
        </Field>
        <button type="submit">Show period</button>
      </form>
      <ErrorNotice error={error} />
      {fetching && statement === undefined ? <Loading what="Loading the statement" /> : null}
      {statement === undefined || code === undefined ? null : (
        <>
          <dl class="figures">
            <div>
              <dt>Opening balance</dt>
              <dd>
                <Amount value={statement.openingBalance} code={code} />
              </dd>
            </div>
            <div>
              <dt>In</dt>
              <dd>
                <Amount value={statement.totalIn} code={code} />
              </dd>
            </div>
            <div>
              <dt>Out</dt>
              <dd>
                <Amount value={statement.totalOut} code={code} />
              </dd>
            </div>
            <div>
              <dt>Closing balance</dt>
              <dd class="big">
                <Amount value={statement.closingBalance} code={code} />
              </dd>
            </div>
          </dl>
          <CsvDownload variables={variables} entryCount={statement.entryCount} code={code} />
          <div class="table-scroll" tabIndex={0} role="region" aria-label="Entries">
            <table>
              <caption>
                {statement.entryCount} {statement.entryCount === 1 ? 'entry' : 'entries'} in the
                period
              </caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">With</th>
                  <th scope="col">What</th>
                  <th scope="col" class="number">
                    Amount
                  </th>
                  <th scope="col" class="number">
                    Balance
                  </th>
                </tr>
              </thead>
              <tbody>
                {pages.map((after, index) => (
                  <EntryPage
                    key={after ?? 'first'}
                    variables={variables}
                    after={after}
                    first={index === 0 ? statement : undefined}
                    onMore={
                      index === pages.length - 1
                        ? (cursor) => setPages([...pages, cursor])
                        : undefined
                    }
                  />
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}

function EntryPage({
  variables,
  after,
  first,
  onMore,
}: {
  variables: { accountId: string; from: string | null; to: string | null };
  after: string | null;
  first: StatementQuery['accountStatement'] | undefined;
  onMore?: (cursor: string) => void;
}) {
  const [{ data, fetching, error }] = useQuery({
    query: STATEMENT,
    variables: { ...variables, first: PAGE, after },
    pause: first !== undefined,
  });
  const statement = first ?? data?.accountStatement;
  if (statement === undefined) {
    return (
      <tr>
        <td colSpan={5}>
          {fetching ? <Loading what="Loading more entries" /> : <ErrorNotice error={error} />}
        </td>
      </tr>
    );
  }
  const code = statement.account.currency.code;
  const page = statement.entries;
  return (
    <>
      {page.edges.map(({ node }) => (
        <tr key={node.id}>
          <td>{formatDateTime(node.postedAt)}</td>
          <td>{counterpartyName(node)}</td>
          <td>
            {node.kind.toLowerCase()}
            {node.memo === null || node.memo === undefined ? '' : ` · ${node.memo}`}
          </td>
          <td class="number">
            <Amount value={node.amount} signed />
          </td>
          <td class="number">
            {/* Null only on an account the caller may not read, never on their own statement. */}
            {node.balanceAfter === null ? '—' : <Amount value={node.balanceAfter} code={code} />}
          </td>
        </tr>
      ))}
      {onMore !== undefined && page.pageInfo.hasNextPage && page.pageInfo.endCursor ? (
        <tr>
          <td colSpan={5}>
            <button
              type="button"
              class="secondary"
              onClick={() => onMore(page.pageInfo.endCursor ?? '')}
            >
              Show more entries
            </button>
          </td>
        </tr>
      ) : null}
    </>
  );
}

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The whole period as CSV, fetched page by page with a progress count. */
function CsvDownload({
  variables,
  entryCount,
  code,
}: {
  variables: { accountId: string; from: string | null; to: string | null };
  entryCount: number;
  code: string;
}) {
  const client = useClient();
  const [progress, setProgress] = useState<number | null>(null);
  const [failure, setFailure] = useState<Error | null>(null);
  return (
    <div class="download">
      <button
        type="button"
        class="secondary"
        disabled={progress !== null}
        onClick={async () => {
          setFailure(null);
          setProgress(0);
          const rows = [
            ['posted_at', 'counterparty', 'kind', 'memo', 'amount', 'balance_after', 'currency'],
          ];
          let after: string | null = null;
          try {
            for (;;) {
              const answer: OperationResult<StatementQuery> = await client
                .query(
                  STATEMENT,
                  { ...variables, first: CSV_PAGE, after },
                  { requestPolicy: 'network-only' },
                )
                .toPromise();
              if (answer.error !== undefined) throw answer.error;
              const page: StatementQuery['accountStatement']['entries'] | undefined =
                answer.data?.accountStatement.entries;
              if (page === undefined) break;
              for (const { node } of page.edges) {
                rows.push([
                  node.postedAt,
                  counterpartyName(node),
                  node.kind,
                  node.memo ?? '',
                  node.amount,
                  node.balanceAfter ?? '',
                  code,
                ]);
              }
              setProgress(rows.length - 1);
              if (!page.pageInfo.hasNextPage || rows.length - 1 >= CSV_MAX_ENTRIES) break;
              after = page.pageInfo.endCursor ?? null;
            }
            const csv = rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
            downloadText(
              `statement-${code}-${variables.accountId.slice(0, 8)}.csv`,
              csv,
              'text/csv',
            );
          } catch (error) {
            setFailure(error instanceof Error ? error : new Error(String(error)));
          } finally {
            setProgress(null);
          }
        }}
      >
        Download CSV
      </button>
      {progress === null ? null : (
        <Loading
          what="Preparing the CSV"
          detail={`${progress} of ${Math.min(entryCount, CSV_MAX_ENTRIES)} entries`}
        />
      )}
      {entryCount > CSV_MAX_ENTRIES ? (
        <small class="hint">
          The CSV holds the first {CSV_MAX_ENTRIES} entries; choose a shorter period for the rest.
        </small>
      ) : null}
      <ErrorNotice error={failure} />
    </div>
  );
}
