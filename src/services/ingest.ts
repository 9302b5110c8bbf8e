// Intake: screens leads and writes each with its contact, verdict, history and deliveries in one transaction per batch.
import { createHash, randomUUID } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { findContactsByKeys, insertActivities, insertContacts } from '../db/repositories/activities.ts';
import type { NewActivityRow, NewContactRow } from '../db/repositories/activities.ts';
import { insertDeliveries } from '../db/repositories/deliveries.ts';
import type { NewDeliveryRow } from '../db/repositories/deliveries.ts';
import { insertHistoryEvents } from '../db/repositories/history.ts';
import type { HistoryEventRow } from '../db/repositories/history.ts';
import { claimNonces } from '../db/repositories/nonces.ts';
import { addKeywordHits, addRuleHits } from '../db/repositories/rules.ts';
import { prepareLead } from '../engine/prepare.ts';
import type { PreparedLead } from '../engine/prepare.ts';
import { readRenderToken } from '../engine/render-token.ts';
import { phoneKeyOf } from '../engine/rule-index.ts';
import { screenPrepared } from '../engine/screen.ts';
import type { Lead, Signal, Verdict } from '../engine/types.ts';
import { contextKey, loadAccountContexts } from './account-config.ts';
import type { AccountContext } from './account-config.ts';
import { cleanJson, cleanOptionalText } from './clean-value.ts';
import { buildDeliveries } from './deliveries-for.ts';
import type { ActorRef, ServiceDeps } from './deps.ts';
import { ServiceError } from './errors.ts';

export interface IngestInput {
  readonly accountId: string;
  readonly formId: string | null;
  readonly lead: Lead;
  readonly kind?: 'lead' | 'call';
  /** Leads from this IP inside the frequency window, this one included (from the shared counter). */
  readonly ipCount?: number;
  readonly receivedAt: Date;
  readonly via?: ActorRef['via'];
}

export interface IngestOutput {
  readonly activityId: string;
  readonly contactId: string;
  readonly verdict: Verdict;
}

/** The signal staff see first: the deciding list entry, else the heaviest scored finding. */
export function findMainSignal(verdict: Verdict): Signal | undefined {
  const wanted =
    verdict.decidedBy === 'block_rule'
      ? 'block'
      : verdict.decidedBy === 'allowlist_only'
        ? 'allowlist_miss'
        : undefined;
  let best: Signal | undefined;
  for (const signal of verdict.signals) {
    if (wanted) {
      if (signal.hard?.kind === wanted && (!best || signal.hard.specificity > (best.hard?.specificity ?? -1)))
        best = signal;
    } else if (signal.score > 0 && (!best || signal.score > best.score)) best = signal;
  }
  return best;
}

function fingerprintOf(lead: PreparedLead): string | null {
  const text = lead.freeText.toLowerCase().replace(/\s+/g, ' ').trim();
  return text.length >= 20 ? createHash('sha256').update(text).digest('base64url').slice(0, 32) : null;
}

interface Screened {
  readonly input: IngestInput;
  readonly prepared: PreparedLead;
  readonly context: AccountContext;
  readonly activityId: string;
  readonly email: string | null;
  readonly phone: string | null;
  contactId?: string;
  verdict?: Verdict;
}

function contactKeysOf(prepared: PreparedLead): { email: string | null; phone: string | null } {
  const email = prepared.email?.address ? cleanOptionalText(prepared.email.address, 320) : null;
  const digits = prepared.phone?.digits ?? '';
  const phone = digits.length >= 7 ? phoneKeyOf(digits, prepared.phone?.e164) : null;
  return { email, phone };
}

/** Finds or creates each lead's contact: same account and same email, else same phone. */
async function resolveContacts(db: Db, items: Screened[]): Promise<NewContactRow[]> {
  const keys = items
    .filter((item) => item.email || item.phone)
    .map((item) => ({ account_id: item.input.accountId, email: item.email, phone: item.phone }));
  const byEmail = new Map<string, string>();
  const byPhone = new Map<string, string>();
  const remember = (accountId: string, email: string | null, phone: string | null, id: string) => {
    if (email && !byEmail.has(`${accountId}|${email}`)) byEmail.set(`${accountId}|${email}`, id);
    if (phone && !byPhone.has(`${accountId}|${phone}`)) byPhone.set(`${accountId}|${phone}`, id);
  };
  for (const row of await findContactsByKeys(db, keys))
    remember(row.account_id, row.email, row.phone, row.id);
  const created: NewContactRow[] = [];
  for (const item of items) {
    const accountId = item.input.accountId;
    const found =
      (item.email && byEmail.get(`${accountId}|${item.email}`)) ||
      (item.phone && byPhone.get(`${accountId}|${item.phone}`)) ||
      undefined;
    if (found) {
      item.contactId = found;
      continue;
    }
    const id = randomUUID();
    item.contactId = id;
    remember(accountId, item.email, item.phone, id);
    created.push({
      id,
      account_id: accountId,
      email: item.email,
      phone: item.phone,
      name: cleanOptionalText(item.prepared.name, 1000),
      fields: (cleanJson(item.input.lead.contact ?? {}) ?? {}) as Record<string, unknown>,
    });
  }
  return created;
}

