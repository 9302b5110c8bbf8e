// Outgoing webhooks signed per the Standard Webhooks spec (webhook-id, webhook-timestamp, webhook-signature).
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { postHttp } from './http-post.ts';
import type { HttpAttempt } from './http-post.ts';
import type { UrlGuardOptions } from './url-guard.ts';

export const webhookEvents = ['lead.created', 'lead.marked_spam', 'lead.released', 'lead.deleted'] as const;
export type WebhookEvent = (typeof webhookEvents)[number];

export function isWebhookEvent(value: unknown): value is WebhookEvent {
  return typeof value === 'string' && (webhookEvents as readonly string[]).includes(value);
}

/** The JSON body receivers get, in the spec's recommended envelope. */
export interface WebhookPayload<T = unknown> {
  readonly type: WebhookEvent;
  /** ISO 8601, when the event happened. */
  readonly timestamp: string;
  readonly data: T;
}

/** A new endpoint secret in the spec's format: `whsec_` + base64 of 24 random bytes. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

export function buildWebhookPayload<T>(type: WebhookEvent, data: T, occurredAt: Date): WebhookPayload<T> {
  return { type, timestamp: occurredAt.toISOString(), data };
}

export interface SignedWebhook {
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Serialises and signs one message. `messageId` must stay the same across retries of one
 * delivery: it is what receivers deduplicate on (the idempotency key).
 */
export function signWebhook(input: {
  readonly secret: string;
  readonly messageId: string;
  readonly payload: WebhookPayload;
  readonly sentAt: Date;
}): SignedWebhook {
  const body = JSON.stringify(input.payload);
  const signature = new Webhook(input.secret).sign(input.messageId, input.sentAt, body);
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'LeadGuard-Webhooks/1',
      'webhook-id': input.messageId,
      'webhook-timestamp': String(Math.floor(input.sentAt.getTime() / 1000)),
      'webhook-signature': signature,
      'idempotency-key': input.messageId,
    },
  };
}

export interface SendWebhookInput {
  readonly url: string;
  readonly secret: string;
  readonly messageId: string;
  readonly payload: WebhookPayload;
  /** Signing time; the receiver rejects signatures older than its tolerance (5 minutes by default). */
  readonly sentAt: Date;
  readonly timeoutMs?: number;
  readonly maxResponseBytes?: number;
  readonly guard?: UrlGuardOptions;
}

/** Signs and posts one webhook; resolves to the attempt (status, snippet, duration), never throws on delivery failure. */
export async function sendWebhook(input: SendWebhookInput): Promise<HttpAttempt> {
  let signed: SignedWebhook;
  try {
    signed = signWebhook(input);
  } catch {
    // standardwebhooks throws on a secret that is not base64 or empty: a configuration fault, not a delivery one.
    return {
      ok: false,
      status: undefined,
      snippet: 'the endpoint secret is not a valid whsec_ secret',
      durationMs: 0,
      error: 'invalid_request',
      retryable: false,
    };
  }
  return postHttp({
    url: input.url,
    body: signed.body,
    headers: signed.headers,
    timeoutMs: input.timeoutMs,
    maxResponseBytes: input.maxResponseBytes,
    guard: input.guard,
  });
}
