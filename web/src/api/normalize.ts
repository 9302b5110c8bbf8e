// Reads lead rows from the API into the panel's types, tolerating optional and nested fields.
import type { Delivery, LeadDetail, LeadStatus, LeadSummary, Signal, Verdict } from './types.ts';

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
        updatedAt: text(first(row, 'updatedAt', 'createdAt')) ?? null,
      },
    ];
  });
}

export function normalizeLeadDetail(row: Row): LeadDetail {
  const meta = obj(row.meta) ?? {};
  return {
    ...normalizeLead(row),
    fields: obj(row.fields) ?? {},
    verdict: readVerdict(row) ?? null,
    deliveries: readDeliveries(row.deliveries),
    ip: text(first(row, 'ip')) ?? text(meta.ip) ?? null,
    userAgent: text(first(row, 'userAgent')) ?? text(meta.userAgent) ?? null,
    pageUrl: text(first(row, 'pageUrl')) ?? text(meta.pageUrl) ?? null,
    referrer: text(first(row, 'referrer')) ?? text(meta.referrer) ?? null,
  };
}
