// Derives one purpose-bound key per use from SECRET_KEY, so a leaked session key does not forge render tokens.
import { createHmac } from 'node:crypto';

export type KeyPurpose = 'session' | 'csrf' | 'render-token' | 'email-link';

export function deriveKey(secretKey: string, purpose: KeyPurpose): Buffer {
  return createHmac('sha256', secretKey).update(`leadguard:${purpose}`).digest();
}

/** The render-token signing secret: the intake's token route and the engine's render-token check must use this same value. */
export function renderTokenSecret(secretKey: string): string {
  return deriveKey(secretKey, 'render-token').toString('base64url');
}
