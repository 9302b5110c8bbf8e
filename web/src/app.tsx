// The panel's root: first-run setup or login when needed, otherwise the shell with its top bar and pages.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { onUnauthorized } from './api/client.ts';
import { fetchSession, fetchSetupStatus, logOut } from './api/endpoints.ts';
import type { Me } from './api/types.ts';
import { ErrorNotice, Loading } from './components/notice.tsx';
import { TopBar } from './components/top-bar.tsx';
import { LoginPage } from './pages/login-page.tsx';
import { SetupPage } from './pages/setup-page.tsx';
import { renderRoute } from './routes.tsx';
import { navigate, useLocation } from './router.ts';
import { SessionContext, recallAccount, rememberAccount } from './session.ts';
import type { Session } from './session.ts';

const sectionTitles: Readonly<Record<string, string>> = {
  inbox: 'Inbox',
  search: 'Search',
  activity: 'Recent activity',
  quarantine: 'Quarantine',
  leads: 'Lead',
  contacts: 'Contact',
  rules: 'Rules',
  keywords: 'Keywords',
  segments: 'Segments',
  forms: 'Forms',
  clone: 'Clone rules',
  reports: 'Reports',
  team: 'Team',
  'api-keys': 'API keys',
  account: 'Your account',
};

function titleOf(path: string): string {
  return sectionTitles[path.split('/')[1] ?? ''] ?? 'Control panel';
}

type Boot =
  | { readonly state: 'loading' }
  | { readonly state: 'setup' }
  | { readonly state: 'login' }
  | { readonly state: 'ready'; readonly me: Me }
  | { readonly state: 'failed'; readonly error: Error };

async function boot(): Promise<Boot> {
  const session = await fetchSession();
  if (session.authenticated && session.me) return { state: 'ready', me: session.me };
  const setup = await fetchSetupStatus().catch(() => ({ needsSetup: false }));
  return setup.needsSetup ? { state: 'setup' } : { state: 'login' };
}

export function App() {
  const [status, setStatus] = useState<Boot>({ state: 'loading' });
  const [tick, setTick] = useState(0);
  const refresh = () => setTick((n) => n + 1);
  useEffect(() => {
    boot().then(setStatus, (error: unknown) =>
      setStatus({ state: 'failed', error: error instanceof Error ? error : new Error(String(error)) }),
    );
  }, [tick]);
  // A session that expired mid-work: start over, which fetches a fresh CSRF token and shows the login.
  useEffect(() => onUnauthorized(refresh), []);

  switch (status.state) {
    case 'loading':
      return (
        <main class="centered">
          <Loading what="Starting LeadGuard" />
        </main>
      );
    case 'failed':
      return (
        <main class="centered">
          <ErrorNotice error={status.error} />
          <button type="button" onClick={refresh}>
            Try again
          </button>
        </main>
      );
    case 'setup':
      return <SetupPage onDone={refresh} />;
    case 'login':
      return <LoginPage onDone={refresh} />;
    case 'ready':
      return <Shell me={status.me} refresh={refresh} />;
  }
}

function Shell({ me, refresh }: { readonly me: Me; readonly refresh: () => void }) {
  const location = useLocation();
  const [accountId, setAccountId] = useState(() => {
    const remembered = recallAccount();
    return me.accounts.some((a) => a.id === remembered) ? remembered : me.accounts[0]?.id;
  });
  const account = me.accounts.find((a) => a.id === accountId) ?? me.accounts[0];
  const session = useMemo<Session | undefined>(
    () =>
      account && {
        me,
        account,
        refresh,
        switchAccount: (next: string) => {
          rememberAccount(next);
          setAccountId(next);
          // A lead or contact of the old account means nothing in the new one.
          if (/^\/(leads|contacts)\//.test(location.path)) navigate('/inbox');
        },
      },
    [me, account, refresh, location.path],
  );
  useEffect(() => {
    if (location.path === '/' || location.path === '/login' || location.path === '/setup')
      navigate('/inbox', { replace: true });
  }, [location.path]);
  const firstPath = useRef(location.path);
  useEffect(() => {
    document.title = `${titleOf(location.path)} · LeadGuard`;
    // After an in-panel navigation, move focus to the new page so keyboard and screen reader users start there.
    if (location.path !== firstPath.current) document.getElementById('main')?.focus({ preventScroll: true });
    firstPath.current = '';
  }, [location.path]);

  if (!session) {
    return (
      <main class="centered">
        <p>Your user belongs to no account yet. Ask an admin of your organization to add you.</p>
        <button type="button" onClick={() => void logOut().finally(refresh)}>
          Sign out
        </button>
      </main>
    );
  }
  return (
    <SessionContext.Provider value={session}>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <TopBar path={location.path} />
      <main id="main" class="page" tabIndex={-1}>
        {renderRoute(location, session)}
      </main>
    </SessionContext.Provider>
  );
}