async function insertNewContacts(db: Db, items: Screened[], created: NewContactRow[]): Promise<void> {
  if (created.length === 0) return;
  const inserted = await insertContacts(db, created);
  const lost = created.filter((row) => !inserted.has(row.id));
  if (lost.length === 0) return;
  // Another writer created the same contact meanwhile: use theirs.
  const winners = await findContactsByKeys(
    db,
    lost.map((row) => ({ account_id: row.account_id, email: row.email, phone: row.phone })),
  );
  for (const row of lost) {
    const winner = winners.find(
      (w) =>
        w.account_id === row.account_id &&
        ((row.email && w.email === row.email) || (row.phone && w.phone === row.phone)),
    );
    if (!winner) throw new Error('a contact could not be created or found');
    for (const item of items) if (item.contactId === row.id) item.contactId = winner.id;
  }
}

function tokenNonce(
  item: Screened,
  secret: string | undefined,
): { nonce: string; expires_at: string } | undefined {
  if (!secret || typeof item.input.lead.renderToken !== 'string') return undefined;
  const reading = readRenderToken(item.input.lead.renderToken, secret);
  if (reading.status !== 'valid') return undefined;
  const maxAge = item.context.compiled.settings.renderToken.maxAgeSeconds * 1000;
  return { nonce: reading.nonce, expires_at: new Date(reading.issuedAt + maxAge).toISOString() };
}

function activityRow(item: Screened, verdict: Verdict): NewActivityRow {
  const lead = item.input.lead;
  const main = verdict.outcome === 'quarantine' ? findMainSignal(verdict) : undefined;
  const at = item.input.receivedAt.toISOString();
  return {
    id: item.activityId,
    account_id: item.input.accountId,
    form_id: item.input.formId,
    contact_id: item.contactId ?? '',
    kind: item.input.kind ?? (lead.channel === 'call' ? 'call' : 'lead'),
    channel: lead.channel,
    status: verdict.outcome === 'quarantine' ? 'quarantined' : 'active',
    name: cleanOptionalText(lead.name, 1000),
    email: cleanOptionalText(lead.email, 1000),
    phone: cleanOptionalText(lead.phone, 100),
    subject: cleanOptionalText(lead.subject),
    message: cleanOptionalText(lead.message),
    fields: (cleanJson(lead.fields ?? {}) ?? {}) as Record<string, unknown>,
    verdict: cleanJson(verdict),
    main_reason: main ? cleanOptionalText(main.reason, 1000) : null,
    main_check: main?.check ?? null,
    ip: cleanOptionalText(lead.ip, 100),
    user_agent: cleanOptionalText(lead.userAgent, 1000),
    referrer: cleanOptionalText(lead.referrer, 2000),
    page_url: cleanOptionalText(lead.pageUrl, 2000),
    fingerprint: fingerprintOf(item.prepared),
    received_at: at,
    status_changed_at: at,
  };
}

function historyRows(item: Screened, verdict: Verdict, activity: NewActivityRow): HistoryEventRow[] {
  const base = {
    account_id: item.input.accountId,
    contact_id: activity.contact_id,
    activity_id: item.activityId,
    actor_user_id: null,
    via: item.input.via ?? 'system',
    at: activity.received_at,
  } as const;
  const rows: HistoryEventRow[] = [
    {
      ...base,
      id: randomUUID(),
      type: 'received',
      detail: {
        formId: item.input.formId,
        channel: activity.channel,
        outcome: verdict.outcome,
        score: verdict.score,
      },
    },
  ];
  if (verdict.outcome === 'quarantine')
    rows.push({
      ...base,
      id: randomUUID(),
      type: 'quarantined',
      detail: {
        reason: activity.main_reason,
        decidedBy: verdict.decidedBy,
        signals: verdict.signals.map((s) => ({ check: s.check, score: s.score, reason: s.reason })),
      },
    });
  return rows;
}

