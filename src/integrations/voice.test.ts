// Voice webhook: Twilio signatures made by the twilio package, caller parsing, withheld IDs and TwiML.
import { describe, expect, it } from 'vitest';
import twilio from 'twilio';
import { compileConfig } from '../engine/compile.ts';
import { screenLead } from '../engine/screen.ts';
import {
  answerVoiceWebhook,
  isWithheldCallerId,
  leadFromCall,
  parseVoiceRequest,
  renderCallTwiml,
  verifyTwilioSignature,
  VoiceError,
} from './voice.ts';

const authToken = '12345678901234567890123456789012';
const url = 'https://leads.example.com/voice/incoming?form=abc';
const params = {
  CallSid: 'CA1234567890abcdef1234567890abcdef',
  AccountSid: 'AC1234567890abcdef1234567890abcdef',
  From: '+14155550123',
  To: '+14155550100',
  Direction: 'inbound',
  CallerName: 'JOHN DOE',
};

describe('verifyTwilioSignature', () => {
  it('accepts the signature twilio makes for the URL and parameters', () => {
    const signature = twilio.getExpectedTwilioSignature(authToken, url, params);
    expect(verifyTwilioSignature({ authToken, signature, url, params })).toBe(true);
  });

  it('refuses a changed parameter, URL or token, and a missing signature', () => {
    const signature = twilio.getExpectedTwilioSignature(authToken, url, params);
    expect(
      verifyTwilioSignature({ authToken, signature, url, params: { ...params, From: '+14155559999' } }),
    ).toBe(false);
    expect(verifyTwilioSignature({ authToken, signature, url: `${url}&x=1`, params })).toBe(false);
    expect(
      verifyTwilioSignature({ authToken: 'another-token-another-token-1234', signature, url, params }),
    ).toBe(false);
    expect(verifyTwilioSignature({ authToken, signature: undefined, url, params })).toBe(false);
    expect(verifyTwilioSignature({ authToken, signature: 'garbage', url, params })).toBe(false);
  });
});

describe('parseVoiceRequest', () => {
  it('reads the caller, the called number and the call id', () => {
    const call = parseVoiceRequest(params);
    expect(call).toMatchObject({
      callSid: params.CallSid,
      from: '+14155550123',
      to: '+14155550100',
      callerName: 'JOHN DOE',
    });
  });

  it.each(['anonymous', 'Anonymous', 'RESTRICTED', 'unknown', '+266696687', '266696687', '', '  ', '+'])(
    'treats caller ID %j as withheld, never as a number',
    (from) => {
      expect(isWithheldCallerId(from)).toBe(true);
      const call = parseVoiceRequest({ ...params, From: from });
      expect(call.from).toBeUndefined();
      expect(leadFromCall(call).phone).toBeUndefined();
    },
  );

  it('refuses a request without CallSid or To with a typed error', () => {
    expect(() => parseVoiceRequest({ From: '+14155550123', To: '+1415' })).toThrow(VoiceError);
    expect(() => parseVoiceRequest({ CallSid: 'CA1', From: '+14155550123' })).toThrow(VoiceError);
    expect(() => parseVoiceRequest({ CallSid: 'CA1<x>', To: '+14155550100' })).toThrow(VoiceError);
  });
});

