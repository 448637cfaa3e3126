import { useMutation, useQuery } from '@urql/preact';
import { useLocation, useRoute } from 'preact-iso';
import { useEffect, useState } from 'preact/hooks';
import { ErrorNotice } from '../errors';
import { graphql } from '../gql';
import { homeOf, saveSession, useSession } from '../session';
import { Anonymous } from '../shell';
import { Field, Loading, PageTitle } from '../ui';

const COMMUNITY = graphql(`
  query Community($slug: String!) {
    community(slug: $slug) {
      id
      name
      slug
      openSignup
    }
    publicFunds(communitySlug: $slug) {
      accountId
      name
      currencyCode
    }
  }
`);

const LOGIN = graphql(`
  mutation Login($input: LoginInput!) {
    login(input: $input) {
      token
      user {
        id
        displayName
        role
      }
    }
  }
`);

const REGISTER = graphql(`
  mutation Register($input: RegisterInput!) {
    register(input: $input) {
      token
      user {
        id
        displayName
        role
      }
    }
  }
`);

/** The start page: which community? */
export function Landing() {
  const location = useLocation();
  const [slug, setSlug] = useState('');
  return (
    <main id="main" class="landing">
      <PageTitle>Mutua</PageTitle>
      <p>Time banks, local currencies and mutual-aid funds, kept with double-entry books.</p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const trimmed = slug.trim().toLowerCase();
          if (trimmed !== '') location.route(`/c/${encodeURIComponent(trimmed)}`);
        }}
      >
        <Field
          id="slug"
          label="Your community's short name"
          hint="As your steward gave it, e.g. riverside"
        >
          <input
            id="slug"
            name="slug"
            required
            autocomplete="organization"
            aria-describedby="slug-hint"
            value={slug}
            onInput={(event) => setSlug(event.currentTarget.value)}
          />
        </Field>
        <button type="submit">Continue</button>
      </form>
    </main>
  );
}

/** A community's front door: its name, sign-in, sign-up and its public funds. */
export function CommunityDoor() {
  const { params } = useRoute();
  const slug = params.slug;
  const session = useSession(slug);
  const location = useLocation();
  useEffect(() => {
    if (session !== null) location.route(homeOf(session), true);
  }, [session]);
  if (session !== null) return null;
  return (
    <Anonymous slug={slug}>
      <Door slug={slug} />
    </Anonymous>
  );
}

