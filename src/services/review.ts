// The quarantine lifecycle: mark spam / not spam (a release creates the lead's deliveries), undo a mark, block from a lead, delete.
import { randomUUID } from 'node:crypto';
import { findAccountById, findFormById, bumpConfigVersion } from '../db/repositories/accounts.ts';
import { findActivity, lockActivity, setActivityStatus } from '../db/repositories/activities.ts';
import { insertDeliveries } from '../db/repositories/deliveries.ts';
import { insertHistoryEvents } from '../db/repositories/history.ts';
import { reviveCancelledDeliveries } from '../db/repositories/revive-deliveries.ts';
import { insertRule } from '../db/repositories/rules.ts';
import { replaceTrainingMark, undoTrainingMarks } from '../db/repositories/training-marks.ts';
import { normalizeDomainRule, normalizeEmailRule } from '../engine/rule-index.ts';
import { prepareEmail } from '../engine/prepare.ts';
import type { Db } from '../db/database.ts';
import { onLeadLifecycleEvent, onLeadMarkedSpam } from '../jobs/lead-deliveries.ts';
import { buildDeliveries } from './deliveries-for.ts';
import { afterConfigChange } from './account-config.ts';
import { nowOf } from './deps.ts';
import { historyLine } from './history-line.ts';
import { learnActivityMarks } from './mark-learning.ts';
import { captureLeadEvent } from './lead-events.ts';
import type { ActorRef, ServiceDeps } from './deps.ts';
import { ServiceError } from './errors.ts';

/** Domains shared by millions of people: blocking one would quarantine every honest lead from it. */
const sharedMailDomains = new Set([
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'hotmail.com',
  'outlook.com',
  'live.com',
  'msn.com',
  'aol.com',
  'icloud.com',
  'me.com',
  'proton.me',
  'protonmail.com',
  'gmx.com',
  'gmx.de',
  'mail.ru',
  'yandex.ru',
  'comcast.net',
]);

async function markAs(
  deps: ServiceDeps,
  accountId: string,
  activityId: string,
  label: 'spam' | 'ham',
  actor: ActorRef,
  reason?: string,
): Promise<boolean> {
  const at = nowOf(deps);
  const marked = await deps.db.transaction(async (tx) => {
    const activity = await lockActivity(tx, accountId, activityId);
    if (!activity) return false;
    const target = label === 'spam' ? 'quarantined' : 'active';
    if (activity.status !== target) {
      await setActivityStatus(tx, accountId, activityId, target, at);
      const event = await captureLeadEvent(tx, accountId, activityId, at);
      // Unsent work is cancelled (the hold window at work); an export already out gets lead.marked_spam.
      if (target === 'quarantined') await onLeadMarkedSpam(tx, event);
      else {
        await createReleaseDeliveries(tx, accountId, activityId, at);
        await onLeadLifecycleEvent(tx, { ...event, event: 'lead.released' });
      }
    }
    await replaceTrainingMark(tx, {
      id: randomUUID(),
      account_id: accountId,
      activity_id: activityId,
      label,
      source: 'user',
      by_user_id: actor.userId,
      sample: null,
      created_at: at,
    });
    await insertHistoryEvents(tx, [
      historyLine(
        accountId,
        activity.contact_id,
        activityId,
        label === 'spam' ? 'marked_spam' : 'marked_not_spam',
        actor,
        at,
        {
          from: activity.status,
          to: target,
          ...(reason ? { reason } : {}),
        },
      ),
    ]);
    return true;
  });
  // Learned after the commit, so a mark that rolled back never taught the model.
  if (marked) await learnActivityMarks(deps, accountId, activityId);
  return marked;
}

/** Released leads are processed as if never quarantined: their deliveries are created now (the hold window starts now). */
async function createReleaseDeliveries(
  tx: Db,
  accountId: string,
  activityId: string,
  at: Date,
): Promise<void> {
  const activity = await findActivity(tx, accountId, activityId);
  const account = await findAccountById(tx, accountId);
  if (!activity || !account || !activity.form_id) return;
  const form = await findFormById(tx, accountId, activity.form_id);
  const email = prepareEmail(activity.email ?? undefined);
  const rows = buildDeliveries(
    {
      activityId,
      accountId,
      formId: activity.form_id,
      email: email?.address,
      emailValid: email?.syntaxValid ?? false,
    },
    account,
    form,
    at,
  );
  await insertDeliveries(tx, rows);
  // Work a spam mark cancelled has the same keys, so the insert skipped it: it is sent now, as if never quarantined.
  await reviveCancelledDeliveries(tx, accountId, rows);
}

