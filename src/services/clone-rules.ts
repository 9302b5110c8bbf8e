// Copies rules from one account to others of the same organization: never overwrites, brings along segments the rules name.
import { createOrderedId } from './ordered-id.ts';
import { randomUUID } from 'node:crypto';
import { bumpConfigVersion, findAccountById } from '../db/repositories/accounts.ts';
import { insertHistoryEvents } from '../db/repositories/history.ts';
import { insertRule, insertSegment, listRules, listSegments } from '../db/repositories/rules.ts';
import { afterConfigChange } from './account-config.ts';
import { nowOf } from './deps.ts';
import type { ActorRef, ServiceDeps } from './deps.ts';
import { ServiceError } from './errors.ts';
import { isUuid } from './auth.ts';

export interface CloneSummary {
  readonly created: number;
  readonly skipped: number;
  readonly segmentsCreated: number;
  readonly perAccount: readonly {
    accountId: string;
    created: number;
    skipped: number;
    segmentsCreated: number;
  }[];
}

export async function cloneRules(
  deps: ServiceDeps,
  sourceAccountId: string,
  input: { ruleIds: readonly string[] | 'all'; targetAccountIds: readonly string[] },
  actor: ActorRef,
): Promise<CloneSummary> {
  const at = nowOf(deps);
  return afterConfigChange(
    deps,
    input.targetAccountIds,
    deps.db.transaction(async (tx) => {
      const source = await findAccountById(tx, sourceAccountId);
      if (!source) throw new ServiceError('not_found', 'the source account does not exist');
      const wanted = input.ruleIds === 'all' ? undefined : new Set(input.ruleIds);
      const rules = (await listRules(tx, sourceAccountId)).filter((rule) => !wanted || wanted.has(rule.id));
      const segments = new Map(
        (await listSegments(tx, sourceAccountId)).map((segment) => [segment.name, segment]),
      );
      const perAccount: { accountId: string; created: number; skipped: number; segmentsCreated: number }[] =
        [];
      for (const targetId of new Set(input.targetAccountIds)) {
        if (targetId === sourceAccountId) continue;
        const target = isUuid(targetId) ? await findAccountById(tx, targetId) : undefined;
        if (!target || target.organization_id !== source.organization_id)
          throw new ServiceError(
            'invalid_input',
            `account ${targetId.slice(0, 100)} is not in the same organization`,
          );
        const summary = { accountId: targetId, created: 0, skipped: 0, segmentsCreated: 0 };
        const targetSegments = new Set((await listSegments(tx, targetId)).map((segment) => segment.name));
        for (const rule of rules) {
          if (rule.dimension === 'segment' && !targetSegments.has(rule.value)) {
            const segment = segments.get(rule.value);
            if (segment) {
              await insertSegment(tx, {
                id: randomUUID(),
                account_id: targetId,
                name: segment.name,
                definition: segment.definition,
              });
              targetSegments.add(segment.name);
              summary.segmentsCreated += 1;
            }
          }
          const inserted = await insertRule(tx, {
            id: randomUUID(),
            account_id: targetId,
            action: rule.action,
            dimension: rule.dimension,
            value: rule.value,
            note: rule.note,
            created_by: actor.userId,
          });
          if (inserted) summary.created += 1;
          else summary.skipped += 1;
        }
        if (summary.created > 0 || summary.segmentsCreated > 0) await bumpConfigVersion(tx, targetId);
        await insertHistoryEvents(tx, [
          {
            id: createOrderedId(),
            account_id: targetId,
            contact_id: null,
            activity_id: null,
            type: 'rules_cloned',
            actor_user_id: actor.userId,
            via: actor.via,
            detail: { from: sourceAccountId, ...summary },
            at: at.toISOString(),
          },
        ]);
        perAccount.push(summary);
      }
      return {
        created: perAccount.reduce((sum, a) => sum + a.created, 0),
        skipped: perAccount.reduce((sum, a) => sum + a.skipped, 0),
        segmentsCreated: perAccount.reduce((sum, a) => sum + a.segmentsCreated, 0),
        perAccount,
      };
    }),
  );
}
