// A contact: who they are, their leads and calls, and the timeline of everything that happened to them.
import { fetchContact } from '../api/endpoints.ts';
import { LeadTable } from '../components/lead-table.tsx';
import { Empty, ErrorNotice, Loading } from '../components/notice.tsx';
import { Link } from '../components/link.tsx';
import { formatDateTime, formatFieldValue, humanize } from '../format.ts';
import { useSession } from '../session.ts';
import { useLoad } from '../use-load.ts';

export function ContactPage({ contactId }: { readonly contactId: string }) {
  const { account } = useSession();
  const contact = useLoad(() => fetchContact(account.id, contactId), [account.id, contactId]);
  if (contact.loading && !contact.data) return <Loading what="Loading the contact" />;
  if (!contact.data) return <ErrorNotice error={contact.error ?? 'Contact not found.'} />;
  const data = contact.data;
  const extra = Object.entries(data.fields ?? {});
  return (
    <article aria-labelledby="page-title">
      <div class="page-head">
        <h1 id="page-title">{data.name || data.email || data.phone || 'Contact'}</h1>
      </div>
      <dl class="fields card">
        {[['Email', data.email] as const, ['Phone', data.phone] as const, ...extra].map(([key, value]) => (
          <div class="field-row" key={key}>
            <dt>{humanize(key)}</dt>
            <dd class="field-value">{formatFieldValue(value) || '—'}</dd>
          </div>
        ))}
      </dl>
      <h2>Leads and calls</h2>
      {data.activities.length === 0 ? (
        <Empty>No activities.</Empty>
      ) : (
        <LeadTable leads={data.activities} caption="Leads and calls of this contact" />
      )}
      <h2>Timeline</h2>
      {data.history.length === 0 ? (
        <Empty>Nothing has happened yet.</Empty>
      ) : (
        <ol class="timeline">
          {data.history.map((event) => (
            <li key={event.id}>
              <time dateTime={event.at}>{formatDateTime(event.at)}</time>
              <div>
                <strong>{humanize(event.type)}</strong>
                {event.actor && <> by {event.actor}</>}
                {event.via && <> via {event.via}</>}
                {event.reason && <div class="muted">{event.reason}</div>}
                {event.activityId && (
                  <div>
                    <Link to={`/leads/${encodeURIComponent(event.activityId)}`} class="small">
                      Open the lead
                    </Link>
                  </div>
                )}
              </div>
            </li>
          ))}
        </ol>
      )}
    </article>
  );
}
