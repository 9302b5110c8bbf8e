// Intake: screens leads and writes each with its contact, verdict, history and deliveries in one transaction per batch.
import type { Db } from '../db/database.ts';
import { countSameBodySenders } from '../db/repositories/activities.ts';
import type { NewActivityRow } from '../db/repositories/activities.ts';
import { insertLeadRows } from '../db/repositories/lead-rows.ts';
import type { NewDeliveryRow } from '../db/repositories/deliveries.ts';
import type { HistoryEventRow } from '../db/repositories/history.ts';
import { claimNonces } from '../db/repositories/nonces.ts';
import { addKeywordHits, addRuleHits } from '../db/repositories/rules.ts';
import { contentFingerprint } from '../engine/fingerprint.ts';
import { prepareLead } from '../engine/prepare.ts';
import type { PreparedLead } from '../engine/prepare.ts';
import { readRenderToken, submittedRenderToken } from '../engine/render-token.ts';
import type { RenderTokenReading } from '../engine/render-token.ts';
import { screenPrepared } from '../engine/screen.ts';
import type { ContactFields, Lead, Signal, Verdict } from '../engine/types.ts';
import { contextKey, loadAccountContexts } from './account-config.ts';
import type { AccountContext } from './account-config.ts';
import { cleanJson, cleanOptionalText } from './clean-value.ts';
import { contactKeysOf, resolveContacts } from './contacts-for-leads.ts';
import { buildDeliveries } from './deliveries-for.ts';
import { nowOf } from './deps.ts';
import type { ActorRef, ServiceDeps } from './deps.ts';
import { ServiceError } from './errors.ts';
import { createOrderedId } from './ordered-id.ts';
import { learnVerdicts, modelsForAccounts } from './mark-learning.ts';
import { isOverFrequencyLimit, screenOverLimit } from './over-limit.ts';

export interface IngestInput {
  readonly accountId: string;
  readonly formId: string | null;
  readonly lead: Lead;
  readonly kind?: 'lead' | 'call';
  /** Leads from this IP inside the frequency window, this one included (from the shared counter). */
  readonly ipCount?: number;
  readonly receivedAt: Date;
  readonly via?: ActorRef['via'];
  /** Calls: the caller is a contact whose latest lead is in quarantine (the voice service looks it up). */
  readonly contactQuarantined?: boolean;
  /** Calls: the provider's call id, stored unique per account so a retried webhook is not stored twice. */
  readonly callSid?: string;
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

/** How far back a same-body sender counts. */
const SAME_BODY_WINDOW_MS = 30 * 86_400_000;

/**
 * For each lead, how many other contacts sent its body: stored ones, and ones earlier in this batch, each contact
 * once (one that sent it before and again earlier in the batch is one sender, not two). Over-limit leads need none.
 */
async function countOtherSenders(db: Db, items: readonly Screened[], now: Date): Promise<number[]> {
  const inBatch = new Map<string, Set<string>>();
  const counted: {
    index: number;
    earlier: number;
    key: { account_id: string; fingerprint: string; exclude: string[] };
  }[] = [];
  items.forEach((item, index) => {
    if (!item.fingerprint || !item.contactId || item.overLimit) return;
    const body = `${item.input.accountId}|${item.fingerprint}`;
    const senders = inBatch.get(body) ?? new Set<string>();
    inBatch.set(body, senders);
    const earlier = [...senders].filter((contact) => contact !== item.contactId);
    senders.add(item.contactId);
    counted.push({
      index,
      earlier: earlier.length,
      key: {
        account_id: item.input.accountId,
        fingerprint: item.fingerprint,
        exclude: [item.contactId, ...earlier],
      },
    });
  });
  const stored = await countSameBodySenders(
    db,
    counted.map((entry) => entry.key),
    new Date(now.getTime() - SAME_BODY_WINDOW_MS),
  );
  const result = items.map(() => 0);
  counted.forEach((entry, n) => {
    result[entry.index] = (stored[n] ?? 0) + entry.earlier;
  });
  return result;
}

interface Screened {
  readonly input: IngestInput;
  prepared: PreparedLead;
  readonly context: AccountContext;
  readonly activityId: string;
  readonly email: string | null;
  readonly phone: string | null;
  readonly fingerprint: string | null;
  /** From an IP past its frequency limit: decided by that limit and the lists alone (see over-limit.ts). */
  readonly overLimit: boolean;
  contactId?: string;
  verdict?: Verdict;
}

/** The lead's render token read once, for the replay claim here and for the check; with its nonce's expiry when valid. */
function readToken(
  item: Screened,
): { reading: RenderTokenReading; nonce?: { nonce: string; expires_at: string } } | undefined {
  const secret = item.context.compiled.renderTokenSecret;
  const token = submittedRenderToken(item.input.lead.renderToken);
  if (!secret || !token) return undefined;
  const reading = readRenderToken(token, secret);
  if (reading.status !== 'valid') return { reading };
  const maxAge = item.context.compiled.settings.renderToken.maxAgeSeconds * 1000;
  return {
    reading,
    nonce: { nonce: reading.nonce, expires_at: new Date(reading.issuedAt + maxAge).toISOString() },
  };
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
    fingerprint: item.fingerprint,
    received_at: at,
    status_changed_at: at,
    call_sid: item.input.callSid ?? null,
  };
}

