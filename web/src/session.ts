// The signed-in user, the account being worked on, and what the user's role there allows.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Account, Me, Role } from './api/types.ts';

export interface Session {
  readonly me: Me;
  readonly account: Account;
  readonly switchAccount: (accountId: string) => void;
  readonly refresh: () => void;
}

export const SessionContext = createContext<Session | undefined>(undefined);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession needs a signed-in shell');
  return session;
}

/** Contact admins and admins may flag and release leads and edit spam rules; members only read. */
export function canReview(role: Role): boolean {
  return role === 'owner' || role === 'admin' || role === 'contact_admin';
}

/** Forms, thresholds and users are account settings: owners and admins only. */
export function canAdminister(role: Role): boolean {
  return role === 'owner' || role === 'admin';
}

/** Accounts rules may be cloned to from `account`: the others of its organization where the user may edit rules. */
export function cloneTargets(me: Me, account: Account): Account[] {
  return me.accounts.filter(
    (a) =>
      a.id !== account.id &&
      canReview(a.role) &&
      (a.organizationId ?? null) === (account.organizationId ?? null),
  );
}

const storageKey = 'leadguard.account';

export function rememberAccount(accountId: string): void {
  try {
    localStorage.setItem(storageKey, accountId);
  } catch {
    // Private windows may refuse storage; the first account is a fine default.
  }
}

export function recallAccount(): string | undefined {
  try {
    return localStorage.getItem(storageKey) ?? undefined;
  } catch {
    return undefined;
  }
}

export const roleLabels: Record<Role, string> = {
  owner: 'Owner',
  admin: 'Admin',
  contact_admin: 'Contact admin',
  member: 'Member',
};
