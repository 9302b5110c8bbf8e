// One lead: every submitted field as text, the verdict with each signal, its deliveries, and the review actions.
import { fetchLead, resendDelivery } from '../api/endpoints.ts';
import type { LeadDetail } from '../api/types.ts';
import { LeadActions } from '../components/lead-actions.tsx';
import { StatusTag, leadTitle } from '../components/lead-table.tsx';
import { Link } from '../components/link.tsx';
import { Empty, ErrorNotice, Loading, Success } from '../components/notice.tsx';
import { daysUntil, formatDateTime, formatFieldValue, formatScore, humanize } from '../format.ts';
import { useState } from 'preact/hooks';
import { canReview, useSession } from '../session.ts';
import { useLoad } from '../use-load.ts';

const doneMessages: Record<string, string> = {
  'mark-spam': 'Marked as spam and moved to quarantine.',
  'mark-not-spam': 'Released: the lead is active and its deliveries are on their way.',
  'block-email': 'The email address is blocked; its future leads go to quarantine.',
  'block-domain': 'The email domain is blocked; its future leads go to quarantine.',
  delete: 'Deleted.',
};

export function LeadPage({ leadId }: { readonly leadId: string }) {
  const { account } = useSession();
  const lead = useLoad(() => fetchLead(account.id, leadId), [account.id, leadId]);
  const [done, setDone] = useState<string | undefined>();
  if (lead.loading && !lead.data) return <Loading what="Loading the lead" />;
  if (!lead.data) return <ErrorNotice error={lead.error ?? 'Lead not found.'} />;
  const data = lead.data;
  return (
    <article aria-labelledby="page-title" class="lead-detail">
      <div class="page-head">
        <h1 id="page-title">{leadTitle(data)}</h1>
        <StatusTag status={data.status} />
      </div>
      <p class="muted">
        Received {formatDateTime(data.receivedAt)}
        {data.formName && <> on form {data.formName}</>}
        {data.contactId && (
          <>
            {' · '}
            <Link to={`/contacts/${encodeURIComponent(data.contactId)}`}>Contact page</Link>
          </>
        )}
        {data.status === 'quarantined' && data.deleteAt && (
          <>
            {' '}
            · deleted automatically on {formatDateTime(data.deleteAt)} (in {daysUntil(data.deleteAt)} days)
          </>
        )}
      </p>
      {done && <Success>{done}</Success>}
      <LeadActions
        lead={data}
        onDone={(action) => {
          setDone(doneMessages[action]);
          lead.reload();
        }}
      />
      <div class="detail-grid">
        <section class="card" aria-labelledby="fields-title">
          <h2 id="fields-title">Submitted fields</h2>
          <FieldList lead={data} />
        </section>
        <section class="card" aria-labelledby="verdict-title">
          <h2 id="verdict-title">Verdict</h2>
          <VerdictView lead={data} />
        </section>
        <section class="card" aria-labelledby="deliveries-title">
          <h2 id="deliveries-title">Deliveries</h2>
          {data.deliveries.length === 0 ? (
            <Empty>
              {data.status === 'quarantined'
                ? 'None: quarantined leads are not delivered. Releasing it as not spam creates its deliveries.'
                : 'No deliveries are configured for this lead.'}
            </Empty>
          ) : (
            // Focusable, so a keyboard can scroll a wide table sideways on a phone.
            <div class="scroll-x" tabIndex={0} role="region" aria-label="Deliveries">
              <table class="plain-table">
                <caption class="visually-hidden">Deliveries</caption>
                <thead>
                  <tr>
                    <th scope="col">Kind</th>
                    <th scope="col">State</th>
                    <th scope="col">Attempts</th>
                    <th scope="col">Updated</th>
                  </tr>
                </thead>
                <tbody>
                  {data.deliveries.map((d) => (
                    <tr key={d.id}>
                      <td>{humanize(d.kind)}</td>
                      <td>
                        <span class={`tag tag-${d.state}`}>{humanize(d.state)}</span>
                        {d.lastError && <div class="muted small">{d.lastError}</div>}
                        {d.state === 'failed' && canReview(account.role) && (
                          <button
                            type="button"
                            class="small"
                            aria-label={`Resend ${humanize(d.kind)}`}
                            onClick={() =>
                              void resendDelivery(account.id, d.id).then(
                                () => {
                                  setDone('Queued again: the delivery will be retried.');
                                  lead.reload();
                                },
                                (error: unknown) => setDone(`Could not resend: ${String(error)}`),
                              )
                            }
                          >
                            Resend
                          </button>
                        )}
                      </td>
                      <td>{d.attempts ?? '—'}</td>
                      <td>{formatDateTime(d.updatedAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      </div>
    </article>
  );
}

/** Every field as text nodes: spam is full of markup and script, and none of it may run here. */
function FieldList({ lead }: { readonly lead: LeadDetail }) {
  const rows: [string, unknown][] = [
    ['Name', lead.name],
    ['Email', lead.email],
    ['Phone', lead.phone],
    ...Object.entries(lead.fields ?? {}).filter(([key]) => !['name', 'email', 'phone'].includes(key)),
    ['Page', lead.pageUrl],
    ['Referrer', lead.referrer],
    ['IP address', lead.ip],
    ['Browser', lead.userAgent],
  ];
  const shown = rows.filter(([, value]) => value !== undefined && value !== null && value !== '');
  if (shown.length === 0) return <Empty>No fields were submitted.</Empty>;
  return (
    <dl class="fields">
      {shown.map(([key, value]) => (
        <div class="field-row" key={key}>
          <dt>{humanize(key)}</dt>
          <dd class="field-value">{formatFieldValue(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

function VerdictView({ lead }: { readonly lead: LeadDetail }) {
  const verdict = lead.verdict;
  if (!verdict) return <Empty>No verdict was stored for this lead.</Empty>;
  const signals = [...verdict.signals].sort((a, b) => Math.abs(b.score) - Math.abs(a.score));
  return (
    <>
      <p>
        <strong>{verdict.outcome === 'quarantine' ? 'Quarantine' : 'Not spam'}</strong> with score{' '}
        {formatScore(verdict.score)}
        {verdict.threshold !== undefined && <> (threshold {formatScore(verdict.threshold)})</>}
        {verdict.decidedBy && verdict.decidedBy !== 'score' && (
          <> · decided by {humanize(verdict.decidedBy)}</>
        )}
      </p>
      {signals.length === 0 ? (
        <Empty>No check found anything.</Empty>
      ) : (
        <div class="scroll-x" tabIndex={0} role="region" aria-label="Signals">
          <table class="plain-table signals">
            <caption class="visually-hidden">Signals</caption>
            <thead>
              <tr>
                <th scope="col">Check</th>
                <th scope="col">Reason</th>
                <th scope="col">Evidence</th>
                <th scope="col" class="num">
                  Score
                </th>
              </tr>
            </thead>
            <tbody>
              {signals.map((signal, index) => (
                <tr key={`${signal.check}-${index}`}>
                  <td>
                    <code>{signal.check}</code>
                  </td>
                  <td>{signal.reason}</td>
                  <td class="evidence">{signal.evidence ?? '—'}</td>
                  <td class="num">{formatScore(signal.score)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
