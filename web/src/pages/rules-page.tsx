// Block and allow rules on email, domain, phone, area code and segment; the allowlist-only switch; try before saving.
import { useState } from 'preact/hooks';
import {
  createRule,
  deleteRule,
  fetchAllowlistOnly,
  fetchRules,
  saveAllowlistOnly,
  updateRule,
} from '../api/endpoints.ts';
import type { Rule, RuleDimension } from '../api/types.ts';
import { Field } from '../components/field.tsx';
import { Empty, ErrorNotice, Loading, Success } from '../components/notice.tsx';
import { TryPreview } from '../components/try-preview.tsx';
import { canReview, useSession } from '../session.ts';
import { useLoad } from '../use-load.ts';

export const dimensionLabels: Record<RuleDimension, string> = {
  email: 'Email address',
  domain: 'Email domain',
  phone: 'Phone number',
  area_code: 'Area code',
  segment: 'Segment',
};
const dimensions = Object.keys(dimensionLabels) as RuleDimension[];

interface Draft {
  action: 'block' | 'allow';
  dimension: RuleDimension;
  value: string;
  note: string;
}
const emptyDraft: Draft = { action: 'block', dimension: 'email', value: '', note: '' };

export function RulesPage() {
  const { account } = useSession();
  const [search, setSearch] = useState('');
  const rules = useLoad(() => fetchRules(account.id, search || undefined), [account.id, search]);
  const edit = canReview(account.role);
  const [editing, setEditing] = useState<Rule | undefined>();
  const [message, setMessage] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();

  const remove = async (rule: Rule) => {
    if (!window.confirm(`Delete the ${rule.action} rule on ${rule.value}?`)) return;
    try {
      await deleteRule(account.id, rule.id);
      setMessage('Rule deleted.');
      rules.reload();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };

  return (
    <section aria-labelledby="page-title">
      <div class="page-head">
        <h1 id="page-title">Rules</h1>
      </div>
      <p class="muted">
        Block or allow leads by who sent them. When rules disagree, the most specific wins (an allowed address
        beats a blocked domain).
      </p>
      {message && <Success>{message}</Success>}
      <ErrorNotice error={error} />
      {edit && (
        <RuleEditor
          key={editing?.id ?? 'new'}
          rule={editing}
          onSaved={(text) => {
            setMessage(text);
            setEditing(undefined);
            rules.reload();
          }}
          onCancel={() => setEditing(undefined)}
        />
      )}
      <AllowlistOnly editable={edit} />
      <div class="filters card" role="search">
        <Field label="Search rules" class="grow">
          <input type="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
        </Field>
      </div>
      <ErrorNotice error={rules.error} />
      {rules.loading && !rules.data ? (
        <Loading what="Loading rules" />
      ) : !rules.data || rules.data.items.length === 0 ? (
        <Empty>{search ? 'No rule matches.' : 'No rules yet.'}</Empty>
      ) : (
        <div class="table-wrap">
          <table class="plain-table">
            <caption class="visually-hidden">Rules</caption>
            <thead>
              <tr>
                <th scope="col">Action</th>
                <th scope="col">On</th>
                <th scope="col">Value</th>
                <th scope="col">Note</th>
                <th scope="col" class="num">
                  Hits
                </th>
                {edit && <th scope="col">Change</th>}
              </tr>
            </thead>
            <tbody>
              {rules.data.items.map((rule) => (
                <tr key={rule.id}>
                  <td>
                    <span class={`tag tag-${rule.action}`}>
                      {rule.action === 'block' ? 'Block' : 'Allow'}
                    </span>
                  </td>
                  <td>{dimensionLabels[rule.dimension] ?? rule.dimension}</td>
                  <td class="evidence">{rule.value}</td>
                  <td>{rule.note ?? ''}</td>
                  <td class="num">{rule.hits ?? 0}</td>
                  {edit && (
                    <td class="row-actions">
                      <button
                        type="button"
                        aria-label={`Edit rule ${rule.value}`}
                        onClick={() => setEditing(rule)}
                      >
                        Edit
                      </button>
                      <button
                        type="button"
                        class="danger"
                        aria-label={`Delete rule ${rule.value}`}
                        onClick={() => remove(rule)}
                      >
                        Delete
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

interface RuleEditorProps {
  readonly rule: Rule | undefined;
  readonly onSaved: (message: string) => void;
  readonly onCancel: () => void;
}

function RuleEditor({ rule, onSaved, onCancel }: RuleEditorProps) {
  const { account } = useSession();
  const [draft, setDraft] = useState<Draft>(
    rule
      ? { action: rule.action, dimension: rule.dimension, value: rule.value, note: rule.note ?? '' }
      : emptyDraft,
  );
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft({ ...draft, [key]: value });
  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    const body = {
      action: draft.action,
      dimension: draft.dimension,
      value: draft.value.trim(),
      note: draft.note.trim() || undefined,
    };
    try {
      if (rule) await updateRule(account.id, rule.id, body);
      else await createRule(account.id, body);
      onSaved(rule ? 'Rule saved.' : 'Rule added.');
      if (!rule) setDraft(emptyDraft);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };
  const value = draft.value.trim();
  return (
    <form class="card editor" onSubmit={save} aria-label={rule ? 'Edit rule' : 'Add a rule'}>
      <h2>{rule ? 'Edit rule' : 'Add a rule'}</h2>
      <div class="row">
        <Field label="Action">
          <select
            value={draft.action}
            onChange={(e) => set('action', e.currentTarget.value as Draft['action'])}
          >
            <option value="block">Block</option>
            <option value="allow">Allow</option>
          </select>
        </Field>
        <Field label="On">
          <select
            value={draft.dimension}
            onChange={(e) => set('dimension', e.currentTarget.value as RuleDimension)}
          >
            {dimensions.map((d) => (
              <option key={d} value={d}>
                {dimensionLabels[d]}
              </option>
            ))}
          </select>
        </Field>
        <Field
          label="Value"
          class="grow"
          hint={draft.dimension === 'phone' ? 'Any formatting; stored as digits.' : undefined}
        >
          <input
            required
            maxLength={320}
            value={draft.value}
            onInput={(e) => set('value', e.currentTarget.value)}
          />
        </Field>
        <Field label="Note" class="grow">
          <input maxLength={1000} value={draft.note} onInput={(e) => set('note', e.currentTarget.value)} />
        </Field>
      </div>
      <TryPreview
        input={value ? { kind: 'rule', action: draft.action, dimension: draft.dimension, value } : undefined}
      />
      <ErrorNotice error={error} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy || !value}>
          {rule ? 'Save rule' : 'Add rule'}
        </button>
        {rule && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

function AllowlistOnly({ editable }: { readonly editable: boolean }) {
  const { account } = useSession();
  const state = useLoad(() => fetchAllowlistOnly(account.id), [account.id]);
  const [error, setError] = useState<string | undefined>();
  if (!state.data) return <ErrorNotice error={state.error} />;
  const on = new Set(state.data.dimensions);
  const toggle = async (dimension: string, checked: boolean) => {
    const next = new Set(on);
    if (checked) next.add(dimension);
    else next.delete(dimension);
    try {
      await saveAllowlistOnly(account.id, [...next]);
      setError(undefined);
      state.reload();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };
  return (
    <fieldset class="card">
      <legend>Allowlist only</legend>
      <p class="muted small">
        When on for a dimension, only leads matching an allow rule on it pass; everything else goes to
        quarantine.
      </p>
      <div class="row">
        {dimensions.map((d) => (
          <label key={d} class="check">
            <input
              type="checkbox"
              role="switch"
              disabled={!editable}
              checked={on.has(d)}
              onChange={(e) => toggle(d, e.currentTarget.checked)}
            />{' '}
            {dimensionLabels[d]}
          </label>
        ))}
      </div>
      <ErrorNotice error={error} />
    </fieldset>
  );
}
