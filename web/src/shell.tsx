import type { Client } from '@urql/core';
import { Provider } from '@urql/preact';
import type { ComponentChildren } from 'preact';
import { useLocation } from 'preact-iso';
import { useEffect, useMemo } from 'preact/hooks';
import { createGraphQLClient } from './client';
import { clearSession, type Session, useSession } from './session';

/**
 * The frame of every page of a community: a skip link, the community's
 * navigation for the signed-in role, and the page in <main>.
 */
export function Frame({
  slug,
  session,
  children,
}: {
  slug: string;
  session: Session | null;
  children: ComponentChildren;
}) {
  const { path } = useLocation();
  const links = session === null ? publicLinks(slug) : linksFor(session);
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href={session === null ? `/c/${slug}` : (links[0]?.href ?? `/c/${slug}`)}>
          Mutua <span class="community">{slug}</span>
        </a>
        <nav aria-label="Main">
          <ul>
            {links.map((link) => (
              <li key={link.href}>
                <a href={link.href} aria-current={path === link.href ? 'page' : undefined}>
                  {link.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        {session === null ? null : <p class="who">Signed in as {session.displayName}</p>}
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

function publicLinks(slug: string) {
  return [
    { href: `/c/${slug}/signin`, label: 'Sign in' },
    { href: `/c/${slug}/signup`, label: 'Join' },
    { href: `/c/${slug}/public`, label: 'Public funds' },
  ];
}

function linksFor(session: Session) {
  const base = `/c/${session.slug}`;
  const member = [
    { href: `${base}/home`, label: 'Accounts' },
    { href: `${base}/pay`, label: 'Pay' },
    { href: `${base}/scan`, label: 'Scan' },
    { href: `${base}/funds`, label: 'Funds' },
    { href: `${base}/standing-orders`, label: 'Standing orders' },
  ];
  const settings = { href: `${base}/settings`, label: 'Settings' };
  switch (session.role) {
    case 'SHOP':
      return [{ href: `${base}/till`, label: 'Till' }, ...member, settings];
    case 'STEWARD':
      return [{ href: `${base}/steward`, label: 'Dashboard' }, ...member, settings];
    default:
      return [...member, settings];
  }
}

/** A page that needs a signed-in user: sends others to sign in and back. */
export function SignedIn({
  slug,
  children,
}: {
  slug: string;
  children: (session: Session) => ComponentChildren;
}) {
  const session = useSession(slug);
  const location = useLocation();
  const graphql = useMemo(
    () => (session === null ? null : createGraphQLClient(session.token, () => clearSession(slug))),
    [session?.token, slug],
  );
  useEffect(() => () => graphql?.close(), [graphql]);
  useEffect(() => {
    if (session === null) {
      location.route(`/c/${slug}/signin?next=${encodeURIComponent(location.url)}`, true);
    }
  }, [session === null]);
  if (session === null || graphql === null) return null;
  return (
    <Provider value={graphql.client}>
      <Frame slug={slug} session={session}>
        {children(session)}
      </Frame>
    </Provider>
  );
}

let anonymous: Client | undefined;

/** A page anyone may open: the community's public frame and a client without a token. */
export function Anonymous({ slug, children }: { slug: string; children: ComponentChildren }) {
  anonymous ??= createGraphQLClient(null, () => undefined).client;
  const session = useSession(slug);
  return (
    <Provider value={anonymous}>
      <Frame slug={slug} session={session === null ? null : session}>
        {children}
      </Frame>
    </Provider>
  );
}
