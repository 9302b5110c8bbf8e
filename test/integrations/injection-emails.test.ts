// Lead fields full of markup, header and SMTP injection through the notification and autoresponder to a real SMTP server: escaped or refused, never injected.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailer } from '../../src/integrations/mailer.ts';
import type { Mailer, OutgoingMail } from '../../src/integrations/mailer.ts';
import { buildAutoresponderEmail, buildNotificationEmail, listLeadFields } from '../../src/jobs/messages.ts';
import type { DeliveryLead } from '../../src/jobs/messages.ts';
import { startSmtpCapture } from './support/smtp-capture.ts';
import type { CapturedMail, SmtpCapture } from './support/smtp-capture.ts';

/** Fragments that break out of HTML, XML, CSV or a header, or end the SMTP DATA early. */
const payloads = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
  ']]>',
  '&',
  '&amp;',
  '\r\nBcc: victim@else.example',
  '\nCc: other@else.example',
  '\r\n\r\n<b>body</b>',
  '\r\n.\r\nMAIL FROM:<x@evil.example>\r\n',
  '\r\n--boundary--\r\n',
  '=HYPERLINK("http://evil.example")',
  '\u0000',
  '\u2028',
  '\u0085',
  'Grüße',
  "'",
];
const hostileText = fc
  .array(fc.oneof(fc.constantFrom(...payloads), fc.string({ maxLength: 20 })), { minLength: 1, maxLength: 6 })
  .map((parts) => parts.join(''));

const lead = fc.record({
  name: hostileText,
  email: fc.oneof(fc.constant('ann.lee@example.com'), hostileText),
  phone: hostileText,
  subject: hostileText,
  message: hostileText,
  fields: fc.dictionary(hostileText, hostileText, { maxKeys: 3 }),
});

/** The only markup the notification writes itself; anything else in the HTML would have come from the lead. */
const ownMarkup =
  /<\/?(?:p|strong|table|tr|td|br)>|<th align="left" valign="top">|<\/th>|<a href="[^"<>]*">|<\/a>/g;

const decodeEntities = (html: string) =>
  html.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));

/** Header names as they arrived, folded lines joined: what a mail client would act on. */
function headerNames(raw: string): string[] {
  const head = raw.slice(0, raw.indexOf('\r\n\r\n')).replace(/\r\n[ \t]/g, ' ');
  return head.split('\r\n').map((line) => line.slice(0, line.indexOf(':')).toLowerCase());
}

let smtp: SmtpCapture;
let mailer: Mailer;

beforeAll(async () => {
  smtp = await startSmtpCapture();
  mailer = createMailer(smtp.url);
});

afterAll(async () => {
  mailer.close();
  await smtp.close();
});

/** Sends one message and returns it as the server got it; exactly one must arrive, or DATA was cut short. */
async function deliver(mail: OutgoingMail): Promise<CapturedMail> {
  const before = smtp.messages.length;
  await mailer.send(mail);
  const arrived = (await smtp.waitFor(before + 1)).slice(before);
  expect(arrived).toHaveLength(1);
  return arrived[0] as CapturedMail;
}

function expectNoInjectedHeader(mail: CapturedMail, allowed: readonly string[]): void {
  const names = headerNames(mail.raw);
  for (const name of names) expect(allowed, `header ${name}`).toContain(name);
  expect(names.filter((name) => name === 'to')).toHaveLength(1);
  expect(mail.parsed.headers.has('bcc')).toBe(false);
  expect(mail.parsed.headers.has('cc')).toBe(false);
  expect(mail.parsed.subject ?? '').not.toMatch(/[\r\n]/);
}

/** Every header LeadGuard writes on these messages; any other name would have come from lead data. */
const ownHeaders = [
  'from',
  'to',
  'reply-to',
  'subject',
  'message-id',
  'date',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  'auto-submitted',
  'x-leadguard-lead',
];

describe('notification email with hostile lead fields', () => {
  it('escapes every field in the HTML part, keeps the text part whole and injects no header', async () => {
    await fc.assert(
      fc.asyncProperty(lead, async (fields) => {
        const delivery: DeliveryLead = {
          id: 'lead-1',
          accountId: 'account-1',
          formName: 'Test drive <form>',
          receivedAt: new Date('2026-12-01T12:00:00Z'),
          ...fields,
        };
        const spamLinkUrl = 'https://leads.example.com/email/spam?token=abc.def';
        const mail = await deliver(
          buildNotificationEmail({
            lead: delivery,
            from: 'notify@leadguard.example',
            recipients: ['sales@dealer.example'],
            spamLinkUrl,
            replyAddress: 'reply+00ff@reply.leadguard.example',
          }),
        );
        expect(mail.envelopeTo).toEqual(['sales@dealer.example']);
        expectNoInjectedHeader(mail, ownHeaders);
        expect(mail.parsed.headers.get('x-leadguard-lead')).toBe('lead-1');

        const html = typeof mail.parsed.html === 'string' ? mail.parsed.html : '';
        const leftover = html.replace(ownMarkup, '');
        expect(leftover, 'markup from the lead').not.toMatch(/[<>]/);
        const shown = decodeEntities(leftover).replace(/\r/g, '');
        for (const line of listLeadFields(delivery)
          .flat()
          .flatMap((text) => text.split('\n')))
          expect(shown).toContain(line.replace(/\r/g, '').trim());
        // The last line arrived, so nothing in the lead ended the message early.
        expect(
          mail.parsed.text
            ?.trimEnd()
            .endsWith(`Mark as spam: ${spamLinkUrl}\nOr reply to this email with the single word "spam".`),
        ).toBe(true);
      }),
      { numRuns: 40 },
    );
  });
});

describe('autoresponder with hostile lead fields', () => {
  it('writes to the one submitted mailbox or to nobody, with the name flattened into the subject', async () => {
    await fc.assert(
      fc.asyncProperty(lead, async (fields) => {
        const message = buildAutoresponderEmail({
          lead: {
            id: 'lead-2',
            accountId: 'account-1',
            formName: 'Contact',
            receivedAt: new Date(),
            ...fields,
          },
          from: 'hello@dealer.example',
          settings: { subject: 'Thanks, {name}!', text: 'Hi {name}, we will call you soon.' },
        });
        if (!message) {
          // Refused: the address was not one plain mailbox (a list, a display name, a line break).
          expect(fields.email).not.toBe('ann.lee@example.com');
          return;
        }
        const mail = await deliver(message);
        expect(mail.envelopeTo).toHaveLength(1);
        expect(mail.envelopeTo[0]).not.toMatch(/[\s,;<>]/);
        expectNoInjectedHeader(mail, ownHeaders);
        expect(mail.parsed.subject?.startsWith('Thanks, ')).toBe(true);
        expect(mail.parsed.text?.trimEnd().endsWith('we will call you soon.')).toBe(true);
      }),
      { numRuns: 40 },
    );
  });
});
