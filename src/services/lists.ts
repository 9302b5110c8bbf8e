// Rules, keywords, segments and forms: one CRUD shape for the API, normalised values, a history line and a config bump per change.
import { createOrderedId } from './ordered-id.ts';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  bumpConfigVersion,
  findFormById,
  listForms,
  softDeleteForm,
  updateForm,
} from '../db/repositories/accounts.ts';
import type { FormRow } from '../db/repositories/accounts.ts';
import { insertHistoryEvents } from '../db/repositories/history.ts';
import { toIso } from '../db/repositories/insert-rows.ts';
import {
  deleteKeyword,
  deleteRule,
  deleteSegment,
  insertKeyword,
  insertRule,
  insertSegment,
  listKeywords,
  listRules,
  listSegments,
  updateKeyword,
  updateRule,
  updateSegment,
} from '../db/repositories/rules.ts';
import type { KeywordRow, RuleRow, SegmentRow } from '../db/repositories/rules.ts';
import type { Db } from '../db/database.ts';
import { layerSchema, ruleSchema, segmentSchema } from '../engine/config.ts';
import type { RuleDimension } from '../engine/config.ts';
import { normalizeDomainRule, normalizeEmailRule } from '../engine/rule-index.ts';
import { createForm } from './accounts.ts';
import { isUuid } from './auth.ts';
import { afterConfigChange } from './account-config.ts';
import { nowOf } from './deps.ts';
import type { ActorRef, ServiceDeps } from './deps.ts';
import { ServiceError, isUniqueViolation } from './errors.ts';

export type ItemKind = 'rules' | 'keywords' | 'segments' | 'forms';

