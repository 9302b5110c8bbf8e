// The lead shape of a JSONL line (the dev file's fields plus optional extras), validated and turned into an engine lead.
import { z } from 'zod';
import type { Lead } from '../engine/types.ts';

const str = (max: number) => z.string().max(max).optional();

export const leadLineSchema = z.object({
  id: z.union([z.string().max(200), z.number()]).optional(),
  label: z.enum(['spam', 'ham']).optional(),
  name: str(1_000),
  email: str(1_000),
  phone: str(100),
  subject: str(10_000),
  message: str(2_000_000),
  fields: z.record(z.string(), z.unknown()).optional(),
  user_agent: str(2_000),
  referrer: str(8_000),
  page_url: str(8_000),
  ip: str(100),
  submitted_at: z.union([z.string().max(100), z.number()]).optional(),
});
export type LeadLine = z.infer<typeof leadLineSchema>;

export interface ParsedLine {
  readonly line: LeadLine;
  readonly lead: Lead;
  /** Submission time in ms since the epoch, when the line carries a valid one. */
  readonly submittedAt: number | undefined;
}

/** Parses one JSONL line; returns an error message that says what to fix instead of throwing. */
export function parseLeadLine(text: string): ParsedLine | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { error: 'not valid JSON' };
  }
  const parsed = leadLineSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { error: `${issue?.path.join('.') || 'line'}: ${issue?.message ?? 'invalid'}` };
  }
  const line = parsed.data;
  const submittedAt = line.submitted_at === undefined ? undefined : new Date(line.submitted_at).getTime();
  const lead: Lead = {
    channel: 'file',
    id: line.id === undefined ? undefined : String(line.id),
    name: line.name,
    email: line.email,
    phone: line.phone,
    subject: line.subject,
    message: line.message,
    fields: line.fields,
    userAgent: line.user_agent,
    referrer: line.referrer,
    pageUrl: line.page_url,
    ip: line.ip,
  };
  return { line, lead, submittedAt: Number.isFinite(submittedAt) ? submittedAt : undefined };
}
