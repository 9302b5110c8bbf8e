// One job definition per delivery kind: a payload schema plus an idempotent handler that makes one attempt and reports it.
import { z } from 'zod';
import { buildAdfEmail, buildAdfXml, postAdf, splitFullName } from '../integrations/adf.ts';
import type { AdfVehicle } from '../integrations/adf.ts';
import { buildSpamLinkUrl, createSpamLinkToken } from '../integrations/email-link.ts';
import { buildReplyAddress, createReplyToken } from '../integrations/reply-flag.ts';
import { buildWebhookPayload, sendWebhook, webhookEvents } from '../integrations/webhooks.ts';
import { fromHttp, leadGone, mailHost, messageIdFor, permanent, sendMail } from './delivery-job-kit.ts';
import type { DeliveryJobDeps, DeliveryKind, DeliveryOutcome } from './delivery-job-kit.ts';
import { defineJob, runJob } from './job-definition.ts';
import { buildAutoresponderEmail, buildNotificationEmail, leadEventData } from './messages.ts';
import type { DeliveryLead } from './messages.ts';

export { deliveryKinds } from './delivery-job-kit.ts';
export type {
  DeliveryContext,
  DeliveryDeps,
  DeliveryJobDeps,
  DeliveryKind,
  DeliveryOutcome,
  WebhookEndpoint,
} from './delivery-job-kit.ts';

export const notificationJob = defineJob({
  id: 'delivery.notification',
  version: 1,
  payload: z.object({ recipient: z.string().min(3).max(254) }),
  async handle(payload, deps: DeliveryJobDeps) {
    const { lead, now, idempotencyKey } = deps.context;
    if (!lead) return leadGone;
    const token = createSpamLinkToken({
      secret: deps.secretKey,
      accountId: lead.accountId,
      leadId: lead.id,
      recipient: payload.recipient,
      now: now.getTime(),
    });
    const replyAddress = deps.replyDomain
      ? buildReplyAddress(createReplyToken({ secret: deps.secretKey, leadId: lead.id }), deps.replyDomain)
      : undefined;
    return sendMail(
      deps,
      buildNotificationEmail({
        lead,
        from: deps.mailFrom,
        recipients: [payload.recipient],
        spamLinkUrl: buildSpamLinkUrl(deps.publicUrl, token),
        replyAddress,
        messageId: messageIdFor(idempotencyKey, mailHost(deps)),
      }),
    );
  },
});

export const autoresponderJob = defineJob({
  id: 'delivery.autoresponder',
  version: 1,
  // The form's autoresponder settings as stored; unknown keys are ignored, missing text gets a plain default.
  payload: z.looseObject({
    subject: z.string().max(250).optional(),
    text: z.string().max(20_000).optional(),
    body: z.string().max(20_000).optional(),
    fromName: z.string().max(100).optional(),
    replyTo: z.string().max(254).optional(),
  }),
  async handle(payload, deps: DeliveryJobDeps) {
    const { lead, idempotencyKey } = deps.context;
    if (!lead) return leadGone;
    const mail = buildAutoresponderEmail({
      lead,
      from: deps.mailFrom,
      settings: {
        subject: payload.subject?.trim() || 'Thanks for getting in touch',
        text:
          payload.text?.trim() ||
          payload.body?.trim() ||
          'Hi {name},\n\nThanks for your message. We will get back to you soon.',
        fromName: payload.fromName,
        replyTo: payload.replyTo,
      },
      messageId: messageIdFor(idempotencyKey, mailHost(deps)),
    });
    return mail ? sendMail(deps, mail) : permanent('the submitter gave no valid email address');
  },
});

/** The vehicle of interest from the form's fields (`vehicle: {...}` or flat `year`/`make`/`model`/...), when it has one. */
export function findVehicle(fields: Readonly<Record<string, unknown>> | undefined): AdfVehicle | undefined {
  if (!fields) return undefined;
  const nested = fields.vehicle;
  const source = nested && typeof nested === 'object' ? (nested as Record<string, unknown>) : fields;
  const text = (key: string) => {
    const value = source[key] ?? source[`vehicle_${key}`];
    return typeof value === 'string' || typeof value === 'number'
      ? String(value).trim() || undefined
      : undefined;
  };
  const vehicle = {
    year: text('year'),
    make: text('make'),
    model: text('model'),
    trim: text('trim'),
    vin: text('vin'),
    stock: text('stock'),
  };
  if (!vehicle.make && !vehicle.model && !vehicle.vin && !vehicle.stock) return undefined;
  const status = text('status')?.toLowerCase();
  return { ...vehicle, interest: 'buy', status: status === 'new' || status === 'used' ? status : undefined };
}

