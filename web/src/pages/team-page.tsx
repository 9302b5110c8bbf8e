// Team: who may open this account and with which role; add people, change roles, remove people, add an account to the organization.
import { useState } from 'preact/hooks';
import { addMember, createSiblingAccount, fetchMembers, removeMember } from '../api/endpoints.ts';
import type { Member } from '../api/endpoints.ts';
import type { Role } from '../api/types.ts';
import { Field } from '../components/field.tsx';
import { Empty, ErrorNotice, Loading, Success } from '../components/notice.tsx';
import { canAdminister, roleLabels, useSession } from '../session.ts';
import { useLoad } from '../use-load.ts';

const roles = Object.keys(roleLabels) as Role[];
const roleHelp: Record<Role, string> = {
  owner: 'everything, including who else is owner',
  admin: 'everything, including users and settings',
  contact_admin: 'flag and release leads; rules, keywords, segments',
  member: 'reads leads',
};

export function TeamPage() {
  const { me, account, refresh } = useSession();
  const members = useLoad(() => fetchMembers(account.id), [account.id]);
  const [message, setMessage] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  if (!canAdminister(account.role)) return <ErrorNotice error="Only owners and admins manage the team." />;

  const add = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const value = (name: string) => String(data.get(name) ?? '').trim();
    setError(undefined);
    try {
      const member = await addMember(account.id, {
        email: value('email'),
        name: value('name') || undefined,
        password: value('password') || undefined,
        role: value('role') as Role,
      });
      setMessage(`${member.email} is now ${roleLabels[member.role].toLowerCase()} of ${account.name}.`);
      form.reset();
      // reset() picks the first option (Owner for an owner): Preact sets `selected` as a property, so there is no default to return to.
      (form.elements.namedItem('role') as HTMLSelectElement).value = 'member';
      members.reload();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };
  const remove = async (member: Member) => {
    const self = member.userId === me.user.id;
    const question = self
      ? `Remove yourself from ${account.name}? You lose access to it at once.`
      : `Remove ${member.email} from ${account.name}? Their open sessions lose access to it at once.`;
    if (!window.confirm(question)) return;
    setError(undefined);
    try {
      await removeMember(account.id, member.userId);
      setMessage(`${member.email} no longer has access to ${account.name}.`);
      // Without this account the shell must start over with the accounts that are left.
      if (self) refresh();
      else members.reload();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };
  const owners = members.data?.items.filter((m) => m.role === 'owner').length ?? 0;
  // Only an owner hands out or takes away ownership (the API refuses anyone else), so admins are not offered it.
  const isOwner = account.role === 'owner';
  const offeredRoles = isOwner ? roles : roles.filter((role) => role !== 'owner');
  const addAccount = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    setError(undefined);
    try {
      const created = await createSiblingAccount(account.id, {
        name: String(data.get('accountName') ?? '').trim(),
        siteDomain: String(data.get('siteDomain') ?? '').trim(),
      });
      setMessage(`Account ${created.name} created; switch to it with the account menu.`);
      form.reset();
      refresh();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };

  return (
    <section aria-labelledby="page-title">
      <div class="page-head">
        <h1 id="page-title">Team</h1>
      </div>
      {message && <Success>{message}</Success>}
      <ErrorNotice error={error ?? members.error} />
      {members.loading && !members.data ? (
        <Loading what="Loading the team" />
      ) : !members.data || members.data.items.length === 0 ? (
        <Empty>Nobody else yet.</Empty>
      ) : (
        <div class="table-wrap">
          <table class="plain-table stack-table">
            <caption class="visually-hidden">Members of {account.name}</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {members.data.items.map((m) => (
                <tr key={m.userId}>
                  <td data-label="Name">{m.name ?? '—'}</td>
                  <td data-label="Email">{m.email}</td>
                  <td data-label="Role">{roleLabels[m.role] ?? m.role}</td>
                  <td>
                    {m.role === 'owner' && owners <= 1 ? (
                      <span class="muted small">Only owner</span>
                    ) : m.role === 'owner' && !isOwner ? (
                      <span class="muted small">Owners manage owners</span>
                    ) : (
                      <button
                        type="button"
                        class="danger"
                        aria-label={`Remove ${m.email}`}
                        onClick={() => void remove(m)}
                      >
                        Remove
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form class="card editor" onSubmit={add} aria-labelledby="add-member-title">
        <h2 id="add-member-title">Add someone or change a role</h2>
        <div class="row">
          <Field label="Email" class="grow">
            <input name="email" type="email" required autoComplete="off" />
          </Field>
          <Field label="Name" class="grow">
            <input name="name" autoComplete="off" />
          </Field>
          <Field label="Initial password" hint="Only for a new user; at least 12 characters.">
            <input name="password" type="password" minLength={12} autoComplete="new-password" />
          </Field>
          <Field label="Role">
            <select name="role">
              {offeredRoles.map((role) => (
                <option key={role} value={role} selected={role === 'member'}>
                  {roleLabels[role]}: {roleHelp[role]}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <div class="actions">
          <button type="submit" class="primary">
            Save member
          </button>
        </div>
      </form>
      <form class="card editor" onSubmit={addAccount} aria-labelledby="add-account-title">
        <h2 id="add-account-title">Add an account to the organization</h2>
        <p class="muted small">For another dealership or client site; you become its owner.</p>
        <div class="row">
          <Field label="Account name" class="grow">
            <input name="accountName" required maxLength={200} />
          </Field>
          <Field label="Website domain" class="grow">
            <input name="siteDomain" required maxLength={253} autoCapitalize="off" />
          </Field>
          <button type="submit">Create account</button>
        </div>
      </form>
    </section>
  );
}
