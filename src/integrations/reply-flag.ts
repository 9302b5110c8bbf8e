// Reply to flag: a reply whose first line is "spam", sent to a notification's unique reply address, flags that lead.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Readable } from 'node:stream';
import { simpleParser } from 'mailparser';
import type { ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { SMTPServerOptions } from 'smtp-server';
import { toSafeAddress } from './mailer.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAC_BYTES = 8;
const MAX_PLAIN_ID_BYTES = 20;

function replyMac(secret: string, body: Buffer): Buffer {
  const key = createHmac('sha256', secret).update('leadguard:reply-token:v1').digest();
  return createHmac('sha256', key).update(body).digest().subarray(0, MAC_BYTES);
}

/**
 * A token naming one lead, short enough for an address's local part (64 characters) and in hex,
 * since mail systems may change the case of local parts. UUIDs pack to 16 bytes.
 */
export function createReplyToken(input: { readonly secret: string; readonly leadId: string }): string {
  let body: Buffer;
  if (UUID.test(input.leadId))
    body = Buffer.concat([Buffer.from([1]), Buffer.from(input.leadId.replace(/-/g, ''), 'hex')]);
  else {
    const id = Buffer.from(input.leadId, 'utf8');
    if (id.length === 0 || id.length > MAX_PLAIN_ID_BYTES)
      throw new RangeError('lead id too long for a reply token');
    body = Buffer.concat([Buffer.from([2]), id]);
  }
  return Buffer.concat([body, replyMac(input.secret, body)]).toString('hex');
}

/** The lead a reply token names, or undefined when it is malformed or not ours. */
export function readReplyToken(token: string, secret: string): string | undefined {
  if (!/^[0-9a-f]+$/i.test(token) || token.length % 2 !== 0 || token.length > 128) return undefined;
  const bytes = Buffer.from(token, 'hex');
  if (bytes.length <= MAC_BYTES + 1) return undefined;
  const body = bytes.subarray(0, bytes.length - MAC_BYTES);
  const mac = bytes.subarray(bytes.length - MAC_BYTES);
  if (!timingSafeEqual(mac, replyMac(secret, body))) return undefined;
  const id = body.subarray(1);
  if (body[0] === 1 && id.length === 16) {
    const hex = id.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  return body[0] === 2 ? id.toString('utf8') : undefined;
}

export function buildReplyAddress(token: string, replyDomain: string): string {
  return `reply+${token}@${replyDomain.toLowerCase()}`;
}

/** The token in `reply+TOKEN@replyDomain`, or undefined for any other address. */
export function readReplyAddress(address: string, replyDomain: string): string | undefined {
  const match = /^reply\+([0-9a-f]{2,128})@([^@\s]+)$/i.exec(address.trim());
  if (!match?.[1] || match[2]?.toLowerCase() !== replyDomain.toLowerCase()) return undefined;
  return match[1].toLowerCase();
}

export type ReplyFlagResult =
  | { readonly kind: 'flag'; readonly token: string; readonly sender: string }
  | {
      readonly kind: 'ignored';
      readonly reason: 'auto_reply' | 'no_reply_address' | 'no_sender' | 'not_spam';
    };

function headerValues(parsed: ParsedMail, name: string): string[] {
  return parsed.headerLines
    .filter((h) => h.key === name)
    .map((h) => h.line.slice(h.line.indexOf(':') + 1).trim());
}

/** Out-of-office and other machine mail (RFC 3834 and the common older headers); answering it would be noise or a loop. */
export function isAutoReply(parsed: ParsedMail, envelopeSender?: string): boolean {
  if (envelopeSender === '') return true;
  if (headerValues(parsed, 'auto-submitted').some((v) => v.toLowerCase() !== 'no')) return true;
  if (headerValues(parsed, 'x-autoreply').length > 0 || headerValues(parsed, 'x-autorespond').length > 0)
    return true;
  if (headerValues(parsed, 'precedence').some((v) => ['bulk', 'junk', 'list'].includes(v.toLowerCase())))
    return true;
  return headerValues(parsed, 'return-path').some((v) => v.replace(/[<>\s]/g, '') === '');
}

/** True when the first non-empty line of the reply says "spam" (any case, trailing punctuation allowed). */
export function saysSpam(text: string | undefined): boolean {
  const first = (text ?? '')
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line !== '');
  return first !== undefined && /^spam[.!]*$/i.test(first);
}

export interface ReplyEnvelope {
  /** MAIL FROM; '' for the null sender `<>` (bounces, auto-replies). */
  readonly sender?: string;
  /** RCPT TO addresses; preferred over the To/Cc headers when known. */
  readonly recipients?: readonly string[];
}

/** Decides what one inbound reply means. The caller checks that the sender received that notification. */
export async function parseReplyFlag(
  source: Buffer | string | Readable,
  options: { readonly replyDomain: string; readonly envelope?: ReplyEnvelope },
): Promise<ReplyFlagResult> {
  const parsed = await simpleParser(source, {
    skipHtmlToText: false,
    skipImageLinks: true,
    skipTextLinks: true,
  });
  if (isAutoReply(parsed, options.envelope?.sender)) return { kind: 'ignored', reason: 'auto_reply' };
  const headerRecipients = [parsed.to, parsed.cc]
    .flatMap((field) => (field ? (Array.isArray(field) ? field : [field]) : []))
    .flatMap((field) => field.value.map((entry) => entry.address ?? ''));
  const recipients = options.envelope?.recipients ?? headerRecipients;
  const token = recipients.map((r) => readReplyAddress(r, options.replyDomain)).find((t) => t !== undefined);
  if (!token) return { kind: 'ignored', reason: 'no_reply_address' };
  const sender = toSafeAddress(parsed.from?.value[0]?.address);
  if (!sender) return { kind: 'ignored', reason: 'no_sender' };
  if (!saysSpam(parsed.text)) return { kind: 'ignored', reason: 'not_spam' };
  return { kind: 'flag', token, sender };
}

export interface ReplyListenerOptions {
  readonly replyDomain: string;
  /** Called once per reply that flags; a throw makes the sender retry later (451). */
  readonly onFlag: (flag: { readonly token: string; readonly sender: string }) => Promise<void>;
  readonly maxBytes?: number;
  /** TLS key and certificate for STARTTLS; without them STARTTLS is not offered. */
  readonly tls?: { readonly key: string | Buffer; readonly cert: string | Buffer };
  /** Called for replies that were accepted but ignored (logging). */
  readonly onIgnored?: (reason: string) => void;
}

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

/** An SMTP server that accepts mail only for `reply+TOKEN@replyDomain` and hands flagging replies to `onFlag`. */
export function createReplyListener(options: ReplyListenerOptions): SMTPServer {
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const serverOptions: SMTPServerOptions = {
    name: options.replyDomain,
    banner: 'LeadGuard reply listener',
    authOptional: true,
    disabledCommands: options.tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    size: maxBytes,
    ...(options.tls ? { key: options.tls.key, cert: options.tls.cert } : {}),
    onRcptTo(address, _session, callback) {
      if (!readReplyAddress(address.address, options.replyDomain))
        return callback(smtpError(550, 'No such mailbox here'));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded)
          return callback(smtpError(552, 'Message too large'));
        const mailFrom = session.envelope.mailFrom;
        const envelope: ReplyEnvelope = {
          sender: mailFrom ? mailFrom.address : '',
          recipients: session.envelope.rcptTo.map((r) => r.address),
        };
        parseReplyFlag(Buffer.concat(chunks), { replyDomain: options.replyDomain, envelope })
          .then(async (result) => {
            if (result.kind === 'flag') await options.onFlag({ token: result.token, sender: result.sender });
            else options.onIgnored?.(result.reason);
            callback();
          })
          .catch(() => callback(smtpError(451, 'Temporary failure, try again later')));
      });
    },
  };
  return new SMTPServer(serverOptions);
}
