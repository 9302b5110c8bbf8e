// The emails a lead produces: the staff notification (with its "Mark as spam" link and reply address) and the autoresponder.
import type { OutgoingMail } from '../integrations/mailer.ts';
import { sanitizeHeaderText, toSafeAddress } from '../integrations/mailer.ts';

/** What deliveries need to know about one lead, independent of how it is stored. */
export interface DeliveryLead {
  readonly id: string;
  readonly accountId: string;
  readonly formName: string;
  readonly receivedAt: Date;
  readonly name?: string;
  readonly email?: string;
  readonly phone?: string;
  readonly subject?: string;
  readonly message?: string;
  readonly fields?: Readonly<Record<string, unknown>>;
}

/** The data a webhook carries about a lead; captured when the event happens (a deleted lead has nothing left to read). */
export type LeadEventData = Readonly<Record<string, unknown>> & { readonly leadId: string };

/** What webhooks say about a lead: its id, form, time and submitted fields. */
export function leadEventData(lead: DeliveryLead): LeadEventData {
  return {
    leadId: lead.id,
    accountId: lead.accountId,
    form: lead.formName,
    receivedAt: lead.receivedAt.toISOString(),
    name: lead.name,
    email: lead.email,
    phone: lead.phone,
    subject: lead.subject,
    message: lead.message,
    fields: lead.fields ?? {},
  };
}

const MAX_FIELD_CHARS = 5000;

/** Every submitted field as label/value pairs, nested fields flattened, capped so a huge lead stays a readable email. */
export function listLeadFields(lead: DeliveryLead): [string, string][] {
  const rows: [string, string][] = [];
  const push = (label: string, value: unknown, depth: number): void => {
    if (rows.length >= 200 || value === null || value === undefined) return;
    if (typeof value === 'object') {
      if (depth >= 4) return;
      for (const [key, child] of Object.entries(value as object)) push(`${label}.${key}`, child, depth + 1);
      return;
    }
    const text = String(value).trim();
    if (text) rows.push([label, text.length > MAX_FIELD_CHARS ? `${text.slice(0, MAX_FIELD_CHARS)}…` : text]);
  };
  push('Name', lead.name, 0);
  push('Email', lead.email, 0);
  push('Phone', lead.phone, 0);
  push('Subject', lead.subject, 0);
  push('Message', lead.message, 0);
  for (const [key, value] of Object.entries(lead.fields ?? {})) push(key, value, 1);
  return rows;
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Who the lead is, for a subject line: name, else email, else phone. Never trusted as header text unsanitised. */
function leadLabel(lead: DeliveryLead): string {
  return sanitizeHeaderText(lead.name || lead.email || lead.phone || 'someone', 80);
}

export function buildNotificationEmail(input: {
  readonly lead: DeliveryLead;
  readonly from: string;
  readonly recipients: readonly string[];
  /** The signed "Mark as spam" confirmation URL, one per recipient when the caller sends one email each. */
  readonly spamLinkUrl: string;
  /** `reply+TOKEN@host` when reply-to-flag is on. */
  readonly replyAddress?: string;
  readonly leadUrl?: string;
  readonly messageId?: string;
}): OutgoingMail {
  const { lead } = input;
  const rows = listLeadFields(lead);
  const replyHint = input.replyAddress ? '\nOr reply to this email with the single word "spam".' : '';
  const text = [
    `New lead from ${lead.formName} (${lead.receivedAt.toISOString()})`,
    '',
    ...rows.map(([label, value]) => `${label}: ${value}`),
    '',
    ...(input.leadUrl ? [`Open in LeadGuard: ${input.leadUrl}`] : []),
    `Not a real lead? Mark as spam: ${input.spamLinkUrl}${replyHint}`,
  ].join('\n');
  const html = [
    `<p>New lead from <strong>${escapeHtml(lead.formName)}</strong></p>`,
    '<table>',
    ...rows.map(
      ([label, value]) =>
        `<tr><th align="left" valign="top">${escapeHtml(label)}</th><td>${escapeHtml(value).replace(/\n/g, '<br>')}</td></tr>`,
    ),
    '</table>',
    input.leadUrl ? `<p><a href="${escapeHtml(input.leadUrl)}">Open in LeadGuard</a></p>` : '',
    `<p>Not a real lead? <a href="${escapeHtml(input.spamLinkUrl)}">Mark as spam</a>${escapeHtml(replyHint)}</p>`,
  ].join('\n');
  return {
    from: input.from,
    fromName: 'LeadGuard',
    to: input.recipients,
    replyTo: input.replyAddress,
    subject: `New lead: ${leadLabel(lead)}`,
    text,
    html,
    messageId: input.messageId,
    headers: { 'Auto-Submitted': 'auto-generated', 'X-LeadGuard-Lead': lead.id },
  };
}

export interface AutoresponderSettings {
  readonly subject: string;
  /** Plain text; `{name}` becomes the submitter's name (or "there"). */
  readonly text: string;
  readonly fromName?: string;
  readonly replyTo?: string;
}

/** The reply to the person who submitted, or undefined when their address is not one valid mailbox. */
export function buildAutoresponderEmail(input: {
  readonly lead: DeliveryLead;
  readonly from: string;
  readonly settings: AutoresponderSettings;
  readonly messageId?: string;
}): OutgoingMail | undefined {
  const to = toSafeAddress(input.lead.email);
  if (!to) return undefined;
  const name = sanitizeHeaderText(input.lead.name ?? '', 80) || 'there';
  const fill = (template: string) => template.replaceAll('{name}', name);
  return {
    from: input.from,
    fromName: input.settings.fromName,
    to: [to],
    replyTo: input.settings.replyTo,
    subject: fill(input.settings.subject),
    text: fill(input.settings.text),
    messageId: input.messageId,
    headers: { 'Auto-Submitted': 'auto-replied' },
  };
}
