// Use cases behind the email-flag, voice and delivery routes: spam links, calls, resending and listing a lead's deliveries.
import { z } from 'zod';
import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import { findAccountById, findFormByPublicKey, updateAccountSettings } from '../db/repositories/accounts.ts';
import { findActivity, findCallBySid } from '../db/repositories/activities.ts';
import {
  findCallerLatestStatus,
  isNonceClaimed,
  lockAccountSettings,
} from '../db/repositories/integration-rows.ts';
import { prepareLead } from '../engine/prepare.ts';
import type { Lead, Verdict } from '../engine/types.ts';
import type {
  IntegrationServices,
  SpamLinkCheck,
  VoiceForm,
  VoiceSettingsChange,
  VoiceSettingsView,
} from '../http/integration-port.ts';
import type { IngestResult, PublicForm } from '../http/services-port.ts';
import { readSpamLinkToken } from '../integrations/email-link.ts';
import { resendDelivery } from '../jobs/delivery-repository.ts';
import { listLeadDeliveries } from '../jobs/delivery-reads.ts';
import { useSpamLink, wasNotified } from '../jobs/email-flag.ts';
import { isUuid } from './auth.ts';
import { contactKeysOf } from './contacts-for-leads.ts';
import { nowOf } from './deps.ts';
import type { ServiceDeps } from './deps.ts';
import { ServiceError, isUniqueViolation } from './errors.ts';
import { ingestLead } from './ingest.ts';
import { markSpam } from './review.ts';
import { createWebhookEndpointServices } from './webhook-endpoints.ts';

/** How `useSpamLink` stores a used link's nonce; the confirmation page reads the same key without claiming it. */
const spamLinkNonceKey = (nonce: string) => `spam-link:${nonce}`;

/**
 * Call settings in the account's (or form's) settings JSON under `voice`; the engine's layer schema ignores the key.
 * An unreadable value counts as unset rather than failing the call.
 */
const voiceSettingsSchema = z.object({
  forwardingNumber: z.string().trim().min(1).max(40).optional().catch(undefined),
  twilioAuthToken: z.string().trim().min(1).max(200).optional().catch(undefined),
});

export function readVoiceSettings(settings: unknown): z.infer<typeof voiceSettingsSchema> {
  const voice =
    settings && typeof settings === 'object' ? (settings as { voice?: unknown }).voice : undefined;
  const parsed = voiceSettingsSchema.safeParse(voice ?? {});
  return parsed.success ? parsed.data : {};
}

const viewOf = (settings: unknown): VoiceSettingsView => {
  const voice = readVoiceSettings(settings);
  return {
    forwardingNumber: voice.forwardingNumber,
    hasTwilioAuthToken: voice.twilioAuthToken !== undefined,
  };
};

/** The forwarding number in E.164, or a ServiceError saying what to fix (a bad one would turn every call away). */
function checkForwardingNumber(value: string): string {
  const parsed = parsePhoneNumberFromString(value.trim(), 'US');
  if (!parsed?.isValid())
    throw new ServiceError(
      'invalid_input',
      'forwardingNumber: not a valid phone number (e.g. +1 415 555 0199)',
    );
  return parsed.number;
}

function applyVoiceChange(settings: unknown, change: VoiceSettingsChange): Record<string, unknown> {
  const base = settings && typeof settings === 'object' ? (settings as Record<string, unknown>) : {};
  const voice: Record<string, unknown> = { ...readVoiceSettings(base) };
  if (change.forwardingNumber === null) delete voice.forwardingNumber;
  else if (change.forwardingNumber !== undefined)
    voice.forwardingNumber = checkForwardingNumber(change.forwardingNumber);
  if (change.twilioAuthToken === null) delete voice.twilioAuthToken;
  else if (change.twilioAuthToken !== undefined) {
    const token = change.twilioAuthToken.trim();
    if (token.length === 0 || token.length > 200)
      throw new ServiceError('invalid_input', 'twilioAuthToken: 1 to 200 characters');
    voice.twilioAuthToken = token;
  }
  return { ...base, voice };
}

interface VoicePublicForm extends PublicForm {
  readonly formId: string;
}

