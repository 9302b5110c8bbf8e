// render_token: the signed token the embed script fetched when the page rendered is missing, forged, reused, stale or too fresh.
import { defineCheck } from '../engine/check.ts';
import type { Finding } from '../engine/check.ts';
import { issueRenderToken, readRenderToken, submittedRenderToken } from '../engine/render-token.ts';
import { describeSeconds } from './describe-seconds.ts';

const EXAMPLE_SECRET = 'test-secret-for-examples';
const EXAMPLE_NOW = Date.parse('2026-11-23T12:00:00Z');
const exampleToken = (secondsAgo: number, formKey = 'form_1') =>
  issueRenderToken({
    secret: EXAMPLE_SECRET,
    formKey,
    now: EXAMPLE_NOW - secondsAgo * 1000,
    nonce: 'example',
  });

function optionScore(options: Readonly<Record<string, unknown>>, name: string, fallback: number): number {
  const value = options[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

export const renderToken = defineCheck({
  name: 'render_token',
  description:
    'The signed render token is missing (a page without JavaScript), forged, for another form, reused, expired, or the form was sent too soon after the page rendered. Disabled until a render token secret is configured.',
  defaultScore: 6,
  channels: ['form'],
  run(lead, ctx) {
    const secret = ctx.config.renderTokenSecret;
    if (!secret) return [];
    const base = ctx.score;
    const { options } = ctx;
    const token = submittedRenderToken(lead.raw.renderToken);
    if (!token) {
      return [
        {
          score: optionScore(options, 'missingScore', base / 3),
          reason: 'no render token: the page did not run the form script',
        },
      ];
    }
    const reading = ctx.facts.renderToken ?? readRenderToken(token, secret);
    if (reading.status !== 'valid') {
      return [
        {
          score: optionScore(options, 'forgedScore', base),
          reason:
            reading.status === 'forged' ? 'render token signature is not ours' : 'render token is malformed',
          evidence: token.slice(0, 200),
        },
      ];
    }
    const findings: Finding[] = [];
    const expectedForm = options.formKey;
    if (typeof expectedForm === 'string' && expectedForm && reading.formKey !== expectedForm) {
      findings.push({
        score: optionScore(options, 'otherFormScore', base),
        reason: 'render token was issued for another form',
        evidence: reading.formKey.slice(0, 200),
      });
    }
    if (ctx.facts.tokenReplayed === true) {
      findings.push({
        score: optionScore(options, 'replayedScore', base),
        reason: 'render token was already used',
      });
    }
    const { minSeconds, maxAgeSeconds } = ctx.config.settings.renderToken;
    // Clocks of several instances may differ a little; a token "from the future" counts as instant.
    const elapsed = Math.max(0, (ctx.facts.now - reading.issuedAt) / 1000);
    if (elapsed > maxAgeSeconds) {
      findings.push({
        score: optionScore(options, 'expiredScore', base / 2),
        reason: `render token is older than ${describeSeconds(maxAgeSeconds)}`,
        evidence: `${Math.round(elapsed)} s`,
      });
    } else if (elapsed < minSeconds) {
      const tooFast = optionScore(options, 'tooFastScore', (base * 2) / 3);
      // Under half the minimum no person could have typed the form: weigh it more.
      const much = elapsed < minSeconds / 2;
      findings.push({
        score: much ? tooFast * 1.5 : tooFast,
        reason: `form was sent ${elapsed.toFixed(1)} s after the page rendered (minimum ${minSeconds} s)`,
        evidence: `${elapsed.toFixed(1)} s`,
      });
    }
    return findings;
  },
  examples: {
    hit: [
      { title: 'no token: JavaScript did not run', lead: { channel: 'form', name: 'Bot' } },
      {
        title: 'a forged token',
        lead: { channel: 'form', renderToken: 'AQAAAAAAAAAA.c2lnbmF0dXJlc2lnbmF0dXJl' },
      },
      { title: 'sent one second after rendering', lead: { channel: 'form', renderToken: exampleToken(1) } },
      {
        title: 'a reused token',
        lead: { channel: 'form', renderToken: exampleToken(60) },
        facts: { tokenReplayed: true },
      },
      {
        title: 'a token from two days ago',
        lead: { channel: 'form', renderToken: exampleToken(2 * 24 * 3600) },
      },
      {
        title: 'a token for another form',
        lead: { channel: 'form', renderToken: exampleToken(60, 'form_2') },
        config: { checks: { render_token: { options: { formKey: 'form_1' } } } },
      },
    ],
    miss: [
      {
        title: 'a fresh token used once, a minute after rendering',
        lead: { channel: 'form', renderToken: exampleToken(60) },
      },
      { title: 'an Akismet client has no render token', lead: { channel: 'akismet' } },
      { title: 'a lead from a file has none either', lead: { channel: 'file' } },
    ],
  },
});
