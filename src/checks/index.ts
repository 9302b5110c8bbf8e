// The registry: every check, once, in the order the engine runs them. The classifier stays last: it reads the others' signals.
import type { CheckDefinition } from '../engine/check.ts';
import { honeypot } from './honeypot.ts';
import { renderToken } from './render-token.ts';
import { referrer } from './referrer.ts';
import { frequency } from './frequency.ts';
import { rules } from './rules.ts';
import { quarantinedContact } from './quarantined-contact.ts';
import { keywords } from './keywords.ts';
import { badEmail } from './bad-email.ts';
import { externalLink } from './external-link.ts';
import { mostlyLinks } from './mostly-links.ts';
import { nameIsEmail } from './name-is-email.ts';
import { gibberish } from './gibberish.ts';
import { shouting } from './shouting.ts';
import { scriptMismatch } from './script-mismatch.ts';
import { duplicateBody } from './duplicate-body.ts';
import { classifier } from './classifier.ts';

export const checks: readonly CheckDefinition[] = [
  honeypot,
  renderToken,
  referrer,
  frequency,
  rules,
  quarantinedContact,
  keywords,
  badEmail,
  externalLink,
  mostlyLinks,
  nameIsEmail,
  gibberish,
  shouting,
  scriptMismatch,
  duplicateBody,
  classifier,
];
