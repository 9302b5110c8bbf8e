// First-run setup: creates the first organization, its first account and the owner, then signs the owner in.
import { useEffect, useState } from 'preact/hooks';
import { createFirstOwner } from '../api/endpoints.ts';
import { Field } from '../components/field.tsx';
import { ErrorNotice } from '../components/notice.tsx';

export function SetupPage({ onDone }: { readonly onDone: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    document.title = 'Set up · LeadGuard';
  }, []);
  const submit = async (event: Event) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const text = (name: string) => String(data.get(name) ?? '').trim();
    // Passwords are taken as typed (the login does not trim them either).
    const secret = (name: string) => String(data.get(name) ?? '');
    if (secret('password') !== secret('password2')) {
      setError('The two passwords differ.');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await createFirstOwner({
        organizationName: text('organizationName') || text('accountName'),
        accountName: text('accountName'),
        siteDomain: text('siteDomain'),
        name: text('name'),
        email: text('email'),
        password: secret('password'),
      });
      history.replaceState(null, '', '/inbox');
      onDone();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
      setBusy(false);
    }
  };
  return (
    <main class="auth-page">
      <form class="auth-card card" onSubmit={submit} aria-labelledby="setup-title">
        <h1 id="setup-title">Welcome to LeadGuard</h1>
        <p class="muted">Create your organization, its first account and your owner login.</p>
        <Field label="Organization" hint="Your dealer group or agency; one account is enough to start.">
          <input name="organizationName" autoComplete="organization" />
        </Field>
        <Field label="Account name">
          <input name="accountName" required maxLength={200} />
        </Field>
        <Field label="Website domain" hint="e.g. example-motors.com — forms on it may post leads.">
          <input name="siteDomain" required inputMode="url" autoCapitalize="off" />
        </Field>
        <Field label="Your name">
          <input name="name" required autoComplete="name" />
        </Field>
        <Field label="Email">
          <input name="email" type="email" required autoComplete="username" />
        </Field>
        <Field label="Password" hint="At least 12 characters.">
          <input name="password" type="password" required minLength={12} autoComplete="new-password" />
        </Field>
        <Field label="Password again">
          <input name="password2" type="password" required minLength={12} autoComplete="new-password" />
        </Field>
        <ErrorNotice error={error} />
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create and sign in'}
        </button>
      </form>
    </main>
  );
}
