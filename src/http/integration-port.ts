// What the email-flag, voice and delivery routes need from the services, beyond the main port; optional, like the panel's.
import type { Lead } from '../engine/types.ts';
import { HttpError } from './errors.ts';
import type { HttpServices, IngestResult, PublicForm } from './services-port.ts';

/** What the confirmation page shows about the lead a spam link names. */
export interface SpamLinkLead {
  readonly name: string | undefined;
  readonly email: string | undefined;
  readonly phone: string | undefined;
  readonly formName: string | undefined;
  readonly receivedAt: string;
  readonly status: 'active' | 'quarantined' | 'deleted';
}

/** Why a spam link changes nothing: each gets its own page. */
export type SpamLinkRefusal = 'expired' | 'tampered' | 'malformed' | 'reused' | 'not_recipient' | 'not_found';

export type SpamLinkCheck =
  | { readonly status: 'valid'; readonly recipient: string; readonly lead: SpamLinkLead }
  | { readonly status: SpamLinkRefusal };

export type SpamLinkUse =
  { readonly status: 'flagged'; readonly recipient: string } | { readonly status: SpamLinkRefusal };

/** A form reached by the voice webhook, with the account's call settings (the form's override the account's). */
export interface VoiceForm {
  readonly form: PublicForm;
  readonly twilioAuthToken: string | undefined;
  readonly forwardingNumber: string | undefined;
}

/** An account's call settings as the API shows them: the Twilio token is write-only. */
export interface VoiceSettingsView {
  readonly forwardingNumber: string | undefined;
  readonly hasTwilioAuthToken: boolean;
}

/** A change to the call settings: a value sets it, null clears it, absent leaves it. */
export interface VoiceSettingsChange {
  readonly forwardingNumber?: string | null;
  readonly twilioAuthToken?: string | null;
}

/** A webhook endpoint as the API shows it; the signing secret appears once, when it is created. */
export interface WebhookEndpointView {
  readonly id: string;
  readonly url: string;
  readonly events: readonly string[];
  readonly enabled: boolean;
  readonly createdAt: string;
}

export interface WebhookEndpointChange {
  readonly url?: string;
  readonly events?: readonly string[];
  readonly enabled?: boolean;
}

export interface IntegrationServices {
  /** Reads a spam link for its confirmation page; changes nothing (link scanners open links). */
  checkSpamLink(token: unknown, secret: string, now: Date): Promise<SpamLinkCheck>;
  /** Uses a spam link once: marks the lead spam ("marked spam by email by <recipient>") in the transaction that burns it. */
  useSpamLink(token: unknown, secret: string, now: Date): Promise<SpamLinkUse>;
  findVoiceForm(formKey: string): Promise<VoiceForm | undefined>;
  getVoiceSettings(accountId: string): Promise<VoiceSettingsView | undefined>;
  /** Validates the forwarding number (a ServiceError names what is wrong); undefined when the account does not exist. */
  setVoiceSettings(accountId: string, change: VoiceSettingsChange): Promise<VoiceSettingsView | undefined>;
  /**
   * Screens and stores a call (channel `call`); a caller whose contact is in quarantine is quarantined. A CallSid
   * already stored for the account returns that call and its verdict, storing nothing (Twilio retries webhooks).
   */
  ingestCall(input: {
    readonly form: PublicForm;
    readonly lead: Lead;
    readonly receivedAt: Date;
    readonly callSid: string;
  }): Promise<IngestResult>;
  listWebhookEndpoints(accountId: string): Promise<readonly WebhookEndpointView[]>;
  /** Checks the URL with the outbound guard (a ServiceError says what is wrong); the secret is returned this once. */
  createWebhookEndpoint(
    accountId: string,
    input: WebhookEndpointChange & { readonly url: string; readonly events: readonly string[] },
    options: { readonly allowPrivateUrls: boolean },
  ): Promise<WebhookEndpointView & { readonly secret: string }>;
  updateWebhookEndpoint(
    accountId: string,
    id: string,
    change: WebhookEndpointChange,
    options: { readonly allowPrivateUrls: boolean },
  ): Promise<WebhookEndpointView | undefined>;
  deleteWebhookEndpoint(accountId: string, id: string): Promise<boolean>;
  getHoldMinutes(accountId: string): Promise<number | undefined>;
  /** The hold window for CRM exports and webhooks (0 to 10080 minutes); false when the account does not exist. */
  setHoldMinutes(accountId: string, minutes: number): Promise<boolean>;
  /** A failed delivery back to pending; false when the account has no failed delivery with this id. */
  resendDelivery(accountId: string, deliveryId: string): Promise<boolean>;
  /** A lead's deliveries with every attempt; undefined when the account has no such lead. */
  listLeadDeliveries(
    accountId: string,
    leadId: string,
  ): Promise<readonly Record<string, unknown>[] | undefined>;
}

export type MaybeIntegrationServices = HttpServices & Partial<IntegrationServices>;

/** The named service bound to its object; 503 with a clear message when this server was wired without it. */
export function needIntegration<K extends keyof IntegrationServices>(
  services: MaybeIntegrationServices,
  name: K,
): IntegrationServices[K] {
  const method = services[name];
  if (typeof method !== 'function')
    throw new HttpError('unavailable', `This server has no ${String(name)} service wired.`);
  return method.bind(services) as IntegrationServices[K];
}