/**
 * One history line of a lead, written out key by key: on Node 20 an object spread followed by more keys
 * (`{ ...base, id }`) takes a slow path, and the object stringifies slowly after it (about 5 µs a line with its JSON,
 * against 1 µs written out).
 */
function historyRow(
  item: Screened,
  activity: NewActivityRow,
  type: HistoryEventRow['type'],
  detail: HistoryEventRow['detail'],
): HistoryEventRow {
  return {
    id: createOrderedId(),
    account_id: item.input.accountId,
    contact_id: activity.contact_id,
    activity_id: item.activityId,
    type,
    actor_user_id: null,
    via: item.input.via ?? 'system',
    detail,
    at: activity.received_at,
  };
}

function historyRows(item: Screened, verdict: Verdict, activity: NewActivityRow): HistoryEventRow[] {
  const rows = [
    historyRow(item, activity, 'received', {
      formId: item.input.formId,
      channel: activity.channel,
      outcome: verdict.outcome,
      score: verdict.score,
    }),
  ];
  if (verdict.outcome === 'quarantine')
    rows.push(
      historyRow(item, activity, 'quarantined', {
        reason: activity.main_reason,
        decidedBy: verdict.decidedBy,
        signals: verdict.signals.map((s) => ({ check: s.check, score: s.score, reason: s.reason })),
      }),
    );
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

export interface IngestOptions {
  /**
   * Called with the results as soon as the batch is committed, before the statistics and learning that follow;
   * the intake answers its submitters from here.
   */
  readonly onStored?: (outputs: readonly IngestOutput[]) => void;
}

/** Screens and stores a batch in one transaction; the results are in input order. */
export async function ingestLeads(
  deps: ServiceDeps,
  inputs: readonly IngestInput[],
  options: IngestOptions = {},
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
    const fingerprint = contentFingerprint(prepared.freeText) ?? null;
    return {
      input,
      prepared,
      context,
      activityId: createOrderedId(),
      fingerprint,
      overLimit: isOverFrequencyLimit(input.ipCount, context.compiled),
      ...contactKeysOf(prepared),
    };
  });
  const models = await modelsForAccounts(
    deps,
    items.filter((item) => !item.overLimit).map((item) => item.input.accountId),
  );
  const results = await deps.db.transaction(async (tx) => {
    const tokens = items.map(readToken);
    const unique = new Map<string, { nonce: string; expires_at: string }>();
    for (const token of tokens)
      if (token?.nonce && !unique.has(token.nonce.nonce)) unique.set(token.nonce.nonce, token.nonce);
    const replayed = await claimNonces(tx, [...unique.values()]);
    const seen = new Set<string>();
    const activities: NewActivityRow[] = [];
    const history: HistoryEventRow[] = [];
    const deliveries: NewDeliveryRow[] = [];
    await resolveContacts(
      tx,
      items.map((item) => ({
        accountId: item.input.accountId,
        email: item.email,
        phone: item.phone,
        name: item.prepared.name,
        fields: item.input.lead.contact,
      })),
    ).then(({ ids, storedFields }) =>
      ids.forEach((id, index) => {
        const item = items[index] as Screened;
        item.contactId = id;
        const stored = storedFields.get(id);
        // What staff know about the contact (tags, country) counts for segments; the lead's own fields win.
        if (stored)
          item.prepared = {
            ...item.prepared,
            raw: {
              ...item.prepared.raw,
              contact: { ...(stored as ContactFields), ...item.prepared.raw.contact },
            },
          };
      }),
    );
    const otherSenders = await countOtherSenders(tx, items, nowOf(deps));
    items.forEach((item, index) => {
      const token = tokens[index];
      const nonce = token?.nonce?.nonce;
      // The first use in this batch claimed the nonce; any later one in the batch is a replay too.
      const tokenReplayed = nonce !== undefined && (replayed.has(nonce) || seen.has(nonce));
      if (nonce) seen.add(nonce);
      const facts = {
        now: item.input.receivedAt.getTime(),
        ipCount: item.input.ipCount,
        tokenReplayed,
        renderToken: token?.reading,
        sameBodyOtherSenders: otherSenders[index],
        contactQuarantined: item.input.contactQuarantined,
      };
      const verdict = item.overLimit
        ? screenOverLimit(item.prepared, item.context.compiled, facts)
        : screenPrepared(item.prepared, item.context.compiled, facts, {
            model: models.get(item.input.accountId) ?? deps.model,
          });
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
    await insertLeadRows(tx, { activities, history, deliveries });
    return items.map((item) => ({
      activityId: item.activityId,
      contactId: item.contactId ?? '',
      verdict: item.verdict as Verdict,
    }));
  });
  options.onStored?.(results);
  await countHits(deps.db, items);
  // An over-limit lead was never classified, and one sender repeating itself must not weigh thousands of times.
  await learnVerdicts(
    deps,
    items
      .filter((item) => !item.overLimit)
      .map((item) => ({
        accountId: item.input.accountId,
        prepared: item.prepared,
        verdict: item.verdict as Verdict,
      })),
  );
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
