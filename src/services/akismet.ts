// Akismet-compatible use cases: comment-check screens and stores for the key's account; submit-spam/ham become training marks.
import { randomUUID } from 'node:crypto';
import { findActivity } from '../db/repositories/activities.ts';
import { replaceTrainingMark } from '../db/repositories/training-marks.ts';
import type { Lead } from '../engine/types.ts';
import { isUuid } from './auth.ts';
import { cleanJson } from './clean-value.ts';
import { nowOf } from './deps.ts';
import type { ServiceDeps } from './deps.ts';
import { learnSampleMark } from './mark-learning.ts';
import { markNotSpam, markSpam } from './review.ts';

/** A report names the checked comment by its guid (our activity id); without one, the fields train on their own. */
export async function reportComment(
  deps: ServiceDeps,
  input: { accountId: string; lead: Lead; guid: string | undefined; label: 'spam' | 'ham' },
): Promise<void> {
  const actor = { userId: null, via: 'akismet' } as const;
  if (input.guid && isUuid(input.guid) && (await findActivity(deps.db, input.accountId, input.guid))) {
    if (input.label === 'spam')
      await markSpam(deps, input.accountId, input.guid, actor, 'reported through the Akismet API');
    else await markNotSpam(deps, input.accountId, input.guid, actor, 'reported through the Akismet API');
    return;
  }
  const markId = randomUUID();
  const at = nowOf(deps);
  await replaceTrainingMark(deps.db, {
    id: markId,
    account_id: input.accountId,
    activity_id: null,
    label: input.label,
    source: 'user',
    by_user_id: null,
    sample: { lead: cleanJson(input.lead), receivedAt: at.getTime() },
    created_at: at,
  });
  await learnSampleMark(deps, input.accountId, markId);
}
