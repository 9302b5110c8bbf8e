// Reports: leads per day active vs quarantined, by form, quarantine reasons by check, and each check's release (false-positive) rate.
import { listForms } from '../db/repositories/accounts.ts';
import {
  countLeadsPerDay,
  countQuarantineReasons,
  countReleasesByCheck,
} from '../db/repositories/reports.ts';
import type { ServiceDeps } from './deps.ts';
import { ServiceError } from './errors.ts';

export async function getReport(
  deps: Pick<ServiceDeps, 'db'>,
  accountId: string,
  query: { from: Date; to: Date; includeSpam?: boolean },
): Promise<Record<string, unknown>> {
  if (!(query.from < query.to)) throw new ServiceError('invalid_input', 'from must be before to');
  if (query.to.getTime() - query.from.getTime() > 400 * 86_400_000)
    throw new ServiceError('invalid_input', 'a report covers at most 400 days');
  const [rows, reasons, releases, forms] = await Promise.all([
    countLeadsPerDay(deps.db, accountId, query.from, query.to),
    countQuarantineReasons(deps.db, accountId, query.from, query.to),
    countReleasesByCheck(deps.db, accountId, query.from, query.to),
    listForms(deps.db, accountId),
  ]);
  const days = new Map<string, { day: string; active: number; quarantined: number }>();
  const byForm = new Map<
    string,
    { formId: string | null; formName: string | null; active: number; quarantined: number }
  >();
  for (const row of rows) {
    const status = row.status === 'quarantined' ? 'quarantined' : 'active';
    const day = days.get(row.day) ?? { day: row.day, active: 0, quarantined: 0 };
    day[status] += row.n;
    days.set(row.day, day);
    const key = row.form_id ?? '';
    const form = byForm.get(key) ?? {
      formId: row.form_id,
      formName: forms.find((f) => f.id === row.form_id)?.name ?? null,
      active: 0,
      quarantined: 0,
    };
    form[status] += row.n;
    byForm.set(key, form);
  }
  const perDay = [...days.values()];
  return {
    from: query.from.toISOString(),
    to: query.to.toISOString(),
    totals: {
      active: perDay.reduce((sum, d) => sum + d.active, 0),
      ...(query.includeSpam ? { quarantined: perDay.reduce((sum, d) => sum + d.quarantined, 0) } : {}),
    },
    perDay: query.includeSpam ? perDay : perDay.map(({ day, active }) => ({ day, active })),
    byForm: [...byForm.values()].map((f) =>
      query.includeSpam ? f : { formId: f.formId, formName: f.formName, active: f.active },
    ),
    quarantineReasons: reasons.map((r) => ({ check: r.check, count: r.n })),
    releaseRateByCheck: releases.map((r) => ({
      check: r.check,
      quarantined: r.quarantined,
      released: r.released,
      rate: r.quarantined > 0 ? r.released / r.quarantined : 0,
    })),
  };
}
