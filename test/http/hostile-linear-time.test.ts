// ReDoS: the parsers and checks on the public endpoints' path take CPU time in proportion to their input, never more.
import { describe, expect, it } from 'vitest';
import { compileConfig } from '../../src/engine/compile.ts';
import { screenLead } from '../../src/engine/screen.ts';
import { leadFromComment, readAkismetKey, readFields } from '../../src/http/routes/akismet.ts';
import { buildAdfXml } from '../../src/integrations/adf.ts';
import { readSpamLinkToken } from '../../src/integrations/email-link.ts';
import { sanitizeHeaderText, toSafeAddress } from '../../src/integrations/mailer.ts';
import {
  isWithheldCallerId,
  parseVoiceRequest,
  verifyTwilioSignature,
  VoiceError,
} from '../../src/integrations/voice.ts';
import { buildAutoresponderEmail, buildNotificationEmail } from '../../src/jobs/messages.ts';
import type { DeliveryLead } from '../../src/jobs/messages.ts';
import { toCsv } from '../../web/src/csv.ts';

/** Strings that take hours against a backtracking regex with nested, overlapping or unanchored quantifiers. */
const shapes: Readonly<Record<string, (size: number) => string>> = {
  'letters then a bang': (n) => `${'a'.repeat(n - 1)}!`,
  'digits then a letter': (n) => `${'1'.repeat(n - 1)}x`,
  'colon-digit pairs': (n) => ':1'.repeat(n / 2),
  'dots then a bang': (n) => `${'.'.repeat(n - 1)}!`,
  'letter-dot pairs': (n) => 'a.'.repeat(n / 2),
  'letter-at pairs': (n) => 'a@'.repeat(n / 2),
  'base64url-dot pairs': (n) => 'A.'.repeat(n / 2),
  'http:// repeated': (n) => 'http://'.repeat(n / 8),
  // Obfuscated links the engine reads back into URLs.
  'hxxp://a repeated': (n) => 'hxxp://a'.repeat(n / 8),
  '[.] repeated': (n) => 'a[.]'.repeat(n / 4),
  '(dot) between words': (n) => 'x (dot) '.repeat(n / 8),
  'spaces then a letter': (n) => `${' '.repeat(n - 1)}x`,
  'CRLF runs': (n) => '\r\n'.repeat(n / 2),
  'double quotes': (n) => '"'.repeat(n),
  'markup characters': (n) => '<&>'.repeat(n / 4),
  'formula characters and commas': (n) => '=,+;'.repeat(n / 4),
  'brackets and a colon-port': (n) => `[${'['.repeat(n - 8)}]:80`,
  'NUL and control bytes': (n) => '\u0000\u0001\u001f'.repeat(n / 4),
  'lone surrogates': (n) => '\ud800'.repeat(n),
};

/** Microseconds of CPU time for `loops` calls. */
function cpuMicros(run: () => unknown, loops: number): number {
  const start = process.cpuUsage();
  for (let i = 0; i < loops; i++) run();
  const used = process.cpuUsage(start);
  return used.user + used.system;
}

/**
 * How much more CPU time `run` takes on an input sixteen times larger: about 16 when linear (less
 * once a cap cuts the input), 256 when quadratic, astronomically more when exponential. CPU time, not
 * the wall clock, and a ratio, not a deadline, so a busy machine does not decide the outcome.
 */
function growthOnSixteenfold<T>(make: (size: number) => T, run: (input: T) => unknown, size: number): number {
  const small = make(size);
  const large = make(size * 16);
  const onSmall = () => run(small);
  const onLarge = () => run(large);
  onSmall();
  onLarge();
  let loops = 1;
  // Enough calls that the small input costs a few milliseconds, well above the clock's grain.
  while (cpuMicros(onSmall, loops) < 2000 && loops < 1 << 20) loops *= 2;
  // The fastest of five turns each, taken in alternation: the least disturbed by other work, and a
  // burst of it cannot fall on one size only.
  let fastestSmall = Number.POSITIVE_INFINITY;
  let fastestLarge = Number.POSITIVE_INFINITY;
  for (let turn = 0; turn < 5; turn++) {
    fastestSmall = Math.min(fastestSmall, cpuMicros(onSmall, loops));
    fastestLarge = Math.min(fastestLarge, cpuMicros(onLarge, loops));
  }
  return fastestLarge / fastestSmall;
}

/**
 * Quadratic growth gives 256. Linear work gets four times its 16 as slack: a larger input also costs
 * more per character once it no longer fits the CPU caches, and other work on the machine adds noise.
 */
const LINEAR = 64;

