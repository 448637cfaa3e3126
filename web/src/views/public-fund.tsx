import { useQuery } from '@urql/preact';
import { useRoute } from 'preact-iso';
import { formatDate } from '../dates';
import { ErrorNotice } from '../errors';
import { graphql } from '../gql';
import { toMinor } from '../money';
import { Anonymous } from '../shell';
import { Amount, Loading, PageTitle } from '../ui';

const PUBLIC_FUND = graphql(`
  query PublicFund($slug: String!, $id: ID!) {
    publicFund(communitySlug: $slug, fundAccountId: $id) {
      accountId
      name
      communityName
      currencyCode
      currencyName
      scale
      balance
      publishedAt
      approvalsRequired
      stewardCount
      pendingCount
      pendingTotal
      months {
        month
        moneyIn
        moneyOut
        transfersIn
        transfersOut
      }
      disbursements {
        postedAt
        amount
      }
    }
  }
`);

const PUBLIC_FUNDS = graphql(`
  query PublicFunds($slug: String!) {
    community(slug: $slug) {
      name
    }
    publicFunds(communitySlug: $slug) {
      accountId
      name
      currencyCode
      currencyName
      balance
    }
  }
`);

const monthName = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});

/** A fund's public page: read-only, no sign-in, nothing about any person. */
export function PublicFundPage() {
  const { params } = useRoute();
  return (
    <Anonymous slug={params.slug}>
      <FundPage slug={params.slug} id={params.fundId} />
    </Anonymous>
  );
}

function FundPage({ slug, id }: { slug: string; id: string }) {
  const [{ data, fetching, error }] = useQuery({ query: PUBLIC_FUND, variables: { slug, id } });
  const fund = data?.publicFund;
  if (fetching && data === undefined) return <Loading what="Loading the fund" />;
  if (fund === undefined) {
    return (
      <>
        <PageTitle>Fund not found</PageTitle>
        <ErrorNotice error={error} />
      </>
    );
  }
  // Bars are drawn to scale with exact minor units; only the width is a ratio.
  const largest = fund.months.reduce((most, month) => {
    const larger = [toMinor(month.moneyIn, fund.scale), toMinor(month.moneyOut, fund.scale)].reduce(
      (a, b) => (a > b ? a : b),
    );
    return larger > most ? larger : most;
  }, 1n);
  const width = (amount: string) =>
    `${Number((toMinor(amount, fund.scale) * 1000n) / largest) / 10}%`;
  return (
    <>
      <PageTitle>{fund.name}</PageTitle>
      <p class="muted">
        A fund of {fund.communityName}, in the open since {formatDate(fund.publishedAt)}. Every
        payment out needs {fund.approvalsRequired} of its {fund.stewardCount} stewards.
      </p>
      <dl class="figures">
        <div>
          <dt>Balance</dt>
          <dd class="big">
            <Amount value={fund.balance} code={fund.currencyCode} />
          </dd>
        </div>
        <div>
          <dt>Requests waiting</dt>
          <dd>
            {fund.pendingCount} (<Amount value={fund.pendingTotal} code={fund.currencyCode} />)
          </dd>
        </div>
      </dl>
      <section aria-labelledby="months-heading">
        <h2 id="months-heading">Money in and out, by month</h2>
        <div class="table-scroll" tabIndex={0} role="region" aria-label="Money in and out by month">
          <table class="months">
            <thead>
              <tr>
                <th scope="col">Month</th>
                <th scope="col" class="number">
                  In ({fund.currencyCode})
                </th>
                <th scope="col" class="number">
                  Out ({fund.currencyCode})
                </th>
                <th scope="col">
                  <span class="visually-hidden">Bars</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {fund.months.map((month) => (
                <tr key={month.month}>
                  <th scope="row">{monthName.format(new Date(`${month.month}-01T00:00:00Z`))}</th>
                  <td class="number">
                    <Amount value={month.moneyIn} />{' '}
                    <small class="muted">({month.transfersIn})</small>
                  </td>
                  <td class="number">
                    <Amount value={month.moneyOut} />{' '}
                    <small class="muted">({month.transfersOut})</small>
                  </td>
                  <td class="bars" aria-hidden="true">
                    <span class="bar in" style={{ width: width(month.moneyIn) }} />
                    <span class="bar out" style={{ width: width(month.moneyOut) }} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section aria-labelledby="paid-heading">
        <h2 id="paid-heading">Approved payments out</h2>
        {fund.disbursements.length === 0 ? <p>None yet.</p> : null}
        <ul class="plain">
          {fund.disbursements.map((item, index) => (
            <li key={`${item.postedAt}-${index}`}>
              {formatDate(item.postedAt)}: <Amount value={item.amount} code={fund.currencyCode} />
            </li>
          ))}
        </ul>
        <p class="muted">Who received help is never shown here.</p>
      </section>
    </>
  );
}

/** The community's published funds. */
export function PublicFunds() {
  const { params } = useRoute();
  return (
    <Anonymous slug={params.slug}>
      <FundList slug={params.slug} />
    </Anonymous>
  );
}

function FundList({ slug }: { slug: string }) {
  const [{ data, fetching, error }] = useQuery({ query: PUBLIC_FUNDS, variables: { slug } });
  if (fetching && data === undefined) return <Loading what="Loading the funds" />;
  return (
    <>
      <PageTitle>Public funds{data?.community ? ` of ${data.community.name}` : ''}</PageTitle>
      <ErrorNotice error={error} />
      {data !== undefined && data.publicFunds.length === 0 ? (
        <p>No fund of this community is public yet.</p>
      ) : null}
      <ul class="cards">
        {data?.publicFunds.map((fund) => (
          <li key={fund.accountId} class="card">
            <a href={`/c/${slug}/public/funds/${fund.accountId}`}>{fund.name}</a>
            <p>
              <Amount value={fund.balance} code={fund.currencyCode} />
            </p>
          </li>
        ))}
      </ul>
    </>
  );
}