export function markSpam(
  deps: ServiceDeps,
  accountId: string,
  activityId: string,
  actor: ActorRef,
  reason?: string,
) {
  return markAs(deps, accountId, activityId, 'spam', actor, reason);
}

export function markNotSpam(
  deps: ServiceDeps,
  accountId: string,
  activityId: string,
  actor: ActorRef,
  reason?: string,
) {
  return markAs(deps, accountId, activityId, 'ham', actor, reason);
}

/** Undoes the staff's last mark on the lead (the model unlearns it); the lead's status stays as it is. */
export async function undoTrainingMark(
  deps: ServiceDeps,
  accountId: string,
  activityId: string,
  actor: ActorRef,
): Promise<boolean> {
  const at = nowOf(deps);
  const undone = await deps.db.transaction(async (tx) => {
    const activity = await lockActivity(tx, accountId, activityId);
    if (!activity) return false;
    if ((await undoTrainingMarks(tx, accountId, activityId, at)) === 0) return false;
    await insertHistoryEvents(tx, [
      historyLine(accountId, activity.contact_id, activityId, 'mark_undone', actor, at),
    ]);
    return true;
  });
  if (undone) await learnActivityMarks(deps, accountId, activityId);
  return undone;
}

async function blockFromActivity(
  deps: ServiceDeps,
  accountId: string,
  activityId: string,
  actor: ActorRef,
  dimension: 'email' | 'domain',
): Promise<boolean> {
  const at = nowOf(deps);
  const found = await afterConfigChange(
    deps,
    [accountId],
    deps.db.transaction(async (tx) => {
      const activity = await findActivity(tx, accountId, activityId);
      if (!activity) return undefined;
      const email = prepareEmail(activity.email ?? undefined);
      if (!email?.domain) throw new ServiceError('invalid_input', 'this lead has no email address to block');
      const value =
        dimension === 'email' ? normalizeEmailRule(email.address) : normalizeDomainRule(email.domain);
      if (dimension === 'domain' && sharedMailDomains.has(value))
        throw new ServiceError(
          'invalid_input',
          `${value} is a shared mail provider: blocking it would quarantine every lead from it; block the address instead`,
        );
      const rule = await insertRule(tx, {
        id: randomUUID(),
        account_id: accountId,
        action: 'block',
        dimension,
        value,
        note: `from lead ${activityId}`,
        created_by: actor.userId,
      });
      if (rule) await bumpConfigVersion(tx, accountId);
      await insertHistoryEvents(tx, [
        historyLine(accountId, activity.contact_id, activityId, 'rule_added', actor, at, {
          action: 'block',
          dimension,
          value,
          created: rule !== undefined,
        }),
      ]);
      return activity;
    }),
  );
  if (!found) return false;
  // "Email is spam": the lead itself is spam too.
  if (found.status === 'active') await markSpam(deps, accountId, activityId, actor, `${dimension} blocked`);
  return true;
}

export function blockEmailFromActivity(
  deps: ServiceDeps,
  accountId: string,
  activityId: string,
  actor: ActorRef,
) {
  return blockFromActivity(deps, accountId, activityId, actor, 'email');
}

export function blockDomainFromActivity(
  deps: ServiceDeps,
  accountId: string,
  activityId: string,
  actor: ActorRef,
) {
  return blockFromActivity(deps, accountId, activityId, actor, 'domain');
}

/** Soft delete: hidden everywhere at once, pending deliveries cancelled; the history keeps a line. */
export async function deleteActivity(
  deps: ServiceDeps,
  accountId: string,
  activityId: string,
  actor: ActorRef,
): Promise<boolean> {
  const at = nowOf(deps);
  return deps.db.transaction(async (tx) => {
    const activity = await lockActivity(tx, accountId, activityId);
    if (!activity) return false;
    await setActivityStatus(tx, accountId, activityId, 'deleted', at);
    // Cancels unsent work and tells subscribed endpoints, with what the lead was (nothing is left to read later).
    await onLeadLifecycleEvent(tx, {
      ...(await captureLeadEvent(tx, accountId, activityId, at)),
      event: 'lead.deleted',
    });
    await insertHistoryEvents(tx, [
      historyLine(accountId, activity.contact_id, activityId, 'deleted', actor, at, {
        from: activity.status,
      }),
    ]);
    return true;
  });
}

// Retention moved to its own module; callers that import it from here keep working.
export { purgeExpiredNonces, purgeExpiredQuarantine } from './retention.ts';
