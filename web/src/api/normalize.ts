// Reads lead rows from the API into the panel's types, tolerating optional and nested fields.
import type {
  Delivery,
  Form,
  HistoryEvent,
  LeadDetail,
  LeadStatus,
  LeadSummary,
  Reports,
  Signal,
  Verdict,
} from './types.ts';

type Row = Readonly<Record<string, unknown>>;

const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;
const obj = (value: unknown): Row | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Row) : undefined;

function first(row: Row, ...keys: string[]): unknown {
  for (const key of keys) if (row[key] !== undefined && row[key] !== null) return row[key];
  return undefined;
}

function readSignals(value: unknown): Signal[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => {
    const signal = obj(item);
    if (!signal) return [];
    return [
      {
        check: text(signal.check) ?? 'unknown',
        score: num(signal.score) ?? 0,
        reason: text(signal.reason) ?? '',
        evidence: text(signal.evidence) ?? null,
      },
    ];
  });
}

function readVerdict(row: Row): Verdict | undefined {
  const verdict = obj(row.verdict);
  if (!verdict) return undefined;
  return {
    score: num(verdict.score) ?? 0,
    outcome: text(verdict.outcome) ?? '',
    threshold: num(verdict.threshold),
    decidedBy: text(verdict.decidedBy),
    signals: readSignals(first(verdict, 'signals') ?? row.signals),
  };
}

/** The signal that weighed most, in words: the "main reason" staff see in the quarantine. */
function mainReasonOf(signals: readonly Signal[]): string | undefined {
  let best: Signal | undefined;
  for (const signal of signals) if (!best || signal.score > best.score) best = signal;
  return best?.reason || best?.check;
}

export function normalizeLead(raw: Row | LeadSummary): LeadSummary {
  const row = raw as Row;
  const fields = obj(row.fields) ?? {};
  const form = obj(row.form);
  const verdict = readVerdict(row);
  const status = text(row.status);
  return {
    id: text(row.id) ?? '',
    status: (status === 'quarantined' || status === 'deleted' ? status : 'active') as LeadStatus,
    receivedAt: text(first(row, 'receivedAt', 'createdAt', 'received_at')) ?? '',
    name: text(first(row, 'name', 'contactName')) ?? text(fields.name) ?? null,
    email: text(first(row, 'email', 'contactEmail')) ?? text(fields.email) ?? null,
    phone: text(first(row, 'phone', 'contactPhone')) ?? text(fields.phone) ?? null,
    formId: text(first(row, 'formId')) ?? text(form?.id) ?? null,
    formName: text(first(row, 'formName')) ?? text(form?.name) ?? null,
    contactId: text(row.contactId) ?? null,
    score: num(row.score) ?? verdict?.score ?? null,
    mainReason: text(row.mainReason) ?? (verdict ? mainReasonOf(verdict.signals) : undefined) ?? null,
    deleteAt: text(first(row, 'deleteAt', 'purgeAt', 'autoDeleteAt')) ?? null,
    channel: text(row.channel) ?? null,
  };
}

function withText(key: string, value: unknown): Row {
  return typeof value === 'string' && value !== '' ? { [key]: value } : {};
}

function readDeliveries(value: unknown): Delivery[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item, index) => {
    const row = obj(item);
    if (!row) return [];
    return [
      {
        id: text(row.id) ?? String(index),
        kind: text(first(row, 'kind', 'type')) ?? 'delivery',
        state: text(first(row, 'state', 'status')) ?? 'unknown',
        attempts: num(row.attempts),
        lastError: text(row.lastError) ?? null,
        updatedAt: text(first(row, 'updatedAt', 'sentAt', 'createdAt')) ?? null,
      },
    ];
  });
}

export function normalizeLeadDetail(row: Row): LeadDetail {
  const meta = obj(row.meta) ?? {};
  return {
    ...normalizeLead(row),
    fields: { ...withText('subject', row.subject), ...withText('message', row.message), ...obj(row.fields) },
    verdict: readVerdict(row) ?? null,
    deliveries: readDeliveries(row.deliveries),
    ip: text(first(row, 'ip')) ?? text(meta.ip) ?? null,
    userAgent: text(first(row, 'userAgent')) ?? text(meta.userAgent) ?? null,
    pageUrl: text(first(row, 'pageUrl')) ?? text(meta.pageUrl) ?? null,
    referrer: text(first(row, 'referrer')) ?? text(meta.referrer) ?? null,
  };
}

/** Rules and keywords carry their hit count as `hitCount`. */
export function withHits<T extends { readonly hits?: number }>(raw: T): T {
  const row = raw as unknown as Row;
  return { ...raw, hits: num(row.hits) ?? num(row.hitCount) ?? 0 };
}

/** A form's public key is `formKey` in the API. */
export function normalizeForm(raw: Form): Form {
  const row = raw as unknown as Row;
  return { ...raw, publicKey: text(row.publicKey) ?? text(row.formKey) ?? '' };
}

function rowsOf(value: unknown): Row[] {
  return Array.isArray(value) ? value.flatMap((item) => (obj(item) ? [obj(item) as Row] : [])) : [];
}

/** The report answer (`perDay`, `byForm`, `quarantineReasons`, `releaseRateByCheck`) in the charts' terms. */
export function normalizeReports(raw: Row): Reports {
  return {
    overTime: rowsOf(first(raw, 'overTime', 'perDay')).map((d) => ({
      day: text(d.day) ?? '',
      active: num(d.active) ?? 0,
      quarantined: num(d.quarantined) ?? 0,
    })),
    byForm: rowsOf(raw.byForm).map((f) => ({
      label: text(first(f, 'label', 'formName')) ?? 'No form (API, calls)',
      active: num(f.active) ?? 0,
      quarantined: num(f.quarantined) ?? 0,
    })),
    bySource: rowsOf(raw.bySource).map((s) => ({
      source: text(s.source) ?? 'unknown',
      active: num(s.active) ?? 0,
      quarantined: num(s.quarantined) ?? 0,
    })),
    reasons: rowsOf(first(raw, 'reasons', 'quarantineReasons')).map((r) => ({
      check: text(r.check) ?? 'unknown',
      count: num(first(r, 'count', 'n')) ?? 0,
    })),
    releaseRate: rowsOf(first(raw, 'releaseRate', 'releaseRateByCheck')).map((r) => ({
      check: text(r.check) ?? 'unknown',
      quarantined: num(r.quarantined) ?? 0,
      released: num(r.released) ?? 0,
    })),
  };
}

/** History lines: `detail` may say why (a reason, a rule, a count). */
export function normalizeHistory(value: unknown): HistoryEvent[] {
  return rowsOf(value).map((h, index) => {
    const detail = obj(h.detail) ?? {};
    return {
      id: text(h.id) ?? `${text(h.at) ?? ''}-${index}`,
      at: text(h.at) ?? '',
      type: text(h.type) ?? 'event',
      activityId: text(h.activityId) ?? null,
      actor: text(h.actor) ?? text(detail.actorEmail) ?? null,
      via: text(h.via) ?? null,
      reason: text(h.reason) ?? text(detail.reason) ?? text(detail.mainReason) ?? text(detail.value) ?? null,
    };
  });
}
