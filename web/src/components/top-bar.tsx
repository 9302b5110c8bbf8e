// The top bar: brand, page navigation with the quarantine badge, the account switcher, your account and sign-out.
import { useEffect, useState } from 'preact/hooks';
import { logOut } from '../api/endpoints.ts';
import { canAdminister, canReview, cloneTargets, roleLabels, useSession } from '../session.ts';
import { Link } from './link.tsx';
import { QuarantineBadge, useQuarantineCount } from './quarantine-badge.tsx';

interface NavItem {
  readonly to: string;
  readonly label: string;
  readonly show: boolean;
}

export function TopBar({ path }: { readonly path: string }) {
  const { me, account, switchAccount, refresh } = useSession();
  const [open, setOpen] = useState(false);
  useEffect(() => setOpen(false), [path]);
  const review = canReview(account.role);
  const quarantined = useQuarantineCount(account.id);
  const items: NavItem[] = [
    { to: '/inbox', label: 'Inbox', show: true },
    { to: '/search', label: 'Search', show: true },
    { to: '/activity', label: 'Recent activity', show: true },
    { to: '/rules', label: 'Rules', show: true },
    { to: '/keywords', label: 'Keywords', show: true },
    { to: '/segments', label: 'Segments', show: true },
    { to: '/forms', label: 'Forms', show: canAdminister(account.role) },
    { to: '/clone', label: 'Clone rules', show: review && cloneTargets(me, account).length > 0 },
    { to: '/reports', label: 'Reports', show: true },
    { to: '/team', label: 'Team', show: canAdminister(account.role) },
    { to: '/api-keys', label: 'API keys', show: canAdminister(account.role) },
    { to: '/account', label: 'Your account', show: true },
  ];
  const isCurrent = (to: string) => path === to || path.startsWith(`${to}/`);
  const signOut = async () => {
    await logOut().catch(() => undefined);
    refresh();
  };
  return (
    <header class="top-bar">
      <div class="top-row">
        <Link to="/inbox" class="brand" label="LeadGuard home">
          <span aria-hidden="true" class="brand-mark">
            ◆
          </span>{' '}
          LeadGuard
        </Link>
        <div class="top-tools">
          {me.accounts.length > 1 ? (
            <select
              class="account-switch"
              aria-label="Account"
              value={account.id}
              onChange={(e) => switchAccount(e.currentTarget.value)}
            >
              {me.accounts.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </select>
          ) : (
            <span class="account-name">{account.name}</span>
          )}
          <span class="role-tag" title={`Your role in ${account.name}`}>
            {roleLabels[account.role]}
          </span>
          <button type="button" class="link-button top-sign-out" onClick={signOut}>
            Sign out
          </button>
          <QuarantineBadge count={quarantined} current={isCurrent('/quarantine')} compact />
          <button
            type="button"
            class="menu-toggle"
            aria-expanded={open}
            aria-controls="main-nav"
            onClick={() => setOpen(!open)}
          >
            Menu
          </button>
        </div>
      </div>
      <nav id="main-nav" class={open ? 'main-nav open' : 'main-nav'} aria-label="Main">
        {items
          .filter((item) => item.show)
          .slice(0, 3)
          .map((item) => (
            <Link key={item.to} to={item.to} class="nav-link" current={isCurrent(item.to)}>
              {item.label}
            </Link>
          ))}
        <QuarantineBadge count={quarantined} current={isCurrent('/quarantine')} />
        {items
          .filter((item) => item.show)
          .slice(3)
          .map((item) => (
            <Link key={item.to} to={item.to} class="nav-link" current={isCurrent(item.to)}>
              {item.label}
            </Link>
          ))}
        <button type="button" class="link-button nav-sign-out" onClick={signOut}>
          Sign out
        </button>
      </nav>
    </header>
  );
}