/** Every shape's growth through `run`; the message lists the shapes that grew faster than linear. */
function expectLinear(name: string, run: (text: string) => unknown, size: number): void {
  const growth = Object.entries(shapes).map(([shape, make]) => ({
    shape,
    growth: Math.round(growthOnSixteenfold(make, run, size)),
  }));
  const superlinear = growth.filter((entry) => entry.growth >= LINEAR);
  expect(superlinear, `${name}, CPU time on 16× the input: ${JSON.stringify(growth)}`).toEqual([]);
}

const secret = 'linear-time-test-secret-0123456789abcdef';
const now = Date.parse('2026-12-01T12:00:00Z');
const engineConfig = compileConfig({ siteDomains: ['dealer.example'], keywords: ['casino bonus'] });

const swallowVoiceError = (run: () => unknown) => {
  try {
    return run();
  } catch (error) {
    if (error instanceof VoiceError) return error;
    throw error;
  }
};

const deliveryLead = (text: string): DeliveryLead => ({
  id: 'lead-1',
  accountId: 'account-1',
  formName: text,
  receivedAt: new Date(now),
  name: text,
  email: text,
  phone: text,
  subject: text,
  message: text,
  fields: { comments: text, [text.slice(0, 40)]: { nested: text } },
});

/**
 * Each parser on a public path: how the pathological text reaches it, and the size to start from.
 * Sizes keep the largest string made at 16× below V8's large-object threshold (about 128 kB): past
 * it every allocation costs a step more (a measured 100× per call at 180 kB), which is not growth.
 */
const parsers: readonly {
  readonly name: string;
  readonly size: number;
  readonly run: (text: string) => unknown;
}[] = [
  {
    // Tokens longer than 2,048 characters are refused unread; below that every step must be linear.
    name: 'the email-link token reader, on a bare token and as the payload of a signed-looking one',
    size: 120,
    run: (text) => [
      readSpamLinkToken(text, { secret, now }),
      readSpamLinkToken(`${text}.${'Q'.repeat(43)}`, { secret, now }),
    ],
  },
  {
    name: 'the voice webhook: signature check, parameters and caller ID',
    size: 250,
    run: (text) => {
      const params = {
        CallSid: text,
        To: text,
        From: text,
        CallerName: text,
        FromState: text,
        AccountSid: text,
      };
      verifyTwilioSignature({
        authToken: secret,
        signature: text,
        url: `https://voice.example.com/api/v1/voice/key?x=${text}`,
        params,
      });
      swallowVoiceError(() => parseVoiceRequest(params));
      return isWithheldCallerId(text);
    },
  },
  {
    name: 'the Akismet fields, key and Host header, then the screening of the comment',
    size: 500,
    run: (text) => {
      const fields = readFields({
        comment_author: text,
        comment_author_email: text,
        comment_author_url: text,
        comment_content: text,
        user_agent: text,
        referrer: text,
        permalink: text,
        user_ip: text,
        blog: text,
      });
      readAkismetKey(fields, text, 'leads.example.com');
      return screenLead(leadFromComment(fields), engineConfig, { now, ipCount: 1 });
    },
  },
  { name: 'the CSV export', size: 1000, run: (text) => toCsv([[text, 1]]) },
  {
    name: 'email header text, addresses, the notification and the autoresponder',
    size: 1000,
    run: (text) => [
      sanitizeHeaderText(text, 1_000_000),
      toSafeAddress(text),
      buildNotificationEmail({
        lead: deliveryLead(text),
        from: 'leads@dealer.example',
        recipients: ['sales@dealer.example'],
        spamLinkUrl: 'https://leads.example.com/email/spam?token=x',
      }),
      buildAutoresponderEmail({
        lead: deliveryLead(text),
        from: 'leads@dealer.example',
        settings: { subject: 'Thanks, {name}', text: 'Hello {name}, we will call you.' },
      }),
    ],
  },
  {
    name: 'the ADF document',
    size: 1000,
    run: (text) =>
      buildAdfXml({
        id: text,
        source: text,
        requestDate: new Date(now),
        fullName: text,
        email: text,
        phone: text,
        comments: text,
        vehicle: { make: text, model: text, vin: text },
        vendorName: text,
        provider: { name: text, url: text },
      }),
  },
];

describe('linear time on pathological input', () => {
  for (const parser of parsers) {
    it(`grows linearly at most: ${parser.name}`, () => {
      expectLinear(parser.name, parser.run, parser.size);
    }, 120_000);
  }

  it('tells a quadratic function apart, so the measure can fail', () => {
    const quadratic = (text: string) => {
      let pairs = 0;
      for (let i = 0; i < text.length; i++) for (let j = i; j < text.length; j++) pairs += text.charCodeAt(j);
      return pairs;
    };
    expect(growthOnSixteenfold((n) => 'a'.repeat(n), quadratic, 200)).toBeGreaterThan(LINEAR);
  }, 120_000);
});
