// Forms: the embed snippet to paste on the site, the site's domains, which checks run and the quarantine threshold.
import { useState } from 'preact/hooks';
import { createForm, fetchChecks, fetchForms, updateForm } from '../api/endpoints.ts';
import type { CheckInfo, Form } from '../api/types.ts';
import { CopyButton } from '../components/copy-button.tsx';
import { Field } from '../components/field.tsx';
import { Empty, ErrorNotice, Loading, Success } from '../components/notice.tsx';
import { canAdminister, useSession } from '../session.ts';
import { useLoad } from '../use-load.ts';
import { humanize } from '../format.ts';

/** What a site pastes: its own form marked with the key, and the script that screens and submits it. */
export function embedSnippet(form: Pick<Form, 'publicKey'>, origin = location.origin): string {
  return [
    `<form data-leadguard-form="${form.publicKey}">`,
    '  <!-- your fields: name, email, phone, message, ... -->',
    '  <button type="submit">Send</button>',
    '</form>',
    `<script src="${origin}/embed.js" async></script>`,
  ].join('\n');
}

/** The description's first sentence; the whole text is in the switch's tooltip. */
function firstSentence(text: string): string {
  const end = text.search(/\.(\s|$)/);
  return end > 0 ? text.slice(0, end + 1) : text;
}

export function FormsPage() {
  const { account } = useSession();
  const forms = useLoad(() => fetchForms(account.id), [account.id]);
  const checks = useLoad(() => fetchChecks().catch(() => ({ items: [] as CheckInfo[] })), []);
  const [error, setError] = useState<string | undefined>();
  const [name, setName] = useState('');
  const admin = canAdminister(account.role);
  const add = async (event: Event) => {
    event.preventDefault();
    try {
      await createForm(account.id, { name: name.trim() });
      setName('');
      forms.reload();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };
  return (
    <section aria-labelledby="page-title">
      <div class="page-head">
        <h1 id="page-title">Forms</h1>
      </div>
      <ErrorNotice error={error ?? forms.error} />
      {admin && (
        <form class="card row" onSubmit={add} aria-label="Add a form">
          <Field label="New form name" class="grow">
            <input required maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
          </Field>
          <button type="submit" class="primary" disabled={!name.trim()}>
            Add form
          </button>
        </form>
      )}
      {forms.loading && !forms.data ? (
        <Loading what="Loading forms" />
      ) : !forms.data || forms.data.items.length === 0 ? (
        <Empty>No forms yet.</Empty>
      ) : (
        forms.data.items.map((form) => (
          <FormCard
            key={form.id}
            form={form}
            checks={checks.data?.items ?? []}
            editable={admin}
            onSaved={forms.reload}
          />
        ))
      )}
    </section>
  );
}

interface FormCardProps {
  readonly form: Form;
  readonly checks: readonly CheckInfo[];
  readonly editable: boolean;
  readonly onSaved: () => void;
}

function FormCard({ form, checks, editable, onSaved }: FormCardProps) {
  const { account } = useSession();
  const [domains, setDomains] = useState((form.siteDomains ?? []).join('\n'));
  const [threshold, setThreshold] = useState(form.settings?.thresholds?.quarantine?.toString() ?? '');
  // Only the switches the user touched; the rest show what is stored (checks may load after the form).
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const isOn = (name: string) => touched[name] ?? form.settings?.checks?.[name]?.enabled !== false;
  const [message, setMessage] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const snippet = embedSnippet(form);
  const save = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    const number = threshold.trim() === '' ? null : Number(threshold);
    if (number !== null && !Number.isFinite(number)) {
      setError('The threshold must be a number.');
      return;
    }
    try {
      await updateForm(account.id, form.id, {
        siteDomains: domains
          .split(/[\s,]+/)
          .map((d) => d.trim())
          .filter(Boolean),
        settings: {
          ...form.settings,
          thresholds: number === null ? {} : { quarantine: number },
          checks: {
            ...form.settings?.checks,
            ...Object.fromEntries(
              checks.map((c) => [c.name, { ...form.settings?.checks?.[c.name], enabled: isOn(c.name) }]),
            ),
          },
        },
      });
      setMessage('Form saved.');
      onSaved();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };
  const titleId = `form-${form.id}`;
  return (
    <form class="card form-card" onSubmit={save} aria-labelledby={titleId}>
      <h2 id={titleId}>{form.name}</h2>
      <div class="snippet">
        <span class="field-label" id={`${titleId}-snippet`}>
          Embed snippet
        </span>
        <pre aria-labelledby={`${titleId}-snippet`} tabIndex={0}>
          <code>{snippet}</code>
        </pre>
        <CopyButton text={snippet} label="Copy snippet" />
      </div>
      <div class="row">
        <Field label="Site domains" hint="One per line; forms on these sites may post leads." class="grow">
          <textarea
            rows={3}
            disabled={!editable}
            value={domains}
            onInput={(e) => setDomains(e.currentTarget.value)}
          />
        </Field>
        <Field
          label="Quarantine threshold"
          hint="Score at or above which a lead is quarantined; empty = account default."
        >
          <input
            inputMode="decimal"
            disabled={!editable}
            value={threshold}
            onInput={(e) => setThreshold(e.currentTarget.value)}
          />
        </Field>
      </div>
      {checks.length > 0 && (
        <fieldset class="check-switches">
          <legend>Spam checks</legend>
          {checks.map((check) => (
            <label key={check.name} class="check" title={check.description}>
              <input
                type="checkbox"
                role="switch"
                disabled={!editable}
                checked={isOn(check.name)}
                onChange={(e) => setTouched({ ...touched, [check.name]: e.currentTarget.checked })}
              />{' '}
              <span>
                <strong>{humanize(check.name)}</strong>
                <span class="muted small check-summary">{firstSentence(check.description)}</span>
              </span>
            </label>
          ))}
        </fieldset>
      )}
      {message && <Success>{message}</Success>}
      <ErrorNotice error={error} />
      {editable && (
        <div class="actions">
          <button type="submit" class="primary">
            Save form
          </button>
        </div>
      )}
    </form>
  );
}