function hitsOf(items: readonly Screened[]) {
  const rules = new Map<string, { account_id: string; action: string; value: string; hits: number }>();
  const keywords = new Map<string, { account_id: string; phrase: string; hits: number }>();
  for (const item of items) {
    for (const signal of item.verdict?.signals ?? []) {
      if (!signal.evidence) continue;
      if (signal.check === 'rules' && (signal.hard?.kind === 'block' || signal.hard?.kind === 'allow')) {
        const key = `${item.input.accountId}|${signal.hard.kind}|${signal.evidence}`;
        const hit = rules.get(key) ?? {
          account_id: item.input.accountId,
          action: signal.hard.kind,
          value: signal.evidence,
          hits: 0,
        };
        hit.hits += 1;
        rules.set(key, hit);
      } else if (signal.check === 'keywords') {
        const key = `${item.input.accountId}|${signal.evidence}`;
        const hit = keywords.get(key) ?? {
          account_id: item.input.accountId,
          phrase: signal.evidence,
          hits: 0,
        };
        hit.hits += 1;
        keywords.set(key, hit);
      }
    }
  }
  return { rules: [...rules.values()], keywords: [...keywords.values()] };
}

/** Screens and stores a batch in one transaction; the results are in input order. */
export async function ingestLeads(
  deps: ServiceDeps,
  inputs: readonly IngestInput[],
): Promise<IngestOutput[]> {
  if (inputs.length === 0) return [];
  const contexts = await loadAccountContexts(
    deps,
    deps.db,
    inputs.map((input) => ({ accountId: input.accountId, formId: input.formId })),
  );
  const items: Screened[] = inputs.map((input) => {
    const context = contexts.get(contextKey(input.accountId, input.formId));
    if (!context) throw new ServiceError('not_found', 'the account or form does not exist');
    const prepared = prepareLead(input.lead);
    return { input, prepared, context, activityId: randomUUID(), ...contactKeysOf(prepared) };
  });
  const results = await deps.db.transaction(async (tx) => {
    const nonces = items.map((item) => tokenNonce(item, deps.renderTokenSecret));
    const unique = new Map<string, { nonce: string; expires_at: string }>();
    for (const nonce of nonces) if (nonce && !unique.has(nonce.nonce)) unique.set(nonce.nonce, nonce);
    const replayed = await claimNonces(tx, [...unique.values()]);
    const seen = new Set<string>();
    const activities: NewActivityRow[] = [];
    const history: HistoryEventRow[] = [];
    const deliveries: NewDeliveryRow[] = [];
    const created = await resolveContacts(tx, items);
    await insertNewContacts(tx, items, created);
    items.forEach((item, index) => {
      const nonce = nonces[index]?.nonce;
      // The first use in this batch claimed the nonce; any later one in the batch is a replay too.
      const tokenReplayed = nonce !== undefined && (replayed.has(nonce) || seen.has(nonce));
      if (nonce) seen.add(nonce);
      const verdict = screenPrepared(
        item.prepared,
        item.context.compiled,
        { now: item.input.receivedAt.getTime(), ipCount: item.input.ipCount, tokenReplayed },
        { model: deps.model },
      );
      item.verdict = verdict;
      const activity = activityRow(item, verdict);
      activities.push(activity);
      history.push(...historyRows(item, verdict, activity));
      if (activity.status === 'active')
        deliveries.push(
          ...buildDeliveries(
            {
              activityId: item.activityId,
              accountId: item.input.accountId,
              formId: item.input.formId,
              email: item.email ?? undefined,
              emailValid: item.prepared.email?.syntaxValid ?? false,
            },
            item.context.account,
            item.context.form,
            item.input.receivedAt,
          ),
        );
    });
    await insertActivities(tx, activities);
    await insertHistoryEvents(tx, history);
    await insertDeliveries(tx, deliveries);
    return items.map((item) => ({
      activityId: item.activityId,
      contactId: item.contactId ?? '',
      verdict: item.verdict as Verdict,
    }));
  });
  await countHits(deps.db, items);
  return results;
}

/** Hit counts are statistics: updated after the commit so hot rules never hold a lead's transaction (or deadlock it). */
async function countHits(db: Db, items: readonly Screened[]): Promise<void> {
  const hits = hitsOf(items);
  try {
    await addRuleHits(db, hits.rules);
    await addKeywordHits(db, hits.keywords);
  } catch {
    // A lost hit count must never fail a lead that is already stored.
  }
}

export async function ingestLead(deps: ServiceDeps, input: IngestInput): Promise<IngestOutput> {
  const [result] = await ingestLeads(deps, [input]);
  if (!result) throw new Error('ingest returned no result');
  return result;
}
