// Your account: who you are signed in as, your organizations and accounts, and a password change.
import { useState } from 'preact/hooks';
import { changePassword } from '../api/endpoints.ts';
import { Field } from '../components/field.tsx';
import { ErrorNotice, Success } from '../components/notice.tsx';
import { roleLabels, useSession } from '../session.ts';

/** The server's rule (src/http/routes/panel-team.ts); checked here too so the form says it before sending. */
const minPasswordLength = 12;

/** Takes the id and hint the Field hands its child, so the label names the input. */
function NewPasswordInput(props: { readonly name: string }) {
  return (
    <input
      {...props}
      type="password"
      required
      minLength={minPasswordLength}
      maxLength={1000}
      autoComplete="new-password"
    />
  );
}

export function AccountPage() {
  const { me } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [done, setDone] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    // Passwords are taken as typed: spaces are characters too.
    const value = (name: string) => String(data.get(name) ?? '');
    setDone(false);
    if (value('newPassword') !== value('newPassword2')) {
      setError('The two new passwords differ.');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await changePassword(value('currentPassword'), value('newPassword'));
      form.reset();
      setDone(true);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };

  const organizations = me.organizations ?? [];
  return (
    <section aria-labelledby="page-title">
      <div class="page-head">
        <h1 id="page-title">Your account</h1>
      </div>
      <div class="card">
        <dl class="facts">
          <dt>Name</dt>
          <dd>{me.user.name || '—'}</dd>
          <dt>Email</dt>
          <dd>{me.user.email}</dd>
          {organizations.length > 0 && (
            <>
              <dt>{organizations.length === 1 ? 'Organization' : 'Organizations'}</dt>
              <dd>{organizations.map((o) => o.name).join(', ')}</dd>
            </>
          )}
          <dt>Accounts</dt>
          <dd>
            <ul class="compact-list">
              {me.accounts.map((a) => (
                <li key={a.id}>
                  {a.name} <span class="muted small">({roleLabels[a.role] ?? a.role})</span>
                </li>
              ))}
            </ul>
          </dd>
        </dl>
      </div>
      <form class="card editor narrow" onSubmit={submit} aria-labelledby="password-title">
        <h2 id="password-title">Change your password</h2>
        <p class="muted small">Your other signed-in browsers and devices are signed out; this one stays.</p>
        <Field label="Current password">
          <input name="currentPassword" type="password" required autoComplete="current-password" />
        </Field>
        <Field label="New password" hint={`At least ${minPasswordLength} characters.`}>
          <NewPasswordInput name="newPassword" />
        </Field>
        <Field label="New password again">
          <NewPasswordInput name="newPassword2" />
        </Field>
        <ErrorNotice error={error} />
        {done && <Success>Password changed. Your other sessions are signed out.</Success>}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {busy ? 'Changing…' : 'Change password'}
          </button>
        </div>
      </form>
    </section>
  );
}