describe('renderCallTwiml', () => {
  it('rejects a quarantined call as busy', () => {
    expect(renderCallTwiml({ outcome: 'quarantine' }, '+14155550199')).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Reject reason="busy"/></Response>',
    );
  });

  it('dials the forwarding number in E.164 for any other call', () => {
    expect(renderCallTwiml({ outcome: 'ham' }, '(415) 555-0199')).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Dial>+14155550199</Dial></Response>',
    );
  });

  it('refuses a forwarding number that is not a phone number, so no markup can be injected', () => {
    expect(() => renderCallTwiml({ outcome: 'ham' }, '</Dial><Hangup/>')).toThrow(VoiceError);
  });

  it('screens a call as a call-channel lead whose phone is the caller', () => {
    expect(leadFromCall(parseVoiceRequest(params))).toMatchObject({
      id: params.CallSid,
      channel: 'call',
      phone: '+14155550123',
      name: 'JOHN DOE',
    });
  });

  it('turns the engine verdict on a call lead into TwiML: blocked area code rejected, others dialled', () => {
    const config = compileConfig({ rules: [{ action: 'block', dimension: 'area_code', value: '415' }] });
    const blocked = screenLead(leadFromCall(parseVoiceRequest(params)), config, { now: 0 });
    expect(renderCallTwiml(blocked, '+12125550100')).toContain('<Reject reason="busy"/>');
    const other = screenLead(leadFromCall(parseVoiceRequest({ ...params, From: '+12125550123' })), config, {
      now: 0,
    });
    expect(renderCallTwiml(other, '+12125550100')).toContain('<Dial>+12125550100</Dial>');
  });

  it('never matches a withheld caller against a number rule', () => {
    const config = compileConfig({ rules: [{ action: 'block', dimension: 'phone', value: '266696687' }] });
    const withheld = screenLead(leadFromCall(parseVoiceRequest({ ...params, From: '+266696687' })), config, {
      now: 0,
    });
    expect(withheld.signals.filter((s) => s.hard)).toEqual([]);
  });
});

describe('answerVoiceWebhook', () => {
  const config = compileConfig({ rules: [{ action: 'block', dimension: 'phone', value: '+14155550123' }] });
  const screen = (lead: Parameters<typeof screenLead>[0]) => screenLead(lead, config, { now: 0 });

  it('refuses an unsigned or mis-signed request before reading it', () => {
    const calls: unknown[] = [];
    const answer = answerVoiceWebhook({
      authToken,
      signature: 'forged',
      url,
      params,
      forwardingNumber: '+12125550100',
      screen: (lead) => {
        calls.push(lead);
        return screen(lead);
      },
    });
    expect(answer).toEqual({ status: 'refused', reason: 'bad_signature' });
    expect(calls).toEqual([]);
  });

  it('rejects a blocked caller and forwards anyone else', () => {
    const signed = (p: Record<string, string>) => twilio.getExpectedTwilioSignature(authToken, url, p);
    const blocked = answerVoiceWebhook({
      authToken,
      signature: signed(params),
      url,
      params,
      forwardingNumber: '+12125550100',
      screen,
    });
    expect(blocked).toMatchObject({ status: 'answered', verdict: { outcome: 'quarantine' } });
    if (blocked.status === 'answered') expect(blocked.twiml).toContain('<Reject reason="busy"/>');
    const other = { ...params, From: '+12125550123' };
    const forwarded = answerVoiceWebhook({
      authToken,
      signature: signed(other),
      url,
      params: other,
      forwardingNumber: '+12125550100',
      screen,
    });
    if (forwarded.status !== 'answered') throw new Error(forwarded.status);
    expect(forwarded.twiml).toContain('<Dial>+12125550100</Dial>');
  });

  it('answers a signed request without CallSid as invalid, not as an error', () => {
    const bare = { From: '+12125550123', To: '+14155550100' };
    const answer = answerVoiceWebhook({
      authToken,
      signature: twilio.getExpectedTwilioSignature(authToken, url, bare),
      url,
      params: bare,
      forwardingNumber: '+12125550100',
      screen,
    });
    expect(answer.status).toBe('invalid');
  });

  it('answers busy when the forwarding number is unusable, and says it is misconfigured', () => {
    const other = { ...params, From: '+12125550123' };
    const answer = answerVoiceWebhook({
      authToken,
      signature: twilio.getExpectedTwilioSignature(authToken, url, other),
      url,
      params: other,
      forwardingNumber: 'not a number',
      screen,
    });
    expect(answer).toMatchObject({ status: 'misconfigured', verdict: { outcome: 'ham' } });
    if (answer.status === 'misconfigured') expect(answer.twiml).toContain('<Reject reason="busy"/>');
  });
});
