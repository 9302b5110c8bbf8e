// One job definition per delivery kind: a payload schema plus an idempotent handler that makes one attempt and reports it.
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { buildAdfEmail, buildAdfXml, splitFullName } from '../integrations/adf.ts';
import type { AdfVehicle } from '../integrations/adf.ts';
import { buildSpamLinkUrl, createSpamLinkToken } from '../integrations/email-link.ts';
import type { HttpAttempt } from '../integrations/http-post.ts';
import { toSnippet } from '../integrations/http-post.ts';
import { postAdf } from '../integrations/adf.ts';
import { MailError } from '../integrations/mailer.ts';
import type { Mailer, OutgoingMail } from '../integrations/mailer.ts';
import { buildReplyAddress, createReplyToken } from '../integrations/reply-flag.ts';
import type { UrlGuardOptions } from '../integrations/url-guard.ts';
import { buildWebhookPayload, sendWebhook, webhookEvents } from '../integrations/webhooks.ts';
import { defineJob } from './job-definition.ts';
import { buildAutoresponderEmail, buildNotificationEmail, leadEventData } from './messages.ts';
import type { DeliveryLead } from './messages.ts';

export const deliveryKinds = ['notification', 'autoresponder', 'crm_email', 'crm_http', 'webhook'] as const;
export type DeliveryKind = (typeof deliveryKinds)[number];

/** What one attempt came to, as the attempt record stores it. */
export interface DeliveryOutcome {
  readonly ok: boolean;
  /** False when another attempt cannot help (bad address, refused URL, lead gone). */
  readonly retryable: boolean;
  readonly statusCode: number | undefined;
  readonly snippet: string;
  readonly durationMs: number;
  /** Short failure class for the attempt record: timeout, network, blocked_url, http_status, smtp, undeliverable. */
  readonly error?: string;
}

/** A webhook endpoint as configured by the account; the secret never sits in the outbox row. */
export interface WebhookEndpoint {
  readonly url: string;
  readonly secret: string;
  readonly enabled: boolean;
}

export interface DeliveryDeps {
  /** Undefined when SMTP_URL is not set; email deliveries then fail visibly. */
  readonly mailer: Mailer | undefined;
  readonly secretKey: string;
  /** Base of links in emails (the spam-link confirmation page). */
  readonly publicUrl: string;
  readonly mailFrom: string;
  /** Domain of the reply-to-flag listener; no reply address without it. */
  readonly replyDomain?: string;
  readonly guard: UrlGuardOptions;
  readonly httpTimeoutMs?: number;
  readonly findWebhookEndpoint: (
    accountId: string,
    endpointId: string,
  ) => Promise<WebhookEndpoint | undefined>;
  /** Account name, for ADF `<vendor>`. */
  readonly vendorName: (accountId: string) => Promise<string>;
}

/** Per attempt: which delivery, its stable key, and the lead as it is now (undefined once deleted). */
export interface DeliveryContext {
  readonly deliveryId: string;
  readonly accountId: string;
  readonly idempotencyKey: string;
  readonly now: Date;
  readonly lead: DeliveryLead | undefined;
}

type Deps = DeliveryDeps & { readonly context: DeliveryContext };

function fromHttp(attempt: HttpAttempt): DeliveryOutcome {
  return {
    ok: attempt.ok,
    retryable: attempt.retryable,
    statusCode: attempt.status,
    snippet: attempt.snippet,
    durationMs: attempt.durationMs,
    error: attempt.ok ? undefined : (attempt.error ?? 'http_status'),
  };
}

const permanent = (snippet: string): DeliveryOutcome => ({
  ok: false,
  retryable: false,
  statusCode: undefined,
  snippet,
  durationMs: 0,
  error: 'undeliverable',
});

/** A stable Message-ID per delivery, so a resent message is recognisably the same one. */
function messageIdFor(key: string, host: string): string {
  return `<${key.replace(/[^A-Za-z0-9._-]/g, '')}@${host}>`;
}

async function sendMail(deps: Deps, mail: OutgoingMail): Promise<DeliveryOutcome> {
  if (!deps.mailer) return permanent('SMTP is not configured (SMTP_URL)');
  const started = performance.now();
  const durationMs = () => Math.round((performance.now() - started) * 10) / 10;
  try {
    const sent = await deps.mailer.send(mail);
    return {
      ok: true,
      retryable: false,
      statusCode: 250,
      snippet: toSnippet(sent.response),
      durationMs: durationMs(),
    };
  } catch (error) {
    if (error instanceof MailError) return { ...permanent(error.message), durationMs: durationMs() };
    const code = (error as { responseCode?: unknown }).responseCode;
    const statusCode = typeof code === 'number' ? code : undefined;
    // SMTP 5xx is a permanent refusal (no such mailbox); 4xx and connection trouble are worth another try.
    return {
      ok: false,
      retryable: statusCode === undefined || statusCode < 500,
      statusCode,
      snippet: toSnippet(error instanceof Error ? error.message : String(error)),
      durationMs: durationMs(),
      error: 'smtp',
    };
  }
}

function mailHost(deps: DeliveryDeps): string {
  return deps.mailFrom.split('@')[1] ?? 'leadguard.invalid';
}

const leadGone = permanent('the lead no longer exists');

export const notificationJob = defineJob({
  id: 'delivery.notification',
  version: 1,
  payload: z.object({ recipient: z.string().min(3).max(254) }),
  async handle(payload, deps: Deps) {
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
  async handle(payload, deps: Deps) {
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

async function adfFor(lead: DeliveryLead, deps: Deps): Promise<string> {
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
  async handle(payload, deps: Deps) {
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
  async handle(payload, deps: Deps) {
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
  async handle(payload, deps: Deps) {
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

export const deliveryJobs = {
  notification: notificationJob,
  autoresponder: autoresponderJob,
  crm_email: crmEmailJob,
  crm_http: crmHttpJob,
  webhook: webhookJob,
} as const;
