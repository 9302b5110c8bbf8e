// Inbox, search and recent activity: one paged lead list with the filters each page needs.
import { useState } from 'preact/hooks';
import { fetchForms, fetchLeads } from '../api/endpoints.ts';
import type { LeadQuery } from '../api/endpoints.ts';
import type { LeadSummary, Page } from '../api/types.ts';
import { Field } from '../components/field.tsx';
import { LeadTable } from '../components/lead-table.tsx';
import { Empty, ErrorNotice, Loading } from '../components/notice.tsx';
import { navigate, useLocation } from '../router.ts';
import { useSession } from '../session.ts';
import { useLoad } from '../use-load.ts';
import { countLabel } from '../format.ts';

type Mode = 'inbox' | 'search' | 'activity';

const titles: Record<Mode, string> = { inbox: 'Inbox', search: 'Search leads', activity: 'Recent activity' };
const views = { inbox: 'inbox', search: 'search', activity: 'recent' } as const;
const pageSize = 50;
const noLeads: Page<LeadSummary> = { items: [] };

/** A date input's day as the instant it starts (or ends) in the user's time zone, so "to" includes that day. */
function dayStart(day: string | null): string | undefined {
  const date = day ? new Date(`${day}T00:00:00`) : undefined;
  return date && !Number.isNaN(date.getTime()) ? date.toISOString() : undefined;
}
function dayEnd(day: string | null): string | undefined {
  const date = day ? new Date(`${day}T23:59:59.999`) : undefined;
  return date && !Number.isNaN(date.getTime()) ? date.toISOString() : undefined;
}

export function LeadsPage({ mode }: { readonly mode: Mode }) {
  const { account } = useSession();
  const { query } = useLocation();
  const [cursors, setCursors] = useState<string[]>([]);
  const showSpam = query.get('spam') === '1';
  const filters: LeadQuery = {
    view: views[mode],
    includeSpam: showSpam || undefined,
    text: query.get('q') ?? undefined,
    phone: query.get('phone') ?? undefined,
    from: dayStart(query.get('from')),
    to: dayEnd(query.get('to')),
    formId: query.get('form') ?? undefined,
    limit: pageSize,
    cursor: cursors.at(-1),
  };
  const searching =
    mode !== 'search' ||
    Boolean(filters.text || filters.phone || filters.from || filters.to || filters.formId);
  const leads = useLoad(
    () => (searching ? fetchLeads(account.id, filters) : Promise.resolve(noLeads)),
    [account.id, query.toString(), cursors.at(-1), searching],
  );
  const forms = useLoad(
    () => (mode === 'search' ? fetchForms(account.id) : Promise.resolve({ items: [] })),
    [account.id, mode],
  );

  const applyFilters = (event: Event) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const params = new URLSearchParams();
    for (const name of ['q', 'phone', 'from', 'to', 'form']) {
      const value = String(data.get(name) ?? '').trim();
      if (value) params.set(name, value);
    }
    if (data.get('spam')) params.set('spam', '1');
    setCursors([]);
    navigate(`/${mode}${params.size ? `?${params}` : ''}`);
  };

  return (
    <section aria-labelledby="page-title">
      <div class="page-head">
        <h1 id="page-title">{titles[mode]}</h1>
        {leads.data?.total !== undefined && (
          <span class="muted">
            {leads.data.totalCapped
              ? `${leads.data.total.toLocaleString()}+ leads`
              : countLabel(leads.data.total)}
          </span>
        )}
      </div>
      <form class="filters card" role="search" onSubmit={applyFilters}>
        {mode === 'search' && (
          <>
            <Field label="Name, email or words" class="grow">
              <input name="q" type="search" defaultValue={filters.text} maxLength={200} />
            </Field>
            <Field label="Phone">
              <input name="phone" type="search" inputMode="tel" defaultValue={filters.phone} maxLength={50} />
            </Field>
            <Field label="From">
              <input name="from" type="date" defaultValue={query.get('from') ?? undefined} />
            </Field>
            <Field label="To">
              <input name="to" type="date" defaultValue={query.get('to') ?? undefined} />
            </Field>
            <Field label="Form">
              <select name="form">
                <option value="">All forms</option>
                {forms.data?.items.map((form) => (
                  <option key={form.id} value={form.id} selected={form.id === filters.formId}>
                    {form.name}
                  </option>
                ))}
              </select>
            </Field>
          </>
        )}
        <label class="check">
          <input name="spam" type="checkbox" defaultChecked={showSpam} /> Show spam
        </label>
        <button type="submit">{mode === 'search' ? 'Search' : 'Apply'}</button>
      </form>
      <ErrorNotice error={leads.error} />
      {leads.loading && !leads.data ? (
        <Loading what="Loading leads" />
      ) : !searching ? (
        <Empty>
          Type a name, email or words from the message, a phone number in any format, or pick dates or a form.
        </Empty>
      ) : leads.data && leads.data.items.length === 0 ? (
        <Empty>
          {mode === 'inbox' ? 'No new leads. New form submissions appear here.' : 'No leads match.'}
        </Empty>
      ) : (
        leads.data && (
          <>
            <LeadTable leads={leads.data.items} caption={titles[mode]} />
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
                disabled={!leads.data.nextCursor}
                onClick={() => leads.data?.nextCursor && setCursors([...cursors, leads.data.nextCursor])}
              >
                Older
              </button>
            </div>
          </>
        )
      )}
    </section>
  );
}
