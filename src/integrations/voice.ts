// Twilio-compatible voice webhook: verify X-Twilio-Signature, read the call, turn the engine's verdict into TwiML.
import twilio from 'twilio';
import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import type { Lead, Verdict } from '../engine/types.ts';
import { escapeXml } from './adf.ts';

/** Words carriers send in place of a withheld caller ID. */
const withheldWords: ReadonlySet<string> = new Set([
  'anonymous',
  'restricted',
  'unknown',
  'private',
  'unavailable',
  'blocked',
]);

/**
 * The same words spelled on a phone keypad (ANONYMOUS is +266696687); they look like numbers
 * and would otherwise collide with real rules.
 */
const withheldKeypadDigits: ReadonlySet<string> = new Set(
  [...withheldWords].map((word) =>
    [...word.toUpperCase()].map((c) => '22233344455566677778889999'[c.charCodeAt(0) - 65] ?? '').join(''),
  ),
);

/** True when a caller ID is withheld or carries no dialable number; such a caller is never matched as a number. */
export function isWithheldCallerId(from: string | undefined): boolean {
  const value = (from ?? '').trim().toLowerCase();
  if (withheldWords.has(value)) return true;
  const digits = value.replace(/\D/g, '');
  return digits.length === 0 || withheldKeypadDigits.has(digits);
}

export class VoiceError extends Error {
  constructor(
    readonly code: 'invalid_request' | 'invalid_forwarding_number',
    message: string,
  ) {
    super(message);
    this.name = 'VoiceError';
  }
}

/** Checks `X-Twilio-Signature`: HMAC-SHA1 over the full webhook URL and the sorted POST parameters. */
export function verifyTwilioSignature(input: {
  readonly authToken: string;
  readonly signature: string | undefined;
  /** The exact public URL Twilio called, query string included. */
  readonly url: string;
  readonly params: Readonly<Record<string, string>>;
}): boolean {
  if (!input.signature || !input.authToken) return false;
  return twilio.validateRequest(input.authToken, input.signature, input.url, { ...input.params });
}

export interface VoiceCall {
  readonly callSid: string;
  /** The caller's number, or undefined when withheld. */
  readonly from: string | undefined;
  /** The raw caller ID as sent, for the activity record. */
  readonly fromRaw: string;
  readonly to: string;
  readonly accountSid: string | undefined;
  readonly direction: string | undefined;
  readonly callerName: string | undefined;
  readonly fromCountry: string | undefined;
  readonly fromState: string | undefined;
}

const field = (params: Readonly<Record<string, unknown>>, name: string, max = 200): string | undefined => {
  const value = params[name];
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed ? trimmed.slice(0, max) : undefined;
};

/** Reads the form fields of a voice webhook; a request without CallSid or To is a `VoiceError`. */
export function parseVoiceRequest(params: Readonly<Record<string, unknown>>): VoiceCall {
  const callSid = field(params, 'CallSid', 64);
  const to = field(params, 'To', 64);
  if (!callSid || !/^[A-Za-z0-9]+$/.test(callSid))
    throw new VoiceError('invalid_request', 'CallSid is missing or invalid');
  if (!to) throw new VoiceError('invalid_request', 'To is missing');
  const fromRaw = field(params, 'From', 64) ?? '';
  return {
    callSid,
    from: isWithheldCallerId(fromRaw) ? undefined : fromRaw,
    fromRaw,
    to,
    accountSid: field(params, 'AccountSid', 64),
    direction: field(params, 'Direction', 32),
    callerName: field(params, 'CallerName', 100),
    fromCountry: field(params, 'FromCountry', 8),
    fromState: field(params, 'FromState', 64),
  };
}

/** The lead the engine screens for a call: channel `call`, phone = the caller's number (none when withheld). */
export function leadFromCall(call: VoiceCall): Lead {
  return {
    id: call.callSid,
    channel: 'call',
    phone: call.from,
    name: call.callerName,
    contact:
      call.fromCountry || call.fromState ? { country: call.fromCountry, state: call.fromState } : undefined,
  };
}

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>';

/** The call's answer: a quarantine verdict rejects it as busy (never answered); anything else dials the forwarding number. */
export function renderCallTwiml(verdict: Pick<Verdict, 'outcome'>, forwardingNumber: string): string {
  if (verdict.outcome === 'quarantine') return `${XML_HEAD}<Response><Reject reason="busy"/></Response>`;
  const parsed = parsePhoneNumberFromString(forwardingNumber.trim(), 'US');
  if (!parsed?.isValid())
    throw new VoiceError('invalid_forwarding_number', 'the forwarding number is not a valid phone number');
  return `${XML_HEAD}<Response><Dial>${escapeXml(parsed.number)}</Dial></Response>`;
}

export type VoiceAnswer =
  | { readonly status: 'refused'; readonly reason: 'bad_signature' }
  | { readonly status: 'invalid'; readonly message: string }
  /** The account's forwarding number is unusable: the caller hears a rejection, staff must fix the setting. */
  | {
      readonly status: 'misconfigured';
      readonly call: VoiceCall;
      readonly verdict: Verdict;
      readonly twiml: string;
    }
  | {
      readonly status: 'answered';
      readonly call: VoiceCall;
      readonly verdict: Verdict;
      readonly twiml: string;
    };

/**
 * The whole webhook in one call: signature first (nothing is read from an unsigned request), then
 * the call, the verdict from `screen` (the engine on the call lead), and the TwiML answer. The
 * route answers 403 for `refused`, 400 for `invalid`, and the TwiML (text/xml) otherwise;
 * `misconfigured` still answers (busy) and is worth a log line.
 */
export function answerVoiceWebhook(input: {
  readonly authToken: string;
  readonly signature: string | undefined;
  readonly url: string;
  readonly params: Readonly<Record<string, string>>;
  readonly forwardingNumber: string;
  readonly screen: (lead: Lead) => Verdict;
}): VoiceAnswer {
  if (!verifyTwilioSignature(input)) return { status: 'refused', reason: 'bad_signature' };
  try {
    const call = parseVoiceRequest(input.params);
    const verdict = input.screen(leadFromCall(call));
    try {
      return { status: 'answered', call, verdict, twiml: renderCallTwiml(verdict, input.forwardingNumber) };
    } catch {
      return {
        status: 'misconfigured',
        call,
        verdict,
        twiml: renderCallTwiml({ outcome: 'quarantine' }, ''),
      };
    }
  } catch (error) {
    if (error instanceof VoiceError) return { status: 'invalid', message: error.message };
    throw error;
  }
}
