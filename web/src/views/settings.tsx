import { useMutation } from '@urql/preact';
import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import { ErrorNotice } from '../errors';
import { graphql } from '../gql';
import { clearSession, saveSession, type Session } from '../session';
import { Field, PageTitle, Success } from '../ui';

const CHANGE_PASSWORD = graphql(`
  mutation ChangePassword($input: ChangePasswordInput!) {
    changePassword(input: $input)
  }
`);

const LOGOUT = graphql(`
  mutation Logout {
    logout
  }
`);

export function Settings({ session }: { session: Session }) {
  const location = useLocation();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [changed, setChanged] = useState(false);
  const [change, changePassword] = useMutation(CHANGE_PASSWORD);
  const [logout, logoutEverywhere] = useMutation(LOGOUT);
  return (
    <>
      <PageTitle>Settings</PageTitle>
      <section aria-labelledby="password-heading">
        <h2 id="password-heading">Change your password</h2>
        <form
          onSubmit={async (event) => {
            event.preventDefault();
            setChanged(false);
            const answer = await changePassword({
              input: { currentPassword: current, newPassword: next },
            });
            if (answer.data?.changePassword === undefined) return;
            // Every older token stops working; keep the new one.
            saveSession({ ...session, token: answer.data.changePassword });
            setCurrent('');
            setNext('');
            setChanged(true);
          }}
        >
          <Field id="current-password" label="Current password">
            <input
              id="current-password"
              type="password"
              required
              autocomplete="current-password"
              value={current}
              onInput={(event) => setCurrent(event.currentTarget.value)}
            />
          </Field>
          <Field id="new-password" label="New password">
            <input
              id="new-password"
              type="password"
              required
              autocomplete="new-password"
              value={next}
              onInput={(event) => setNext(event.currentTarget.value)}
            />
          </Field>
          <ErrorNotice error={change.error} />
          {changed ? (
            <Success>Your password is changed. Other devices must sign in again.</Success>
          ) : null}
          <button type="submit" disabled={change.fetching}>
            Change password
          </button>
        </form>
      </section>
      <section aria-labelledby="signout-heading">
        <h2 id="signout-heading">Sign out</h2>
        <p class="actions">
          <button
            type="button"
            onClick={() => {
              clearSession(session.slug);
              location.route(`/c/${session.slug}/signin`);
            }}
          >
            Sign out on this device
          </button>
          <button
            type="button"
            class="secondary"
            disabled={logout.fetching}
            onClick={async () => {
              const answer = await logoutEverywhere({});
              if (answer.error !== undefined) return;
              clearSession(session.slug);
              location.route(`/c/${session.slug}/signin`);
            }}
          >
            Sign out everywhere
          </button>
        </p>
        <ErrorNotice error={logout.error} />
      </section>
    </>
  );
}
