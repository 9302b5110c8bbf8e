// The review buttons for one lead, shown only to roles that may use them (the server checks again).
import { useState } from 'preact/hooks';
import { applyLeadAction } from '../api/endpoints.ts';
import type { LeadAction } from '../api/endpoints.ts';
import type { LeadSummary } from '../api/types.ts';
import { canReview, useSession } from '../session.ts';
import { ErrorNotice } from './notice.tsx';
import { announceQuarantineChange } from './quarantine-badge.tsx';

interface ActionSpec {
  readonly action: LeadAction;
  readonly label: string;
  readonly tone?: 'primary' | 'danger';
  readonly confirm?: string;
}

/** The actions that make sense for a lead in its current status. */
export function actionsFor(lead: Pick<LeadSummary, 'status' | 'email'>): ActionSpec[] {
  const hasEmail = Boolean(lead.email);
  if (lead.status === 'quarantined')
    return [
      { action: 'mark-not-spam', label: 'Not spam', tone: 'primary' },
      ...(hasEmail ? [{ action: 'block-email' as const, label: 'Block email' }] : []),
      ...(hasEmail ? [{ action: 'block-domain' as const, label: 'Block domain' }] : []),
      { action: 'delete', label: 'Delete', tone: 'danger', confirm: 'Delete this lead for good?' },
    ];
  if (lead.status === 'active')
    return [
      { action: 'mark-spam', label: 'Lead is spam' },
      ...(hasEmail ? [{ action: 'block-email' as const, label: 'Email is spam' }] : []),
      { action: 'delete', label: 'Delete', tone: 'danger', confirm: 'Delete this lead for good?' },
    ];
  return [];
}

interface LeadActionsProps {
  readonly lead: Pick<LeadSummary, 'id' | 'status' | 'email' | 'name'>;
  readonly onDone: (action: LeadAction) => void;
  readonly compact?: boolean;
}

export function LeadActions({ lead, onDone, compact }: LeadActionsProps) {
  const { account } = useSession();
  const [busy, setBusy] = useState<LeadAction | undefined>();
  const [error, setError] = useState<string | undefined>();
  if (!canReview(account.role)) return null;
  const who = lead.name || lead.email || 'this lead';
  const run = async (spec: ActionSpec) => {
    if (spec.confirm && !window.confirm(spec.confirm)) return;
    setBusy(spec.action);
    setError(undefined);
    try {
      await applyLeadAction(account.id, lead.id, spec.action);
      announceQuarantineChange();
      onDone(spec.action);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <div class={compact ? 'actions compact' : 'actions'}>
      {actionsFor(lead).map((spec) => (
        <button
          key={spec.action}
          type="button"
          class={spec.tone}
          disabled={busy !== undefined}
          aria-label={compact ? `${spec.label}: ${who}` : undefined}
          onClick={() => run(spec)}
        >
          {busy === spec.action ? '…' : spec.label}
        </button>
      ))}
      <ErrorNotice error={error} />
    </div>
  );
}
