// Notification and ADF emails through nodemailer to a real SMTP server on loopback, read back with mailparser.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAdfEmail, buildAdfXml } from '../../src/integrations/adf.ts';
import { createMailer, MailError } from '../../src/integrations/mailer.ts';
import type { Mailer } from '../../src/integrations/mailer.ts';
import { buildAutoresponderEmail, buildNotificationEmail } from '../../src/jobs/messages.ts';
import type { DeliveryLead } from '../../src/jobs/messages.ts';
import { startSmtpCapture } from './support/smtp-capture.ts';
import type { SmtpCapture } from './support/smtp-capture.ts';

const hostileLead: DeliveryLead = {
  id: 'lead-7',
  accountId: 'acc-1',
  formName: 'Test drive',
  receivedAt: new Date('2026-11-23T12:00:00Z'),
  name: 'Eve <script>alert(1)</script> & Co\r\nBcc: victim@else.example',
  email: 'eve@example.com',
  phone: '+1 555 0100',
  message: `Price for the <b>F-150</b>? A & B. ${'long '.repeat(40)}Grüße`,
  fields: { vehicle: { make: 'Ford', model: 'F-150' } },
};

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

function bodyOf(raw: string): string {
  const split = raw.indexOf('\r\n\r\n');
  return raw.slice(split + 4);
}

describe('ADF by email', () => {
  it('arrives as a 7-bit plain body with lines of at most 76 characters and escaped lead data', async () => {
    const xml = buildAdfXml({
      id: hostileLead.id,
      source: hostileLead.formName,
      requestDate: hostileLead.receivedAt,
      fullName: hostileLead.name,
      email: hostileLead.email,
      phone: hostileLead.phone,
      comments: hostileLead.message,
      vehicle: { make: 'Ford', model: 'F-150' },
      vendorName: 'Acme & Sons Motors',
      provider: { name: 'LeadGuard' },
    });
    const before = smtp.messages.length;
    await mailer.send(
      buildAdfEmail({
        xml,
        to: 'leads@crm.example',
        from: 'adf@leadguard.example',
        messageId: '<adf-lead-7@leadguard.example>',
      }),
    );
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    if (!mail) throw new Error('no mail');
    expect(mail.raw).toMatch(/^Content-Transfer-Encoding: 7bit$/m);
    expect(mail.raw).toMatch(/^Content-Type: text\/plain/m);
    const body = bodyOf(mail.raw);
    expect(/[^\x00-\x7f]/.test(body)).toBe(false);
    for (const line of body.split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
    expect(body).not.toContain('<script>');
    expect(body).toContain('&lt;script&gt;');
    expect(body).toContain('Acme &amp; Sons Motors');
    expect(body).toContain('Gr&#xFC;&#xDF;e');
    expect(body).toContain('<?adf version="1.0"?>');
    expect(mail.parsed.text?.trimEnd()).toBe(xml.replace(/\n/g, '\n').trimEnd());
    expect(mail.envelopeTo).toEqual(['leads@crm.example']);
    expect(mail.parsed.messageId).toBe('<adf-lead-7@leadguard.example>');
  });
});

describe('notification email', () => {
  it('carries the lead, the spam link and the reply address, with no header injected from lead data', async () => {
    const before = smtp.messages.length;
    const spamLinkUrl = 'https://leads.example.com/email/spam?token=abc.def';
    await mailer.send(
      buildNotificationEmail({
        lead: hostileLead,
        from: 'notify@leadguard.example',
        recipients: ['sales@dealer.example'],
        spamLinkUrl,
        replyAddress: 'reply+00ff@reply.leadguard.example',
      }),
    );
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    if (!mail) throw new Error('no mail');
    expect(mail.envelopeTo).toEqual(['sales@dealer.example']);
    expect(mail.parsed.headers.has('bcc')).toBe(false);
    expect(mail.raw.slice(0, mail.raw.indexOf('\r\n\r\n'))).not.toMatch(/^Bcc:/im);
    expect(mail.parsed.subject).toBe('New lead: Eve <script>alert(1)</script> & Co Bcc: victim@else.example');
    expect(mail.parsed.replyTo?.value[0]?.address).toBe('reply+00ff@reply.leadguard.example');
    expect(mail.parsed.text).toContain(`Mark as spam: ${spamLinkUrl}`);
    expect(mail.parsed.text).toContain('vehicle.make: Ford');
    expect(mail.parsed.html).toContain('Eve &#60;script&#62;');
    expect(mail.parsed.html).not.toContain('<script>');
    expect(mail.parsed.html).toContain(`href="${spamLinkUrl}"`);
    expect(mail.parsed.headers.get('auto-submitted')).toBe('auto-generated');
  });

  it('refuses a recipient list smuggled into one address', async () => {
    await expect(
      mailer.send({
        from: 'notify@leadguard.example',
        to: ['a@x.example, b@y.example'],
        subject: 's',
        text: 't',
      }),
    ).rejects.toBeInstanceOf(MailError);
    await expect(
      mailer.send({
        from: 'notify@leadguard.example',
        to: ['a@x.example\r\nBcc: b@y.example'],
        subject: 's',
        text: 't',
      }),
    ).rejects.toBeInstanceOf(MailError);
  });
});

describe('autoresponder', () => {
  it('answers the submitter by name and marks itself auto-replied', async () => {
    const before = smtp.messages.length;
    const message = buildAutoresponderEmail({
      lead: { ...hostileLead, name: 'Ann\r\nLee' },
      from: 'hello@dealer.example',
      settings: { subject: 'Thanks, {name}!', text: 'Hi {name}, we will call you soon.' },
    });
    if (!message) throw new Error('no message');
    await mailer.send(message);
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    expect(mail?.envelopeTo).toEqual(['eve@example.com']);
    expect(mail?.parsed.subject).toBe('Thanks, Ann Lee!');
    expect(mail?.parsed.headers.get('auto-submitted')).toBe('auto-replied');
  });

  it('sends nothing when the submitter address is not one valid mailbox', () => {
    const settings = { subject: 'Thanks', text: 'Hi' };
    expect(
      buildAutoresponderEmail({
        lead: { ...hostileLead, email: 'a@x.example, b@y.example' },
        from: 'h@d.example',
        settings,
      }),
    ).toBeUndefined();
    expect(
      buildAutoresponderEmail({ lead: { ...hostileLead, email: undefined }, from: 'h@d.example', settings }),
    ).toBeUndefined();
  });
});
