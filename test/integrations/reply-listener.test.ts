// The reply-to-flag SMTP listener on loopback, fed by nodemailer like a mail server relaying a reply.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { SMTPServer } from 'smtp-server';
import {
  buildReplyAddress,
  createReplyListener,
  createReplyToken,
  readReplyToken,
} from '../../src/integrations/reply-flag.ts';

const secret = 'listener-secret-0123456789abcdef012345';
const domain = 'reply.leads.example';
const leadId = '11111111-2222-4333-8444-555555555555';
const replyAddress = buildReplyAddress(createReplyToken({ secret, leadId }), domain);

const flags: { token: string; sender: string }[] = [];
const ignored: string[] = [];
let server: SMTPServer;
let transport: Transporter;

beforeAll(async () => {
  server = createReplyListener({
    replyDomain: domain,
    onFlag: async (flag) => {
      flags.push(flag);
    },
    onIgnored: (reason) => ignored.push(reason),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
});

afterAll(async () => {
  transport.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('reply listener', () => {
  it('hands a "spam" reply to onFlag with the token and the sender', async () => {
    await transport.sendMail({
      from: 'sam@dealer.example',
      to: replyAddress,
      subject: 'Re: New lead',
      text: 'spam\n\n> quoted lead',
    });
    expect(flags).toHaveLength(1);
    expect(flags[0]?.sender).toBe('sam@dealer.example');
    expect(readReplyToken(flags[0]?.token ?? '', secret)).toBe(leadId);
  });

  it('accepts but ignores an out-of-office reply', async () => {
    const before = flags.length;
    await transport.sendMail({
      from: 'sam@dealer.example',
      to: replyAddress,
      subject: 'Out of office',
      text: 'spam',
      headers: { 'Auto-Submitted': 'auto-replied' },
    });
    expect(flags).toHaveLength(before);
    expect(ignored).toContain('auto_reply');
  });

  it('ignores a bounce from the null sender', async () => {
    const before = flags.length;
    await transport.sendMail({
      envelope: { from: '', to: replyAddress },
      from: 'mailer-daemon@dealer.example',
      to: replyAddress,
      subject: 'x',
      text: 'spam',
    });
    expect(flags).toHaveLength(before);
  });

  it('refuses mail for any other address at the RCPT stage', async () => {
    await expect(
      transport.sendMail({ from: 'sam@dealer.example', to: `sales@${domain}`, subject: 'x', text: 'spam' }),
    ).rejects.toThrow(/550/);
  });
});
