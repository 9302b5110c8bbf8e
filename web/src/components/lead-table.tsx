// A table of leads (stacked cards on a phone) with links to each lead, and optional row selection.
import type { ComponentChildren } from 'preact';
import type { LeadSummary } from '../api/types.ts';
import { daysUntil, formatDate, formatDateTime } from '../format.ts';
import { Link } from './link.tsx';

interface LeadTableProps {
  readonly leads: readonly LeadSummary[];
  readonly caption: string;
  readonly showReason?: boolean;
  readonly showDeleteAt?: boolean;
  readonly selected?: ReadonlySet<string>;
  readonly onSelect?: (id: string, on: boolean) => void;
  readonly onSelectAll?: (on: boolean) => void;
  readonly actions?: (lead: LeadSummary) => ComponentChildren;
}

export function leadTitle(lead: Pick<LeadSummary, 'name' | 'email' | 'phone' | 'id'>): string {
  return lead.name?.trim() || lead.email || lead.phone || `Lead ${lead.id.slice(0, 8)}`;
}

export function StatusTag({ status }: { readonly status: string }) {
  return (
    <span class={`tag tag-${status}`}>
      {status === 'quarantined' ? 'Quarantined' : status === 'active' ? 'Active' : 'Deleted'}
    </span>
  );
}

export function LeadTable(props: LeadTableProps) {
  const { leads, caption, showReason, showDeleteAt, selected, onSelect, onSelectAll, actions } = props;
  const allSelected = selected !== undefined && leads.length > 0 && leads.every((l) => selected.has(l.id));
  return (
    <div class="table-wrap">
      <table class="lead-table">
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {onSelect && (
              <th scope="col" class="select-col">
                <input
                  type="checkbox"
                  aria-label="Select all leads on this page"
                  checked={allSelected}
                  onChange={(e) => onSelectAll?.(e.currentTarget.checked)}
                />
              </th>
            )}
            <th scope="col">Lead</th>
            <th scope="col">Received</th>
            <th scope="col">Form</th>
            <th scope="col">{showReason ? 'Main reason' : 'Status'}</th>
            {showDeleteAt && <th scope="col">Auto-delete</th>}
            {actions && <th scope="col">Actions</th>}
          </tr>
        </thead>
        <tbody>
          {leads.map((lead) => {
            const title = leadTitle(lead);
            const days = daysUntil(lead.deleteAt);
            return (
              <tr key={lead.id} data-lead-id={lead.id}>
                {onSelect && (
                  <td class="select-col">
                    <input
                      type="checkbox"
                      aria-label={`Select ${title}`}
                      checked={selected?.has(lead.id) ?? false}
                      onChange={(e) => onSelect(lead.id, e.currentTarget.checked)}
                    />
                  </td>
                )}
                <td data-label="Lead">
                  <Link to={`/leads/${encodeURIComponent(lead.id)}`} class="lead-link">
                    {title}
                  </Link>
                  {lead.email && lead.email !== title && <div class="muted small">{lead.email}</div>}
                </td>
                <td data-label="Received">{formatDateTime(lead.receivedAt)}</td>
                <td data-label="Form">{lead.formName ?? '—'}</td>
                <td data-label={showReason ? 'Main reason' : 'Status'}>
                  {showReason ? (lead.mainReason ?? '—') : <StatusTag status={lead.status} />}
                </td>
                {showDeleteAt && (
                  <td data-label="Auto-delete">
                    {lead.deleteAt ? (
                      <span title={formatDateTime(lead.deleteAt)}>
                        {formatDate(lead.deleteAt)}
                        {days !== undefined && <span class="muted small"> (in {days} d)</span>}
                      </span>
                    ) : (
                      '—'
                    )}
                  </td>
                )}
                {actions && <td data-label="Actions">{actions(lead)}</td>}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