/** Phone rules keep digits only, email and domain rules are lower-cased: the value matches what the engine compares. */
export function normalizeRuleValue(dimension: RuleDimension, value: string): string {
  const trimmed = value.trim();
  let normalized: string;
  if (dimension === 'email') normalized = normalizeEmailRule(trimmed);
  else if (dimension === 'domain') normalized = normalizeDomainRule(trimmed);
  else if (dimension === 'phone' || dimension === 'area_code') normalized = trimmed.replace(/\D/g, '');
  else normalized = trimmed;
  if (!normalized) throw new ServiceError('invalid_input', `value: not a usable ${dimension}`);
  if (dimension === 'area_code' && normalized.length !== 3)
    throw new ServiceError('invalid_input', 'value: an area code has 3 digits');
  return normalized;
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ServiceError(
      'invalid_input',
      `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return result.data;
}

export const ruleView = (row: RuleRow) => ({
  id: row.id,
  action: row.action,
  dimension: row.dimension,
  value: row.value,
  note: row.note,
  hitCount: row.hit_count,
  createdBy: row.created_by,
  createdAt: toIso(row.created_at),
});
const keywordView = (row: KeywordRow) => ({
  id: row.id,
  phrase: row.phrase,
  note: row.note,
  hitCount: row.hit_count,
  createdAt: toIso(row.created_at),
});
const segmentView = (row: SegmentRow) => ({ id: row.id, ...row.definition, name: row.name });
export const formView = (row: FormRow) => ({
  id: row.id,
  formKey: row.public_key,
  name: row.name,
  siteDomains: row.site_domains,
  honeypotField: row.honeypot_field,
  thankYouUrl: row.thank_you_url,
  notificationRecipients: row.notification_recipients,
  autoresponder: row.autoresponder_enabled,
  settings: visibleSettings(row.settings),
  crmTargets: row.crm_targets,
});

/** A form's settings as shown (and written to history): the Twilio auth token is write-only, only its presence shows. */
function visibleSettings(settings: Record<string, unknown>): Record<string, unknown> {
  const voice = settings.voice as Record<string, unknown> | undefined;
  if (!voice || typeof voice !== 'object' || !('twilioAuthToken' in voice)) return settings;
  const { twilioAuthToken: _secret, ...rest } = voice;
  return { ...settings, voice: { ...rest, hasTwilioAuthToken: true } };
}

const keywordBody = z.object({
  phrase: z.string().trim().min(1).max(200),
  note: z.string().max(1000).optional(),
});
const formBody = z.object({
  name: z.string().trim().min(1).max(200),
  siteDomains: z.array(z.string().trim().min(1).max(253)).max(100).optional(),
  honeypotField: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_-]{2,63}$/)
    .optional(),
  thankYouUrl: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .optional(),
  settings: layerSchema.optional(),
  notificationRecipients: z.array(z.email()).max(50).optional(),
  autoresponder: z.boolean().optional(),
  crmTargets: z.array(z.record(z.string(), z.unknown())).max(20).optional(),
});
const defaultAutoresponder = {
  subject: 'Thank you for your message',
  text: 'We received your message and will get back to you soon.',
};

async function recordChange(
  db: Db,
  accountId: string,
  actor: ActorRef,
  at: Date,
  type: string,
  detail: Record<string, unknown>,
) {
  await insertHistoryEvents(db, [
    {
      id: createOrderedId(),
      account_id: accountId,
      contact_id: null,
      activity_id: null,
      type,
      actor_user_id: actor.userId,
      via: actor.via,
      detail,
      at: at.toISOString(),
    },
  ]);
}

export async function listItems(
  deps: Pick<ServiceDeps, 'db'>,
  kind: ItemKind,
  accountId: string,
  text?: string,
): Promise<Record<string, unknown>[]> {
  const q = text?.trim() || undefined;
  if (kind === 'rules') return (await listRules(deps.db, accountId, q)).map(ruleView);
  if (kind === 'keywords') return (await listKeywords(deps.db, accountId, q)).map(keywordView);
  if (kind === 'segments') return (await listSegments(deps.db, accountId, q)).map(segmentView);
  const forms = await listForms(deps.db, accountId);
  return forms.filter((form) => !q || form.name.toLowerCase().includes(q.toLowerCase())).map(formView);
}

export async function createItem(
  deps: ServiceDeps,
  kind: ItemKind,
  accountId: string,
  body: Record<string, unknown>,
  actor: ActorRef,
): Promise<Record<string, unknown>> {
  const at = nowOf(deps);
  return afterConfigChange(
    deps,
    [accountId],
    deps.db.transaction(async (tx) => {
      let created: Record<string, unknown>;
      if (kind === 'rules') {
        const input = parse(ruleSchema.omit({ id: true }), body);
        const row = await insertRule(tx, {
          id: randomUUID(),
          account_id: accountId,
          action: input.action,
          dimension: input.dimension,
          value: normalizeRuleValue(input.dimension, input.value),
          note: input.note ?? null,
          created_by: actor.userId,
        });
        if (!row) throw new ServiceError('conflict', 'the same rule already exists');
        created = ruleView(row);
      } else if (kind === 'keywords') {
        const input = parse(keywordBody, body);
        const row = await insertKeyword(tx, {
          id: randomUUID(),
          account_id: accountId,
          phrase: input.phrase,
          note: input.note ?? null,
          created_by: actor.userId,
        });
        if (!row) throw new ServiceError('conflict', 'the same keyword already exists');
        created = keywordView(row);
      } else if (kind === 'segments') {
        const input = parse(segmentSchema, body);
        const { name, ...definition } = input;
        const row = await insertSegment(tx, { id: randomUUID(), account_id: accountId, name, definition });
        if (!row) throw new ServiceError('conflict', `a segment named ${name} already exists`);
        created = segmentView(row);
      } else {
        const input = parse(formBody, body);
        const row = await createForm({ db: tx }, accountId, {
          ...input,
          autoresponderEnabled: input.autoresponder,
          autoresponder: input.autoresponder ? defaultAutoresponder : null,
        });
        created = formView(row);
      }
      await bumpConfigVersion(tx, accountId);
      await recordChange(tx, accountId, actor, at, `${kind.replace(/s$/, '')}_added`, created);
      return created;
    }),
  );
}

export async function updateItem(
  deps: ServiceDeps,
  kind: ItemKind,
  accountId: string,
  id: string,
  body: Record<string, unknown>,
  actor: ActorRef,
): Promise<Record<string, unknown> | undefined> {
  if (!isUuid(id)) return undefined;
  const at = nowOf(deps);
  return afterConfigChange(
    deps,
    [accountId],
    deps.db.transaction(async (tx) => {
      let updated: Record<string, unknown> | undefined;
      if (kind === 'rules') {
        const input = parse(ruleSchema.omit({ id: true }).partial(), body);
        const current = (await listRules(tx, accountId)).find((rule) => rule.id === id);
        if (!current) return undefined;
        if (input.dimension && input.dimension !== current.dimension)
          throw new ServiceError(
            'invalid_input',
            'dimension: a rule keeps its dimension; delete it and add a new one',
          );
        const row = await updateRule(tx, accountId, id, {
          action: input.action,
          value: input.value === undefined ? undefined : normalizeRuleValue(current.dimension, input.value),
          note: input.note,
        }).catch((error: unknown) => {
          throw isUniqueViolation(error)
            ? new ServiceError('conflict', 'the same rule already exists')
            : error;
        });
        updated = row && ruleView(row);
      } else if (kind === 'keywords') {
        const input = parse(keywordBody.partial(), body);
        const row = await updateKeyword(tx, accountId, id, input).catch((error: unknown) => {
          throw isUniqueViolation(error)
            ? new ServiceError('conflict', 'the same keyword already exists')
            : error;
        });
        updated = row && keywordView(row);
      } else if (kind === 'segments') {
        const input = parse(segmentSchema.partial(), body);
        const current = (await listSegments(tx, accountId)).find((segment) => segment.id === id);
        if (!current) return undefined;
        const { name, ...rest } = input;
        const definition = Object.keys(rest).length > 0 ? { ...current.definition, ...rest } : undefined;
        const row = await updateSegment(tx, accountId, id, { name, definition }).catch((error: unknown) => {
          throw isUniqueViolation(error)
            ? new ServiceError('conflict', 'a segment with that name exists')
            : error;
        });
        updated = row && segmentView(row);
      } else {
        const input = parse(formBody.partial(), body);
        const current = await findFormById(tx, accountId, id);
        if (!current) return undefined;
        const row = await updateForm(tx, accountId, id, {
          name: input.name,
          site_domains: input.siteDomains?.map((domain) => normalizeDomainRule(domain)),
          // Settings given replace theirs key by key; keys not given (the call settings under `voice`, which the
          // layer schema does not know and so never lets through) are kept.
          settings: input.settings && { ...current.settings, ...input.settings },
          honeypot_field: input.honeypotField,
          thank_you_url: input.thankYouUrl,
          notification_recipients: input.notificationRecipients?.map((email) => email.toLowerCase()),
          autoresponder_enabled: input.autoresponder,
          autoresponder: input.autoresponder && !current.autoresponder ? defaultAutoresponder : undefined,
          crm_targets: input.crmTargets,
        });
        updated = row && formView(row);
      }
      if (!updated) return undefined;
      await bumpConfigVersion(tx, accountId);
      await recordChange(tx, accountId, actor, at, `${kind.replace(/s$/, '')}_changed`, updated);
      return updated;
    }),
  );
}

export async function deleteItem(
  deps: ServiceDeps,
  kind: ItemKind,
  accountId: string,
  id: string,
  actor: ActorRef,
): Promise<boolean> {
  if (!isUuid(id)) return false;
  const at = nowOf(deps);
  return afterConfigChange(
    deps,
    [accountId],
    deps.db.transaction(async (tx) => {
      let deleted: boolean;
      if (kind === 'rules') {
        const row = await deleteRule(tx, accountId, id);
        deleted = row !== undefined;
      } else if (kind === 'keywords') deleted = await deleteKeyword(tx, accountId, id);
      else if (kind === 'segments') deleted = await deleteSegment(tx, accountId, id);
      else deleted = await softDeleteForm(tx, accountId, id, at);
      if (!deleted) return false;
      await bumpConfigVersion(tx, accountId);
      await recordChange(tx, accountId, actor, at, `${kind.replace(/s$/, '')}_deleted`, { id });
      return true;
    }),
  );
}
