import { useEffect, useState } from 'preact/hooks';
import type { Role } from './gql/graphql';

/**
 * Who is signed in, per community: the bearer token the server issued and
 * what the app shows of the user. Kept in the browser's localStorage under
 * the community's slug, so one browser can be signed in to two communities.
 * The token is the only credential; the server checks it on every request
 * and the app forgets it when the server says it is no longer valid.
 */
export interface Session {
  slug: string;
  token: string;
  userId: string;
  displayName: string;
  role: Role;
}

const storageKey = (slug: string) => `mutua.session.${slug}`;
const listeners = new Set<() => void>();

export function loadSession(slug: string): Session | null {
  try {
    const text = localStorage.getItem(storageKey(slug));
    if (text === null) return null;
    const session = JSON.parse(text) as Session;
    return session.slug === slug && typeof session.token === 'string' ? session : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session): void {
  localStorage.setItem(storageKey(session.slug), JSON.stringify(session));
  listeners.forEach((listener) => listener());
}

export function clearSession(slug: string): void {
  localStorage.removeItem(storageKey(slug));
  listeners.forEach((listener) => listener());
}

export function useSession(slug: string): Session | null {
  const [session, setSession] = useState(() => loadSession(slug));
  useEffect(() => {
    const update = () => setSession(loadSession(slug));
    update();
    listeners.add(update);
    window.addEventListener('storage', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('storage', update);
    };
  }, [slug]);
  return session;
}

/** Where a role lands after signing in. */
export function homeOf(session: Pick<Session, 'slug' | 'role'>): string {
  switch (session.role) {
    case 'SHOP':
      return `/c/${session.slug}/till`;
    case 'STEWARD':
      return `/c/${session.slug}/steward`;
    default:
      return `/c/${session.slug}/home`;
  }
}