function Door({ slug }: { slug: string }) {
  const [{ data, fetching, error }] = useQuery({ query: COMMUNITY, variables: { slug } });
  if (fetching && data === undefined) return <Loading />;
  if (error !== undefined) return <ErrorNotice error={error} />;
  if (data?.community === null || data?.community === undefined) {
    return (
      <>
        <PageTitle>No such community</PageTitle>
        <p>
          There is no community called “{slug}” here. Check the short name with your steward, or{' '}
          <a href="/">try another</a>.
        </p>
      </>
    );
  }
  return (
    <>
      <PageTitle>{data.community.name}</PageTitle>
      <p class="actions">
        <a class="button" href={`/c/${slug}/signin`}>
          Sign in
        </a>
        {data.community.openSignup ? (
          <a class="button secondary" href={`/c/${slug}/signup`}>
            Join {data.community.name}
          </a>
        ) : null}
      </p>
      {data.publicFunds.length === 0 ? null : (
        <section aria-labelledby="public-funds">
          <h2 id="public-funds">Our funds, in the open</h2>
          <ul>
            {data.publicFunds.map((fund) => (
              <li key={fund.accountId}>
                <a href={`/c/${slug}/public/funds/${fund.accountId}`}>{fund.name}</a> (
                {fund.currencyCode})
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

export function SignIn() {
  const { params, query } = useRoute();
  const slug = params.slug;
  return (
    <Anonymous slug={slug}>
      <SignInForm slug={slug} next={query.next} />
    </Anonymous>
  );
}

function safeNext(slug: string, next: string | undefined): string | undefined {
  return next !== undefined && next.startsWith(`/c/${slug}/`) ? next : undefined;
}

function SignInForm({ slug, next }: { slug: string; next?: string }) {
  const location = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [result, login] = useMutation(LOGIN);
  return (
    <>
      <PageTitle>Sign in</PageTitle>
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          const answer = await login({ input: { communitySlug: slug, email, password } });
          const payload = answer.data?.login;
          if (payload === undefined) return;
          const session = {
            slug,
            token: payload.token,
            userId: payload.user.id,
            displayName: payload.user.displayName,
            role: payload.user.role,
          };
          saveSession(session);
          location.route(safeNext(slug, next) ?? homeOf(session));
        }}
      >
        <Field id="email" label="E-mail">
          <input
            id="email"
            type="email"
            required
            autocomplete="username"
            value={email}
            onInput={(event) => setEmail(event.currentTarget.value)}
          />
        </Field>
        <Field id="password" label="Password">
          <input
            id="password"
            type="password"
            required
            autocomplete="current-password"
            value={password}
            onInput={(event) => setPassword(event.currentTarget.value)}
          />
        </Field>
        <ErrorNotice error={result.error} />
        <button type="submit" disabled={result.fetching}>
          {result.fetching ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p>
        New here? <a href={`/c/${slug}/signup`}>Join the community</a>.
      </p>
    </>
  );
}

export function SignUp() {
  const { params } = useRoute();
  return (
    <Anonymous slug={params.slug}>
      <SignUpForm slug={params.slug} />
    </Anonymous>
  );
}

function SignUpForm({ slug }: { slug: string }) {
  const location = useLocation();
  const [form, setForm] = useState({
    displayName: '',
    email: '',
    password: '',
    role: 'MEMBER' as 'MEMBER' | 'SHOP',
    inviteCode: '',
  });
  const [result, register] = useMutation(REGISTER);
  const set = (name: keyof typeof form) => (event: { currentTarget: { value: string } }) =>
    setForm({ ...form, [name]: event.currentTarget.value });
  return (
    <>
      <PageTitle>Join</PageTitle>
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          const answer = await register({
            input: {
              communitySlug: slug,
              displayName: form.displayName,
              email: form.email,
              password: form.password,
              role: form.role,
              ...(form.inviteCode.trim() === '' ? {} : { inviteCode: form.inviteCode.trim() }),
            },
          });
          const payload = answer.data?.register;
          if (payload === undefined) return;
          const session = {
            slug,
            token: payload.token,
            userId: payload.user.id,
            displayName: payload.user.displayName,
            role: payload.user.role,
          };
          saveSession(session);
          location.route(homeOf(session));
        }}
      >
        <Field id="displayName" label="Your name, as others will see it">
          <input
            id="displayName"
            required
            autocomplete="name"
            value={form.displayName}
            onInput={set('displayName')}
          />
        </Field>
        <Field id="email" label="E-mail">
          <input
            id="email"
            type="email"
            required
            autocomplete="email"
            value={form.email}
            onInput={set('email')}
          />
        </Field>
        <Field id="password" label="Password" hint="The server tells you if it is too short.">
          <input
            id="password"
            type="password"
            required
            autocomplete="new-password"
            aria-describedby="password-hint"
            value={form.password}
            onInput={set('password')}
          />
        </Field>
        <fieldset>
          <legend>I join as</legend>
          <label class="choice">
            <input
              type="radio"
              name="role"
              value="MEMBER"
              checked={form.role === 'MEMBER'}
              onChange={() => setForm({ ...form, role: 'MEMBER' })}
            />{' '}
            a member
          </label>
          <label class="choice">
            <input
              type="radio"
              name="role"
              value="SHOP"
              checked={form.role === 'SHOP'}
              onChange={() => setForm({ ...form, role: 'SHOP' })}
            />{' '}
            a shop
          </label>
        </fieldset>
        <Field id="inviteCode" label="Invite code (if you were given one)">
          <input
            id="inviteCode"
            autocomplete="off"
            value={form.inviteCode}
            onInput={set('inviteCode')}
          />
        </Field>
        <ErrorNotice error={result.error} />
        <button type="submit" disabled={result.fetching}>
          {result.fetching ? 'Joining…' : 'Join'}
        </button>
      </form>
      <p>
        Already a member? <a href={`/c/${slug}/signin`}>Sign in</a>.
      </p>
    </>
  );
}
