// The registry: every check, once, in the order the engine runs them. The classifier stays last: it reads the others' signals.
import type { CheckDefinition } from '../engine/check.ts';
import { honeypot } from './honeypot.ts';
import { renderToken } from './render-token.ts';
import { referrer } from './referrer.ts';
import { frequency } from './frequency.ts';
import { rules } from './rules.ts';
import { keywords } from './keywords.ts';
import { badEmail } from './bad-email.ts';

export const checks: readonly CheckDefinition[] = [
  honeypot,
  renderToken,
  referrer,
  frequency,
  rules,
  keywords,
  badEmail,
];
