// Sign-in with email and password.
import { useEffect, useState } from 'preact/hooks';
import { logIn } from '../api/endpoints.ts';
import { Field } from '../components/field.tsx';
import { ErrorNotice } from '../components/notice.tsx';

export function LoginPage({ onDone }: { readonly onDone: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    document.title = 'Sign in · LeadGuard';
  }, []);
  const submit = async (event: Event) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    setBusy(true);
    setError(undefined);
    try {
      await logIn(String(data.get('email') ?? '').trim(), String(data.get('password') ?? ''));
      if (location.pathname === '/login' || location.pathname === '/setup')
        history.replaceState(null, '', '/inbox');
      onDone();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
      setBusy(false);
    }
  };
  return (
    <main class="auth-page">
      <form class="auth-card card" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">Sign in to LeadGuard</h1>
        <Field label="Email">
          <input name="email" type="email" required autoComplete="username" />
        </Field>
        <Field label="Password">
          <input name="password" type="password" required autoComplete="current-password" />
        </Field>
        <ErrorNotice error={error} />
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
