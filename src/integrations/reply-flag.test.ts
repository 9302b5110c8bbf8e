// Reply to flag: reply tokens, the first-line rule and auto-reply detection on real MIME text.
import { describe, expect, it } from 'vitest';
import {
  buildReplyAddress,
  createReplyToken,
  parseReplyFlag,
  readReplyAddress,
  readReplyToken,
  saysSpam,
} from './reply-flag.ts';

const secret = 'reply-test-secret-0123456789abcdef0123';
const leadId = '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
const token = createReplyToken({ secret, leadId });
const replyTo = buildReplyAddress(token, 'reply.leads.example');

function message(body: string, headers: Record<string, string> = {}): string {
  const all = {
    From: 'Sam Seller <sam@dealer.example>',
    To: replyTo,
    Subject: 'Re: New lead from Ann Lee',
    'Message-ID': '<r1@dealer.example>',
    ...headers,
  };
  return `${Object.entries(all)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n')}\r\n\r\n${body}`;
}

describe('reply tokens', () => {
  it('names the lead it was made for and fits in an address local part', () => {
    expect(readReplyToken(token, secret)).toBe(leadId);
    expect(`reply+${token}`.length).toBeLessThanOrEqual(64);
    expect(readReplyToken(createReplyToken({ secret, leadId: 'lead-42' }), secret)).toBe('lead-42');
  });

  it('refuses a token with a changed byte or another secret', () => {
    const flipped = `${token.slice(0, 4)}${token[4] === '0' ? '1' : '0'}${token.slice(5)}`;
    expect(readReplyToken(flipped, secret)).toBeUndefined();
    expect(readReplyToken(token, 'another-secret-another-secret-012345')).toBeUndefined();
    expect(readReplyToken('zz', secret)).toBeUndefined();
  });

  it('reads the token only from reply+TOKEN at the reply domain', () => {
    expect(readReplyAddress(replyTo, 'reply.leads.example')).toBe(token);
    expect(readReplyAddress(replyTo.toUpperCase(), 'reply.leads.example')).toBe(token);
    expect(readReplyAddress(replyTo, 'other.example')).toBeUndefined();
    expect(readReplyAddress('sales@reply.leads.example', 'reply.leads.example')).toBeUndefined();
  });
});

describe('saysSpam', () => {
  it.each(['spam', 'SPAM', '  Spam.', '\n\n spam!\nthanks'])('flags %j', (text) =>
    expect(saysSpam(text)).toBe(true),
  );
  it.each(['not spam', 'spammy', 'this is spam', '', 'Thanks\nspam'])('does not flag %j', (text) =>
    expect(saysSpam(text)).toBe(false),
  );
});

describe('parseReplyFlag', () => {
  it('flags a reply whose first line is spam, returning token and sender', async () => {
    const result = await parseReplyFlag(message('Spam\r\n\r\nOn Mon, LeadGuard wrote:\r\n> New lead'), {
      replyDomain: 'reply.leads.example',
    });
    expect(result).toEqual({ kind: 'flag', token, sender: 'sam@dealer.example' });
  });

  it('ignores a reply that says something else', async () => {
    const result = await parseReplyFlag(message('Call him back please'), {
      replyDomain: 'reply.leads.example',
    });
    expect(result).toEqual({ kind: 'ignored', reason: 'not_spam' });
  });

  it.each<Record<string, string>>([
    { 'Auto-Submitted': 'auto-replied' },
    { 'X-Autoreply': 'yes' },
    { 'X-Autorespond': 'Out of office' },
    { Precedence: 'bulk' },
    { Precedence: 'junk' },
    { Precedence: 'list' },
    { 'Return-Path': '<>' },
  ])('ignores an auto-reply marked %j', async (headers) => {
    const result = await parseReplyFlag(message('spam', headers), { replyDomain: 'reply.leads.example' });
    expect(result).toEqual({ kind: 'ignored', reason: 'auto_reply' });
  });

  it('accepts Auto-Submitted: no as a human reply', async () => {
    const result = await parseReplyFlag(message('spam', { 'Auto-Submitted': 'no' }), {
      replyDomain: 'reply.leads.example',
    });
    expect(result.kind).toBe('flag');
  });

  it('ignores a bounce sent with the null envelope sender', async () => {
    const result = await parseReplyFlag(message('spam'), {
      replyDomain: 'reply.leads.example',
      envelope: { sender: '', recipients: [replyTo] },
    });
    expect(result).toEqual({ kind: 'ignored', reason: 'auto_reply' });
  });

  it('ignores mail not sent to a reply address', async () => {
    const result = await parseReplyFlag(message('spam', { To: 'sales@reply.leads.example' }), {
      replyDomain: 'reply.leads.example',
    });
    expect(result).toEqual({ kind: 'ignored', reason: 'no_reply_address' });
  });

  it('ignores a reply whose From is not one mailbox', async () => {
    const result = await parseReplyFlag(message('spam', { From: 'undisclosed-recipients:;' }), {
      replyDomain: 'reply.leads.example',
    });
    expect(result).toEqual({ kind: 'ignored', reason: 'no_sender' });
  });
});
