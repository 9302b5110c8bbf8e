// Backtest before saving: which recent leads a rule or keyword would have caught, and how many of them are active (false positives).
import { listActivitiesSince } from '../db/repositories/activities.ts';
import type { ActivityRow } from '../db/repositories/activities.ts';
import { listSegments } from '../db/repositories/rules.ts';
import { compileConfig } from '../engine/compile.ts';
import type { RuleDimension } from '../engine/config.ts';
import { prepareLead } from '../engine/prepare.ts';
import type { Lead } from '../engine/types.ts';
import type { ServiceDeps } from './deps.ts';
import { ServiceError } from './errors.ts';
import { toLeadSummary } from './leads.ts';
import { normalizeRuleValue } from './lists.ts';

export type TryInput =
  | { kind: 'rule'; action: 'block' | 'allow'; dimension: RuleDimension; value: string }
  | { kind: 'keyword'; phrase: string };

/** How many leads a backtest reads at most, newest first. */
const MAX_LEADS = 20_000;

export function leadOfRow(row: ActivityRow): Lead {
  return {
    channel: row.channel as Lead['channel'],
    name: row.name ?? undefined,
    email: row.email ?? undefined,
    phone: row.phone ?? undefined,
    subject: row.subject ?? undefined,
    message: row.message ?? undefined,
    fields: row.fields,
  };
}

export async function tryRule(
  deps: Pick<ServiceDeps, 'db'>,
  accountId: string,
  input: TryInput,
  since: Date,
): Promise<{ caught: number; active: number; activeLeads: Record<string, unknown>[] }> {
  const segments = (await listSegments(deps.db, accountId)).map((s) => ({ ...s.definition, name: s.name }));
  let compiled;
  try {
    compiled =
      input.kind === 'rule'
        ? compileConfig({
            rules: [
              {
                action: input.action,
                dimension: input.dimension,
                value: normalizeRuleValue(input.dimension, input.value),
              },
            ],
            segments: segments as never,
          })
        : compileConfig({ keywords: [input.phrase] });
  } catch (error) {
    if (error instanceof ServiceError) throw error;
    throw new ServiceError('invalid_input', error instanceof Error ? error.message : 'invalid rule');
  }
  const rows = await listActivitiesSince(deps.db, accountId, since, MAX_LEADS);
  let caught = 0;
  const active: ActivityRow[] = [];
  for (const row of rows) {
    const lead = prepareLead(leadOfRow(row));
    const hit =
      input.kind === 'rule'
        ? compiled.rules.match(lead).some((match) => match.action === input.action)
        : compiled.keywords.findAll(lead.folded, 1).length > 0;
    if (!hit) continue;
    caught += 1;
    // For a block rule the active leads it catches are the worry; for an allow rule, the quarantined ones it would release.
    const worrying =
      input.kind === 'rule' && input.action === 'allow'
        ? row.status === 'quarantined'
        : row.status === 'active';
    if (worrying) active.push(row);
  }
  return { caught, active: active.length, activeLeads: active.slice(0, 50).map(toLeadSummary) };
}