async function adfFor(lead: DeliveryLead, deps: DeliveryJobDeps): Promise<string> {
  const names = splitFullName(lead.name ?? '');
  return buildAdfXml({
    id: lead.id,
    source: lead.formName,
    requestDate: lead.receivedAt,
    firstName: names.first,
    lastName: names.last,
    email: lead.email,
    phone: lead.phone,
    comments: [lead.subject, lead.message].filter(Boolean).join('\n'),
    vehicle: findVehicle(lead.fields),
    vendorName: await deps.vendorName(lead.accountId),
    provider: { name: 'LeadGuard', service: lead.formName, url: deps.publicUrl },
  });
}

export const crmEmailJob = defineJob({
  id: 'delivery.crm_email',
  version: 1,
  payload: z.object({ to: z.string().min(3).max(254) }),
  async handle(payload, deps: DeliveryJobDeps) {
    const { lead, idempotencyKey } = deps.context;
    if (!lead) return leadGone;
    const xml = await adfFor(lead, deps);
    return sendMail(
      deps,
      buildAdfEmail({
        xml,
        to: payload.to,
        from: deps.mailFrom,
        messageId: messageIdFor(idempotencyKey, mailHost(deps)),
      }),
    );
  },
});

export const crmHttpJob = defineJob({
  id: 'delivery.crm_http',
  version: 1,
  payload: z.object({ url: z.string().min(8).max(2000) }),
  async handle(payload, deps: DeliveryJobDeps) {
    const { lead, idempotencyKey } = deps.context;
    if (!lead) return leadGone;
    const xml = await adfFor(lead, deps);
    return fromHttp(
      await postAdf({
        url: payload.url,
        xml,
        idempotencyKey,
        guard: deps.guard,
        timeoutMs: deps.httpTimeoutMs,
      }),
    );
  },
});

export const webhookJob = defineJob({
  id: 'delivery.webhook',
  version: 1,
  payload: z.object({
    endpointId: z.string().min(1).max(100),
    event: z.enum(webhookEvents),
    /** When the event happened; the payload's timestamp, stable across retries. */
    occurredAt: z.string().datetime(),
    /** Event data captured at enqueue time (a deleted lead has nothing left to read). */
    data: z.record(z.string(), z.unknown()),
  }),
  async handle(payload, deps: DeliveryJobDeps) {
    const { accountId, idempotencyKey, now, lead } = deps.context;
    const endpoint = await deps.findWebhookEndpoint(accountId, payload.endpointId);
    // lead.created carries the lead itself, read at send time; later events carry what was captured when they happened.
    const data =
      payload.event === 'lead.created' && lead ? { ...leadEventData(lead), ...payload.data } : payload.data;
    if (!endpoint || !endpoint.enabled) return permanent('the webhook endpoint was removed or disabled');
    return fromHttp(
      await sendWebhook({
        url: endpoint.url,
        secret: endpoint.secret,
        messageId: idempotencyKey,
        payload: buildWebhookPayload(payload.event, data, new Date(payload.occurredAt)),
        sentAt: now,
        guard: deps.guard,
        timeoutMs: deps.httpTimeoutMs,
      }),
    );
  },
});

/** Runs the job for a delivery's kind on its stored payload; a payload that does not parse is a `JobPayloadError`. */
export function runDeliveryJob(
  kind: DeliveryKind,
  payload: unknown,
  deps: DeliveryJobDeps,
): Promise<DeliveryOutcome> {
  switch (kind) {
    case 'notification':
      return runJob(notificationJob, payload, deps);
    case 'autoresponder':
      return runJob(autoresponderJob, payload, deps);
    case 'crm_email':
      return runJob(crmEmailJob, payload, deps);
    case 'crm_http':
      return runJob(crmHttpJob, payload, deps);
    case 'webhook':
      return runJob(webhookJob, payload, deps);
  }
}
