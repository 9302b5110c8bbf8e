// Sends mail through nodemailer over SMTP_URL, with every header value from lead data stripped of line breaks.
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import { prepareEmail } from '../engine/prepare.ts';

export interface OutgoingMail {
  readonly from: string;
  readonly fromName?: string;
  readonly to: readonly string[];
  readonly replyTo?: string;
  readonly subject: string;
  /** Pure ASCII with lines of at most 76 characters goes out as 7bit untouched (what ADF needs). */
  readonly text: string;
  readonly html?: string;
  /** Extra headers (e.g. Auto-Submitted); names are fixed by our code, values are sanitised. */
  readonly headers?: Readonly<Record<string, string>>;
  /** A stable Message-ID, so a retried send is recognisable as the same message. */
  readonly messageId?: string;
}

export interface SentMail {
  readonly messageId: string;
  readonly accepted: readonly string[];
  readonly rejected: readonly string[];
  /** The server's final reply line, for the attempt record. */
  readonly response: string;
}

export class MailError extends Error {
  constructor(
    readonly code: 'invalid_address' | 'no_recipients',
    message: string,
  ) {
    super(message);
    this.name = 'MailError';
  }
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<SentMail>;
  close(): void;
}

/**
 * One line of header text from untrusted input: CR, LF and other control characters become
 * spaces (no header injection), runs of space collapse, the length is capped.
 */
export function sanitizeHeaderText(value: string, maxChars = 200): string {
  const flat = value
    .replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]+/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
  return flat.length > maxChars ? `${flat.slice(0, maxChars - 1)}…` : flat;
}

/**
 * One mailbox from untrusted input, or undefined. A strict addr-spec only: no display name, no
 * list, no comments, so `a@x.example, b@y.example` or an embedded line break cannot add recipients.
 */
export function toSafeAddress(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 254) return undefined;
  const prepared = prepareEmail(value);
  return prepared?.syntaxValid ? prepared.address : undefined;
}

function requireAddress(value: string, role: string): string {
  const address = toSafeAddress(value);
  if (!address) throw new MailError('invalid_address', `${role} is not a single valid email address`);
  return address;
}

/** A mailer over `smtpUrl` (smtp:// or smtps://, credentials in the URL). The URL comes from the caller's config. */
export function createMailer(smtpUrl: string): Mailer {
  const transport: Transporter = nodemailer.createTransport(
    {
      url: smtpUrl,
      // nodemailer waits up to 10 minutes on a silent socket; an attempt must end well inside the worker's lease.
      connectionTimeout: 30_000,
      greetingTimeout: 30_000,
      socketTimeout: 60_000,
    },
    {
      // Lead data never names files or URLs to attach, and must not be able to.
      disableFileAccess: true,
      disableUrlAccess: true,
    },
  );
  return {
    async send(mail) {
      const to = mail.to.map((address) => requireAddress(address, 'recipient'));
      if (to.length === 0) throw new MailError('no_recipients', 'a message needs at least one recipient');
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(mail.headers ?? {}))
        headers[name] = sanitizeHeaderText(value, 900);
      const info = await transport.sendMail({
        from: { name: sanitizeHeaderText(mail.fromName ?? ''), address: requireAddress(mail.from, 'sender') },
        to,
        replyTo: mail.replyTo === undefined ? undefined : requireAddress(mail.replyTo, 'reply-to'),
        subject: sanitizeHeaderText(mail.subject, 250),
        text: mail.text,
        html: mail.html,
        headers,
        messageId: mail.messageId === undefined ? undefined : sanitizeHeaderText(mail.messageId, 250),
      });
      const list = (value: unknown): string[] =>
        Array.isArray(value)
          ? value.map((v) => (typeof v === 'string' ? v : String((v as { address?: string }).address)))
          : [];
      return {
        messageId: String(info.messageId),
        accepted: list(info.accepted),
        rejected: list(info.rejected),
        response: sanitizeHeaderText(String(info.response ?? ''), 500),
      };
    },
    close() {
      transport.close();
    },
  };
}