export function createIntegrationServices(deps: ServiceDeps): IntegrationServices {
  /** The call already stored for this CallSid, with the verdict its first answer came from. */
  const findStoredCall = async (accountId: string, callSid: string): Promise<IngestResult | undefined> => {
    const row = await findCallBySid(deps.db, accountId, callSid);
    return row && { activityId: row.id, verdict: row.verdict as Verdict };
  };

  return {
    ...createWebhookEndpointServices(deps),

    async checkSpamLink(token, secret, now): Promise<SpamLinkCheck> {
      const read = readSpamLinkToken(token, { secret, now: now.getTime() });
      if (read.status !== 'valid') return { status: read.status };
      if (!isUuid(read.accountId) || !isUuid(read.leadId)) return { status: 'not_found' };
      if (await isNonceClaimed(deps.db, spamLinkNonceKey(read.nonce))) return { status: 'reused' };
      if (!(await wasNotified(deps.db, read.accountId, read.leadId, read.recipient)))
        return { status: 'not_recipient' };
      const row = await findActivity(deps.db, read.accountId, read.leadId);
      if (!row) return { status: 'not_found' };
      return {
        status: 'valid',
        recipient: read.recipient,
        lead: {
          name: row.name ?? undefined,
          email: row.email ?? undefined,
          phone: row.phone ?? undefined,
          formName: row.form_name ?? undefined,
          receivedAt: new Date(row.received_at).toISOString(),
          status: row.status,
        },
      };
    },

    useSpamLink(token, secret, now) {
      // The nonce is burnt in the transaction that marks the lead, so a failed mark leaves the link usable.
      return deps.db.transaction(async (tx) => {
        const used = await useSpamLink(tx, token, { secret, now });
        if (used.status !== 'flag') return { status: used.status };
        if (!isUuid(used.accountId) || !isUuid(used.leadId)) return { status: 'not_found' as const };
        const marked = await markSpam(
          { ...deps, db: tx },
          used.accountId,
          used.leadId,
          { userId: null, via: 'email_link' },
          `marked spam by email by ${used.recipient}`,
        );
        return marked
          ? { status: 'flagged' as const, recipient: used.recipient }
          : { status: 'not_found' as const };
      });
    },

    async findVoiceForm(formKey): Promise<VoiceForm | undefined> {
      if (formKey.length > 200) return undefined;
      const row = await findFormByPublicKey(deps.db, formKey);
      if (!row) return undefined;
      const account = await findAccountById(deps.db, row.account_id);
      const fromAccount = readVoiceSettings(row.account_settings);
      const fromForm = readVoiceSettings(row.settings);
      const form: VoicePublicForm = {
        formId: row.id,
        formKey: row.public_key,
        accountId: row.account_id,
        siteDomains: [...new Set([...row.site_domains, ...(account?.site_domains ?? [])])],
        honeypotField: row.honeypot_field,
        thankYouUrl: row.thank_you_url ?? undefined,
      };
      return {
        form,
        twilioAuthToken: fromForm.twilioAuthToken ?? fromAccount.twilioAuthToken,
        forwardingNumber: fromForm.forwardingNumber ?? fromAccount.forwardingNumber,
      };
    },

    async getVoiceSettings(accountId) {
      if (!isUuid(accountId)) return undefined;
      const account = await findAccountById(deps.db, accountId);
      return account && viewOf(account.settings);
    },

    async setVoiceSettings(accountId, change) {
      if (!isUuid(accountId)) return undefined;
      return deps.db.transaction(async (tx) => {
        const current = await lockAccountSettings(tx, accountId);
        if (!current) return undefined;
        const settings = applyVoiceChange(current, change);
        await updateAccountSettings(tx, accountId, { settings });
        return viewOf(settings);
      });
    },

    async ingestCall({ form, lead, receivedAt, callSid }) {
      // Twilio retries a webhook it got no answer to: the retry gets the first answer, and the call is stored once.
      const stored = await findStoredCall(form.accountId, callSid);
      if (stored) return stored;
      const formId =
        (form as Partial<VoicePublicForm>).formId ?? (await findFormByPublicKey(deps.db, form.formKey))?.id;
      const call: Lead = { ...lead, channel: 'call' };
      // A withheld caller ID carries no phone, so it never matches a contact (or a rule) by number.
      const phoneKey = contactKeysOf(prepareLead(call)).phone;
      const latest = phoneKey ? await findCallerLatestStatus(deps.db, form.accountId, phoneKey) : undefined;
      try {
        const result = await ingestLead(deps, {
          accountId: form.accountId,
          formId: formId ?? null,
          lead: call,
          kind: 'call',
          receivedAt,
          contactQuarantined: latest === 'quarantined',
          callSid,
        });
        return { activityId: result.activityId, verdict: result.verdict };
      } catch (error) {
        // A retry that raced the first request here: the unique index kept one call; answer with it.
        const raced = isUniqueViolation(error) ? await findStoredCall(form.accountId, callSid) : undefined;
        if (raced) return raced;
        throw error;
      }
    },

    async resendDelivery(accountId, deliveryId) {
      if (!isUuid(accountId) || !isUuid(deliveryId)) return false;
      return resendDelivery(deps.db, accountId, deliveryId, nowOf(deps));
    },

    async listLeadDeliveries(accountId, leadId) {
      if (!isUuid(accountId) || !isUuid(leadId)) return undefined;
      if (!(await findActivity(deps.db, accountId, leadId))) return undefined;
      const deliveries = await listLeadDeliveries(deps.db, accountId, leadId);
      return deliveries.map((d) => ({
        ...d,
        nextAttemptAt: d.nextAttemptAt.toISOString(),
        sentAt: d.sentAt?.toISOString() ?? null,
        history: d.history.map((h) => ({ ...h, at: h.at.toISOString() })),
      }));
    },
  };
}
