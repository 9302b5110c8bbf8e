// The quarantine: newest first with the main reason and the auto-delete date; act on one lead or a selection.
import { useState } from 'preact/hooks';
import { applyLeadAction, fetchLeads } from '../api/endpoints.ts';
import type { LeadAction } from '../api/endpoints.ts';
import { LeadActions } from '../components/lead-actions.tsx';
import { LeadTable } from '../components/lead-table.tsx';
import { Empty, ErrorNotice, Loading, Success } from '../components/notice.tsx';
import { announceQuarantineChange } from '../components/quarantine-badge.tsx';
import { canReview, useSession } from '../session.ts';
import { useLoad } from '../use-load.ts';
import { countLabel } from '../format.ts';

const bulkActions: { action: LeadAction; label: string; tone?: string }[] = [
  { action: 'mark-not-spam', label: 'Not spam', tone: 'primary' },
  { action: 'block-email', label: 'Block emails' },
  { action: 'block-domain', label: 'Block domains' },
  { action: 'delete', label: 'Delete', tone: 'danger' },
];

export function QuarantinePage() {
  const { account } = useSession();
  const [cursors, setCursors] = useState<string[]>([]);
  const leads = useLoad(
    () => fetchLeads(account.id, { view: 'quarantine', limit: 50, cursor: cursors.at(-1) }),
    [account.id, cursors.at(-1)],
  );
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const review = canReview(account.role);
  const items = leads.data?.items ?? [];

  const select = (id: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(id);
    else next.delete(id);
    setSelected(next);
  };
  const runBulk = async (action: LeadAction, label: string) => {
    const ids = items.filter((l) => selected.has(l.id)).map((l) => l.id);
    if (ids.length === 0) return;
    if (action === 'delete' && !window.confirm(`Delete ${ids.length} leads for good?`)) return;
    setBusy(true);
    setError(undefined);
    let failed = 0;
    // One request per lead: each is its own history event, and one failure must not stop the rest.
    for (const id of ids) await applyLeadAction(account.id, id, action).catch(() => failed++);
    setBusy(false);
    setSelected(new Set());
    setMessage(`${label}: ${ids.length - failed} of ${ids.length} done.`);
    if (failed) setError(`${failed} could not be changed; they are still listed.`);
    announceQuarantineChange();
    leads.reload();
  };

  return (
    <section aria-labelledby="page-title">
      <div class="page-head">
        <h1 id="page-title">Quarantine</h1>
        {leads.data?.total !== undefined && <span class="muted">{countLabel(leads.data.total)}</span>}
      </div>
      <p class="muted">
        Leads held back as likely spam, newest first. Nothing here was delivered. Each is deleted
        automatically on the date shown.
      </p>
      {message && <Success>{message}</Success>}
      <ErrorNotice error={error ?? leads.error} />
      {review && items.length > 0 && (
        <div class="bulk-bar" role="group" aria-label="Act on selected leads">
          <span>{selected.size} selected</span>
          {bulkActions.map((b) => (
            <button
              key={b.action}
              type="button"
              class={b.tone}
              disabled={busy || selected.size === 0}
              onClick={() => runBulk(b.action, b.label)}
            >
              {b.label}
            </button>
          ))}
        </div>
      )}
      {leads.loading && !leads.data ? (
        <Loading what="Loading the quarantine" />
      ) : items.length === 0 ? (
        <Empty>The quarantine is empty.</Empty>
      ) : (
        <>
          <LeadTable
            leads={items}
            caption="Quarantined leads"
            showReason
            showDeleteAt
            selected={review ? selected : undefined}
            onSelect={review ? select : undefined}
            onSelectAll={(on) => setSelected(on ? new Set(items.map((l) => l.id)) : new Set())}
            actions={
              review
                ? (lead) => (
                    <LeadActions
                      compact
                      lead={lead}
                      onDone={() => {
                        setMessage(undefined);
                        leads.reload();
                      }}
                    />
                  )
                : undefined
            }
          />
          <div class="pager">
            <button
              type="button"
              disabled={cursors.length === 0}
              onClick={() => setCursors(cursors.slice(0, -1))}
            >
              Newer
            </button>
            <button
              type="button"
              disabled={!leads.data?.nextCursor}
              onClick={() => leads.data?.nextCursor && setCursors([...cursors, leads.data.nextCursor])}
            >
              Older
            </button>
          </div>
        </>
      )}
    </section>
  );
}
