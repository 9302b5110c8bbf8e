// What every delivery job shares: its outcome type, its dependencies, and sending one email as one recorded attempt.
import { performance } from 'node:perf_hooks';
import type { HttpAttempt } from '../integrations/http-post.ts';
import { toSnippet } from '../integrations/http-post.ts';
import { MailError } from '../integrations/mailer.ts';
import type { Mailer, OutgoingMail } from '../integrations/mailer.ts';
import type { UrlGuardOptions } from '../integrations/url-guard.ts';
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

export type DeliveryJobDeps = DeliveryDeps & { readonly context: DeliveryContext };

export function fromHttp(attempt: HttpAttempt): DeliveryOutcome {
  return {
    ok: attempt.ok,
    retryable: attempt.retryable,
    statusCode: attempt.status,
    snippet: attempt.snippet,
    durationMs: attempt.durationMs,
    error: attempt.ok ? undefined : (attempt.error ?? 'http_status'),
  };
}

export const permanent = (snippet: string): DeliveryOutcome => ({
  ok: false,
  retryable: false,
  statusCode: undefined,
  snippet,
  durationMs: 0,
  error: 'undeliverable',
});

/** A stable Message-ID per delivery, so a resent message is recognisably the same one. */
export function messageIdFor(key: string, host: string): string {
  return `<${key.replace(/[^A-Za-z0-9._-]/g, '')}@${host}>`;
}

export async function sendMail(deps: DeliveryJobDeps, mail: OutgoingMail): Promise<DeliveryOutcome> {
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

export function mailHost(deps: DeliveryDeps): string {
  return deps.mailFrom.split('@')[1] ?? 'leadguard.invalid';
}

export const leadGone = permanent('the lead no longer exists');
