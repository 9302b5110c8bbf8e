// Reports: leads per day active vs quarantined, by form and by source, quarantine reasons by check, and each check's release (false-positive) rate.
import { listForms } from '../db/repositories/accounts.ts';
import { countReportRows } from '../db/repositories/reports.ts';
import type { ReportCountRow } from '../db/repositories/reports.ts';
import type { ServiceDeps } from './deps.ts';
import { ServiceError } from './errors.ts';

interface Split {
  active: number;
  quarantined: number;
}

/** Adds a group's leads to the entry under `key`, made by `create` the first time. */
function tally<T extends Split>(
  into: Map<string, T>,
  key: string,
  create: () => T,
  row: ReportCountRow,
): void {
  const entry = into.get(key) ?? create();
  entry[row.status === 'quarantined' ? 'quarantined' : 'active'] += row.n;
  into.set(key, entry);
}

/** Quarantined counts only when asked: reports count active leads unless told otherwise. */
function shown<T extends Split>(entry: T, includeSpam: boolean | undefined): Omit<T, 'quarantined'> | T {
  if (includeSpam) return entry;
  const { quarantined: _hidden, ...rest } = entry;
  return rest;
}

export async function getReport(
  deps: Pick<ServiceDeps, 'db'>,
  accountId: string,
  query: { from: Date; to: Date; includeSpam?: boolean },
): Promise<Record<string, unknown>> {
  if (!(query.from < query.to)) throw new ServiceError('invalid_input', 'from must be before to');
  if (query.to.getTime() - query.from.getTime() > 400 * 86_400_000)
    throw new ServiceError('invalid_input', 'a report covers at most 400 days');
  const [rows, forms] = await Promise.all([
    countReportRows(deps.db, accountId, query.from, query.to),
    listForms(deps.db, accountId),
  ]);
  const formNames = new Map(forms.map((f) => [f.id, f.name]));
  const days = new Map<string, Split & { day: string }>();
  const byForm = new Map<string, Split & { formId: string | null; formName: string | null }>();
  const bySource = new Map<string, Split & { source: string }>();
  const reasons = new Map<string, number>();
  const releases = new Map<string, { check: string; quarantined: number; released: number }>();
  for (const row of rows) {
    // A check's release rate counts every lead it quarantined at intake, even one deleted since.
    if (row.main_check !== null) {
      const check = releases.get(row.main_check) ?? { check: row.main_check, quarantined: 0, released: 0 };
      check.quarantined += row.n;
      if (row.released) check.released += row.n;
      releases.set(row.main_check, check);
    }
    if (row.status === 'deleted') continue;
    if (row.status === 'quarantined') {
      const check = row.main_check ?? 'unknown';
      reasons.set(check, (reasons.get(check) ?? 0) + row.n);
    }
    tally(days, row.day, () => ({ day: row.day, active: 0, quarantined: 0 }), row);
    tally(
      byForm,
      row.form_id ?? '',
      () => ({
        formId: row.form_id,
        formName: row.form_id ? (formNames.get(row.form_id) ?? null) : null,
        active: 0,
        quarantined: 0,
      }),
      row,
    );
    tally(bySource, row.channel, () => ({ source: row.channel, active: 0, quarantined: 0 }), row);
  }
  const perDay = [...days.values()];
  const size = (entry: Split) => entry.active + (query.includeSpam ? entry.quarantined : 0);
  const largestFirst = <T extends Split>(entries: Iterable<T>) =>
    [...entries].sort((a, b) => size(b) - size(a));
  return {
    from: query.from.toISOString(),
    to: query.to.toISOString(),
    totals: shown(
      {
        active: perDay.reduce((sum, d) => sum + d.active, 0),
        quarantined: perDay.reduce((sum, d) => sum + d.quarantined, 0),
      },
      query.includeSpam,
    ),
    perDay: perDay.map((d) => shown(d, query.includeSpam)),
    byForm: largestFirst(byForm.values()).map((f) => shown(f, query.includeSpam)),
    bySource: largestFirst(bySource.values()).map((s) => shown(s, query.includeSpam)),
    quarantineReasons: [...reasons]
      .map(([check, count]) => ({ check, count }))
      .sort((a, b) => b.count - a.count),
    releaseRateByCheck: [...releases.values()]
      .sort((a, b) => b.quarantined - a.quarantined)
      .map((r) => ({ ...r, rate: r.quarantined > 0 ? r.released / r.quarantined : 0 })),
  };
}
