// Turns training marks into learning: a new user mark is learned (its receipts kept in the mark's sample), an undone one unlearned, each exactly once across instances.
import { z } from 'zod';
import { findActivity } from '../db/repositories/activities.ts';
import type { ActivityRow } from '../db/repositories/activities.ts';
import {
  claimMarkSample,
  findMarkSample,
  listActivityMarkSamples,
  listLearnedUserMarks,
  patchMarkSample,
} from '../db/repositories/mark-samples.ts';
import type { MarkSampleRow } from '../db/repositories/mark-samples.ts';
import { learnMark } from '../classifier/learning.ts';
import { screenForClassifier } from '../classifier/training.ts';
import type { Label, SpamClassifier } from '../classifier/spam-classifier.ts';
import type { Lead, Verdict } from '../engine/types.ts';
import type { PreparedLead } from '../engine/prepare.ts';
import type { SpamModel } from '../engine/model.ts';
import type { Db } from '../db/database.ts';
import { cleanJson } from './clean-value.ts';
import type { MarkReceipts, ModelStore } from './model-store.ts';

export interface LearningDeps {
  readonly db: Db;
  readonly learning?: ModelStore;
}

const text = z.string().optional();
const sampleSchema = z.object({
  lead: z.object({
    channel: z.enum(['form', 'akismet', 'file', 'call']),
    name: text,
    email: text,
    phone: text,
    subject: text,
    message: text,
    fields: z.record(z.string(), z.unknown()).optional(),
    ip: text,
    userAgent: text,
    referrer: text,
    pageUrl: text,
  }),
  receivedAt: z.number().finite(),
  receipts: z
    .object({
      global: z.object({ label: z.enum(['spam', 'ham']), step: z.number(), modelVersion: z.string() }),
      account: z.object({ label: z.enum(['spam', 'ham']), step: z.number(), modelVersion: z.string() }),
    })
    .optional(),
});
type Sample = z.infer<typeof sampleSchema>;

async function safely(learning: ModelStore, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    learning.reportError(error);
  }
}

const orUndefined = (value: string | null): string | undefined => value ?? undefined;

/** The lead as stored with its activity; what staff marked, minus what is never stored (honeypot, token). */
function leadOfActivity(row: ActivityRow): Lead {
  const channel = sampleSchema.shape.lead.shape.channel.safeParse(row.channel);
  return {
    channel: channel.success ? channel.data : 'form',
    name: orUndefined(row.name),
    email: orUndefined(row.email),
    phone: orUndefined(row.phone),
    subject: orUndefined(row.subject),
    message: orUndefined(row.message),
    fields: row.fields,
    ip: orUndefined(row.ip),
    userAgent: orUndefined(row.user_agent),
    referrer: orUndefined(row.referrer),
    pageUrl: orUndefined(row.page_url),
  };
}

function readSample(mark: MarkSampleRow): Sample | undefined {
  const parsed = sampleSchema.safeParse(mark.sample);
  return parsed.success ? parsed.data : undefined;
}

/** The stored form of a lead (JSON round trip), so learning and unlearning see the very same fields. */
export function toSampleLead(lead: Lead): Lead {
  return cleanJson(lead) as Lead;
}

async function learnOne(
  deps: LearningDeps & { learning: ModelStore },
  accountId: string,
  mark: MarkSampleRow,
  lead: Lead,
  receivedAt: number,
): Promise<void> {
  if (!(await claimMarkSample(deps.db, accountId, mark.id, 'learning'))) return;
  const screened = screenForClassifier(lead, { now: receivedAt });
  const receipts = await deps.learning.learnMark(accountId, screened, mark.label);
  await patchMarkSample(deps.db, accountId, mark.id, { lead, receivedAt, receipts });
}

async function unlearnOne(
  deps: LearningDeps & { learning: ModelStore },
  accountId: string,
  mark: MarkSampleRow,
): Promise<void> {
  const sample = readSample(mark);
  // A mark that never finished learning has nothing to take back.
  if (!sample?.receipts || mark.sample?.unlearned === true) return;
  if (!(await claimMarkSample(deps.db, accountId, mark.id, 'unlearned'))) return;
  const screened = screenForClassifier(sample.lead as Lead, { now: sample.receivedAt });
  await deps.learning.unlearnMark(accountId, screened, mark.label, sample.receipts as MarkReceipts);
}

