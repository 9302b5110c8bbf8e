// What the account routes need from the services: password change, session versions and sign-out, API keys, member removal.
import type { Actor, Role } from '../services-port.ts';

export interface ApiKeySummary {
  readonly id: string;
  readonly name: string;
  /** The key's first characters, to recognise it; the key itself is shown once, when created. */
  readonly prefix: string;
  readonly role: Role;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
}

export interface AccountServices {
  /** The session version a new session of the user starts with; undefined for an unknown user. */
  findSessionVersion(userId: string): Promise<number | undefined>;
  /** False once the user's password changed after the session was issued, the session was signed out, or the user is gone. */
  isSessionCurrent(userId: string, version: number, sessionId: string): Promise<boolean>;
  /** Records the session as signed out; `until` is when its cookie expires anyway, after which the record may go. */
  endSession(sessionId: string, until: Date): Promise<void>;
  /** Undefined when the current password is wrong; otherwise the version the changing session moves to. */
  changePassword(
    userId: string,
    input: { readonly currentPassword: string; readonly newPassword: string },
  ): Promise<{ readonly sessionVersion: number } | undefined>;
  listApiKeys(accountId: string): Promise<readonly ApiKeySummary[]>;
  createApiKey(
    accountId: string,
    input: { readonly name: string; readonly role: Role },
    actor: Actor,
  ): Promise<{ readonly id: string; readonly key: string; readonly prefix: string }>;
  revokeApiKey(accountId: string, keyId: string, actor: Actor): Promise<boolean>;
  /** False when the user is no member; refuses (409) to remove the account's last owner. */
  removeMember(accountId: string, userId: string, actor: Actor): Promise<boolean>;
}
