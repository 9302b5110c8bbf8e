// The segments editor: named filters over contact fields (country, state, tags) that rules can block or allow.
import { useState } from 'preact/hooks';
import { createSegment, deleteSegment, fetchSegments, updateSegment } from '../api/endpoints.ts';
import type { Segment, SegmentCondition } from '../api/types.ts';
import { Field } from '../components/field.tsx';
import { Empty, ErrorNotice, Loading, Success } from '../components/notice.tsx';
import { canReview, useSession } from '../session.ts';
import { useLoad } from '../use-load.ts';

const ops: { value: SegmentCondition['op']; label: string }[] = [
  { value: 'is', label: 'is' },
  { value: 'is_not', label: 'is not' },
  { value: 'in', label: 'is one of' },
  { value: 'not_in', label: 'is none of' },
  { value: 'contains', label: 'contains' },
  { value: 'exists', label: 'is present' },
  { value: 'missing', label: 'is missing' },
];
const listOps = new Set(['in', 'not_in']);
const valueless = new Set(['exists', 'missing']);

interface DraftCondition {
  field: string;
  op: SegmentCondition['op'];
  value: string;
}

function describe(condition: SegmentCondition): string {
  const op = ops.find((o) => o.value === condition.op)?.label ?? condition.op;
  const value = Array.isArray(condition.value) ? condition.value.join(', ') : (condition.value ?? '');
  return `${condition.field} ${op}${valueless.has(condition.op) ? '' : ` ${value}`}`;
}

export function SegmentsPage() {
  const { account } = useSession();
  const segments = useLoad(() => fetchSegments(account.id), [account.id]);
  const edit = canReview(account.role);
  const [editing, setEditing] = useState<Segment | undefined>();
  const [message, setMessage] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const remove = async (segment: Segment) => {
    if (!window.confirm(`Delete the segment “${segment.name}”?`)) return;
    try {
      await deleteSegment(account.id, segment.id);
      setMessage('Segment deleted.');
      segments.reload();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };
  return (
    <section aria-labelledby="page-title">
      <div class="page-head">
        <h1 id="page-title">Segments</h1>
      </div>
      <p class="muted">Named groups of contacts, e.g. “outside the US”. Use them in block or allow rules.</p>
      {message && <Success>{message}</Success>}
      <ErrorNotice error={error ?? segments.error} />
      {edit && (
        <SegmentEditor
          key={editing?.id ?? 'new'}
          segment={editing}
          onSaved={(text) => {
            setMessage(text);
            setEditing(undefined);
            segments.reload();
          }}
          onCancel={() => setEditing(undefined)}
        />
      )}
      {segments.loading && !segments.data ? (
        <Loading what="Loading segments" />
      ) : !segments.data || segments.data.items.length === 0 ? (
        <Empty>No segments yet.</Empty>
      ) : (
        <ul class="card-list">
          {segments.data.items.map((segment) => (
            <li key={segment.id} class="card">
              <h2 class="h3">{segment.name}</h2>
              <p class="muted small">Contacts matching {segment.match === 'all' ? 'all' : 'any'} of:</p>
              <ul>
                {segment.conditions.map((c, i) => (
                  <li key={i}>{describe(c)}</li>
                ))}
              </ul>
              {edit && (
                <div class="actions">
                  <button
                    type="button"
                    aria-label={`Edit segment ${segment.name}`}
                    onClick={() => setEditing(segment)}
                  >
                    Edit
                  </button>
                  <button
                    type="button"
                    class="danger"
                    aria-label={`Delete segment ${segment.name}`}
                    onClick={() => remove(segment)}
                  >
                    Delete
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

interface SegmentEditorProps {
  readonly segment: Segment | undefined;
  readonly onSaved: (message: string) => void;
  readonly onCancel: () => void;
}

function toDraft(condition: SegmentCondition): DraftCondition {
  const value = Array.isArray(condition.value) ? condition.value.join(', ') : (condition.value ?? '');
  return { field: condition.field, op: condition.op, value: String(value) };
}

function fromDraft(draft: DraftCondition): SegmentCondition {
  if (valueless.has(draft.op)) return { field: draft.field.trim(), op: draft.op };
  if (listOps.has(draft.op))
    return {
      field: draft.field.trim(),
      op: draft.op,
      value: draft.value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean),
    };
  return { field: draft.field.trim(), op: draft.op, value: draft.value.trim() };
}

function SegmentEditor({ segment, onSaved, onCancel }: SegmentEditorProps) {
  const { account } = useSession();
  const [name, setName] = useState(segment?.name ?? '');
  const [match, setMatch] = useState<'all' | 'any'>(segment?.match ?? 'all');
  const [conditions, setConditions] = useState<DraftCondition[]>(
    segment ? segment.conditions.map(toDraft) : [{ field: 'country', op: 'is_not', value: 'US' }],
  );
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const change = (index: number, patch: Partial<DraftCondition>) =>
    setConditions(conditions.map((c, i) => (i === index ? { ...c, ...patch } : c)));
  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    const body = { name: name.trim(), match, conditions: conditions.map(fromDraft) };
    try {
      if (segment) await updateSegment(account.id, segment.id, body);
      else await createSegment(account.id, body);
      if (!segment) {
        setName('');
        setConditions([{ field: 'country', op: 'is_not', value: 'US' }]);
      }
      onSaved(segment ? 'Segment saved.' : 'Segment added.');
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card editor" onSubmit={save} aria-label={segment ? 'Edit segment' : 'Add a segment'}>
      <h2>{segment ? `Edit segment ${segment.name}` : 'Add a segment'}</h2>
      <div class="row">
        <Field label="Name" class="grow">
          <input required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </Field>
        <Field label="Contacts matching">
          <select value={match} onChange={(e) => setMatch(e.currentTarget.value as 'all' | 'any')}>
            <option value="all">all conditions</option>
            <option value="any">any condition</option>
          </select>
        </Field>
      </div>
      <fieldset class="conditions">
        <legend>Conditions</legend>
        {conditions.map((condition, index) => (
          <div class="row condition" key={index}>
            <Field label={`Field ${index + 1}`}>
              <input
                required
                maxLength={100}
                value={condition.field}
                onInput={(e) => change(index, { field: e.currentTarget.value })}
              />
            </Field>
            <Field label="Test">
              <select
                value={condition.op}
                onChange={(e) => change(index, { op: e.currentTarget.value as SegmentCondition['op'] })}
              >
                {ops.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            </Field>
            {!valueless.has(condition.op) && (
              <Field
                label="Value"
                hint={listOps.has(condition.op) ? 'Separate values with commas.' : undefined}
                class="grow"
              >
                <input
                  value={condition.value}
                  onInput={(e) => change(index, { value: e.currentTarget.value })}
                />
              </Field>
            )}
            <button
              type="button"
              class="link-button"
              disabled={conditions.length === 1}
              aria-label={`Remove condition ${index + 1}`}
              onClick={() => setConditions(conditions.filter((_, i) => i !== index))}
            >
              Remove
            </button>
          </div>
        ))}
        <button
          type="button"
          disabled={conditions.length >= 50}
          onClick={() => setConditions([...conditions, { field: '', op: 'is', value: '' }])}
        >
          Add condition
        </button>
      </fieldset>
      <ErrorNotice error={error} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy || !name.trim()}>
          {segment ? 'Save segment' : 'Add segment'}
        </button>
        {segment && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