/**
 * Brings the models in line with an activity's marks after a mark or an undo: undone marks are
 * unlearned, new user marks learned. A learning failure never fails the mark itself.
 */
export async function learnActivityMarks(
  deps: LearningDeps,
  accountId: string,
  activityId: string,
): Promise<void> {
  const learning = deps.learning;
  if (!learning) return;
  await safely(learning, async () => {
    const withStore = { db: deps.db, learning };
    const marks = await listActivityMarkSamples(deps.db, accountId, activityId);
    for (const mark of marks) if (mark.undone) await unlearnOne(withStore, accountId, mark);
    const fresh = marks.filter(
      (mark) => !mark.undone && mark.source === 'user' && mark.sample?.learning !== true,
    );
    if (fresh.length === 0) return;
    const activity = await findActivity(deps.db, accountId, activityId);
    if (!activity) return;
    const lead = toSampleLead(leadOfActivity(activity));
    for (const mark of fresh)
      await learnOne(withStore, accountId, mark, lead, activity.received_at.getTime());
  });
}

/** A mark that names no stored lead (Akismet submit-spam/ham of an unknown comment): learns the lead in its sample. */
export async function learnSampleMark(deps: LearningDeps, accountId: string, markId: string): Promise<void> {
  const learning = deps.learning;
  if (!learning) return;
  await safely(learning, async () => {
    const mark = await findMarkSample(deps.db, accountId, markId);
    const sample = mark && readSample(mark);
    if (!mark || !sample || mark.source !== 'user') return;
    await learnOne({ db: deps.db, learning }, accountId, mark, sample.lead as Lead, sample.receivedAt);
  });
}

/**
 * Learns every staff mark in force into `model` again, oldest first, from the lead kept with it: a global model
 * starting over from a new base model. Marks whose lead retention has purged cannot be learned again; they still
 * count in their account's own model. Their receipts keep naming the model line they were learned on, so undoing
 * one later steps the new line back approximately, as for any mark learned on another line.
 */
export async function relearnMarks(db: Db, model: SpamClassifier): Promise<number> {
  let learned = 0;
  let after: { createdAt: Date; id: string } | undefined;
  for (;;) {
    const page = await listLearnedUserMarks(db, after, 500);
    for (const mark of page) {
      const sample = sampleSchema.safeParse(mark.sample);
      if (!sample.success) continue;
      const screened = screenForClassifier(sample.data.lead as Lead, { now: sample.data.receivedAt });
      learnMark(model, screened.prepared, screened.signals, mark.label);
      learned += 1;
    }
    const last = page.at(-1);
    if (!last || page.length < 500) return learned;
    after = { createdAt: last.created_at, id: last.id };
  }
}

/** Automatic verdicts after intake: only hard-to-doubt ones teach, and only the account's own model. */
export async function learnVerdicts(
  deps: LearningDeps,
  items: readonly { accountId: string; prepared: PreparedLead; verdict: Verdict }[],
): Promise<void> {
  const learning = deps.learning;
  if (!learning) return;
  await safely(learning, async () => {
    for (const item of items) {
      const label: Label = item.verdict.outcome === 'quarantine' ? 'spam' : 'ham';
      const signals = item.verdict.signals.filter((signal) => signal.check !== 'classifier');
      await learning.learnVerdict(item.accountId, { prepared: item.prepared, signals }, label);
    }
  });
}

/** The models the batch's accounts screen with; without a store, none (the caller's fixed model applies). */
export async function modelsForAccounts(
  deps: LearningDeps,
  accountIds: readonly string[],
): Promise<Map<string, SpamModel>> {
  const models = new Map<string, SpamModel>();
  const learning = deps.learning;
  if (!learning) return models;
  for (const accountId of new Set(accountIds)) {
    try {
      models.set(accountId, await learning.modelFor(accountId));
    } catch (error) {
      // A model that cannot be read now must not stop intake: the account screens with the fixed model.
      learning.reportError(error);
    }
  }
  return models;
}
