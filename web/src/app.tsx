import { ErrorBoundary, lazy, LocationProvider, Route, Router, useRoute } from 'preact-iso';
import type { ComponentType } from 'preact';
import type { Session } from './session';
import { SignedIn } from './shell';
import { PageTitle } from './ui';
import { CommunityDoor, Landing, SignIn, SignUp } from './views/auth';
import { Funds } from './views/funds';
import { Home } from './views/home';
import { Pay } from './views/pay';
import { PayRequest } from './views/pay-request';
import { PublicFundPage, PublicFunds } from './views/public-fund';
import { Settings } from './views/settings';
import { StandingOrders } from './views/standing-orders';
import { Statement } from './views/statement';
import { Till } from './views/till';

// The steward's charts and the QR decoder load only when those pages open.
const Steward = lazy(() => import('./views/steward'));
const Scan = lazy(() => import('./views/scan'));

/** A page for signed-in users of the community in the URL. */
function signedIn(View: ComponentType<{ session: Session }>) {
  return function SignedInPage() {
    const { params } = useRoute();
    return <SignedIn slug={params.slug}>{(session) => <View session={session} />}</SignedIn>;
  };
}

function NotFound() {
  return (
    <main id="main">
      <PageTitle>Page not found</PageTitle>
      <p>
        Nothing here. <a href="/">Start again</a>.
      </p>
    </main>
  );
}

function StatementPage() {
  return <Statement />;
}

const StatementRoute = signedIn(StatementPage);
const HomePage = signedIn(Home);
const PayPage = signedIn(Pay);
const PayRequestPage = signedIn(PayRequest);
const ScanPage = signedIn(Scan);
const FundsPage = signedIn(Funds);
const StandingOrdersPage = signedIn(StandingOrders);
const SettingsPage = signedIn(Settings);
const TillPage = signedIn(Till);
const StewardPage = signedIn(Steward);

export function App() {
  return (
    <LocationProvider>
      <ErrorBoundary>
        <Router
          onLoadStart={() => document.body.classList.add('route-loading')}
          onLoadEnd={() => document.body.classList.remove('route-loading')}
        >
          <Route path="/" component={Landing} />
          <Route path="/c/:slug" component={CommunityDoor} />
          <Route path="/c/:slug/signin" component={SignIn} />
          <Route path="/c/:slug/signup" component={SignUp} />
          <Route path="/c/:slug/public" component={PublicFunds} />
          <Route path="/c/:slug/public/funds/:fundId" component={PublicFundPage} />
          <Route path="/c/:slug/home" component={HomePage} />
          <Route path="/c/:slug/accounts/:accountId" component={StatementRoute} />
          <Route path="/c/:slug/pay" component={PayPage} />
          <Route path="/c/:slug/pay/r/:requestId" component={PayRequestPage} />
          <Route path="/c/:slug/scan" component={ScanPage} />
          <Route path="/c/:slug/funds" component={FundsPage} />
          <Route path="/c/:slug/standing-orders" component={StandingOrdersPage} />
          <Route path="/c/:slug/settings" component={SettingsPage} />
          <Route path="/c/:slug/till" component={TillPage} />
          <Route path="/c/:slug/steward" component={StewardPage} />
          <Route default component={NotFound} />
        </Router>
      </ErrorBoundary>
    </LocationProvider>
  );
}
