// API keys of the account for owners and admins: what exists and when it was last used, a new key shown once, revoke.
import { useState } from 'preact/hooks';
import { createApiKey, fetchApiKeys, revokeApiKey } from '../api/endpoints.ts';
import type { ApiKey, NewApiKey, Role } from '../api/types.ts';
import { CopyButton } from '../components/copy-button.tsx';
import { Field } from '../components/field.tsx';
import { Empty, ErrorNotice, Loading, Success } from '../components/notice.tsx';
import { formatDateTime } from '../format.ts';
import { canAdminister, roleLabels, useSession } from '../session.ts';
import { useLoad } from '../use-load.ts';

/** A key never acts as owner (the server refuses it), so ownership is only ever given to people. */
const keyRoles: readonly Role[] = ['contact_admin', 'member', 'admin'];
const keyRoleHelp: Partial<Record<Role, string>> = {
  contact_admin: 'reads leads, marks spam and not spam, edits rules (Akismet clients, CRMs that report spam)',
  member: 'reads leads only',
  admin: 'everything a person with the admin role may do',
};

export function ApiKeysPage() {
  const { account } = useSession();
  const keys = useLoad(() => fetchApiKeys(account.id), [account.id]);
  const [created, setCreated] = useState<NewApiKey | undefined>();
  const [message, setMessage] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  if (!canAdminister(account.role)) return <ErrorNotice error="Only owners and admins manage API keys." />;

  const create = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    setBusy(true);
    setError(undefined);
    setMessage(undefined);
    try {
      setCreated(
        await createApiKey(account.id, {
          name: String(data.get('name') ?? '').trim(),
          role: String(data.get('role') ?? 'contact_admin') as Role,
        }),
      );
      form.reset();
      keys.reload();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };
  const revoke = async (key: ApiKey) => {
    if (!window.confirm(`Revoke the API key “${key.name}”? Programs using it stop working at once.`)) return;
    setError(undefined);
    try {
      await revokeApiKey(account.id, key.id);
      if (created?.id === key.id) setCreated(undefined);
      setMessage(`The key “${key.name}” is revoked.`);
      keys.reload();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };

  return (
    <section aria-labelledby="page-title">
      <div class="page-head">
        <h1 id="page-title">API keys</h1>
      </div>
      <p class="muted">
        Programs use a key to call the JSON API or the Akismet-compatible API for{' '}
        <strong>{account.name}</strong>, sent as <code>Authorization: Bearer &lt;key&gt;</code>. The API is
        described at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.
      </p>
      {created && (
        <div class="card new-key" role="status">
          <h2>Your new key “{created.name}”</h2>
          <p>Copy it now: it is shown only this once. LeadGuard keeps only a fingerprint of it.</p>
          <div class="snippet">
            <pre>
              <code data-testid="new-api-key">{created.key}</code>
            </pre>
            <CopyButton text={created.key} label="Copy key" />
          </div>
          <button type="button" onClick={() => setCreated(undefined)}>
            Done, hide the key
          </button>
        </div>
      )}
      {message && <Success>{message}</Success>}
      <ErrorNotice error={error ?? keys.error} />
      {keys.loading && !keys.data ? (
        <Loading what="Loading the API keys" />
      ) : !keys.data || keys.data.items.length === 0 ? (
        <Empty>This account has no API keys.</Empty>
      ) : (
        <div class="table-wrap">
          <table class="plain-table stack-table">
            <caption class="visually-hidden">API keys of {account.name}</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key</th>
                <th scope="col">Role</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.data.items.map((key) => (
                <tr key={key.id}>
                  <td data-label="Name">{key.name}</td>
                  <td data-label="Key">
                    <code>{key.prefix}…</code>
                  </td>
                  <td data-label="Role">{roleLabels[key.role] ?? key.role}</td>
                  <td data-label="Created">{formatDateTime(key.createdAt)}</td>
                  <td data-label="Last used">{key.lastUsedAt ? formatDateTime(key.lastUsedAt) : 'Never'}</td>
                  <td>
                    <button
                      type="button"
                      class="danger"
                      aria-label={`Revoke ${key.name}`}
                      onClick={() => void revoke(key)}
                    >
                      Revoke
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form class="card editor" onSubmit={create} aria-labelledby="new-key-title">
        <h2 id="new-key-title">New API key</h2>
        <div class="row">
          <Field
            label="Key name"
            hint="Which program uses it, e.g. “WordPress Akismet” or “CRM sync”."
            class="grow"
          >
            <input name="name" required maxLength={200} autoComplete="off" />
          </Field>
          <Field label="Key role">
            <select name="role">
              {keyRoles.map((role) => (
                <option key={role} value={role}>
                  {roleLabels[role]}: {keyRoleHelp[role]}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create key'}
          </button>
        </div>
      </form>
    </section>
  );
}
