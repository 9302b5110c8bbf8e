// Reports: leads over time (active vs quarantined), by form and by source, quarantine reasons and each check's release rate; CSV export.
import { useState } from 'preact/hooks';
import { fetchReports } from '../api/endpoints.ts';
import type { Reports } from '../api/types.ts';
import { HorizontalBars, StackedColumns } from '../components/charts.tsx';
import type { BarRow } from '../components/charts.tsx';
import { Field } from '../components/field.tsx';
import { Empty, ErrorNotice, Loading } from '../components/notice.tsx';
import { downloadCsv } from '../csv.ts';
import { useSession } from '../session.ts';
import { useLoad } from '../use-load.ts';

const isoDay = (date: Date) => date.toISOString().slice(0, 10);
// Whole days in the user's time zone: "to" includes that day's leads.
const dayStart = (day: string) => new Date(`${day}T00:00:00`).toISOString();
const dayEnd = (day: string) => new Date(`${day}T23:59:59.999`).toISOString();

/** Every day of the period, days without leads as zeros: a gap in the chart is information too. */
export function fillDays(points: Reports['overTime'], from: string, to: string): Reports['overTime'] {
  const byDay = new Map(points.map((p) => [p.day.slice(0, 10), p]));
  const out: Reports['overTime'][number][] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= end && out.length < 400; t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    out.push(byDay.get(day) ?? { day, active: 0, quarantined: 0 });
  }
  return Number.isNaN(end) ? [...points] : out;
}

/** The API's channel names, as staff know the sources. */
const sourceLabels: Readonly<Record<string, string>> = {
  form: 'Website form',
  call: 'Voice call',
  akismet: 'Akismet API',
  file: 'Import',
};

export const sourceLabel = (source: string): string => sourceLabels[source] ?? source;

/** One bar per row: active leads, plus spam when it is asked for. */
function splitBars(
  rows: readonly { label: string; active: number; quarantined: number }[],
  includeSpam: boolean,
): BarRow[] {
  return rows.map((r) => ({
    label: r.label,
    value: r.active + (includeSpam ? r.quarantined : 0),
    text: includeSpam ? `${r.active} active · ${r.quarantined} spam` : `${r.active}`,
  }));
}

function percent(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((part / whole) * 100)}%` : '—';
}

export function ReportsPage() {
  const { account } = useSession();
  const [from, setFrom] = useState(() => isoDay(new Date(Date.now() - 29 * 86_400_000)));
  const [to, setTo] = useState(() => isoDay(new Date()));
  const [includeSpam, setIncludeSpam] = useState(false);
  const reports = useLoad(
    () => fetchReports(account.id, { from: dayStart(from), to: dayEnd(to), includeSpam }),
    [account.id, from, to, includeSpam],
  );
  const data = reports.data;
  return (
    <section aria-labelledby="page-title">
      <div class="page-head">
        <h1 id="page-title">Reports</h1>
        {data && (
          <button type="button" onClick={() => exportCsv(data, from, to)}>
            Export CSV
          </button>
        )}
      </div>
      <form class="filters card" onSubmit={(e) => e.preventDefault()}>
        <Field label="From">
          <input type="date" value={from} max={to} onChange={(e) => setFrom(e.currentTarget.value)} />
        </Field>
        <Field label="To">
          <input type="date" value={to} min={from} onChange={(e) => setTo(e.currentTarget.value)} />
        </Field>
        <label class="check">
          <input
            type="checkbox"
            checked={includeSpam}
            onChange={(e) => setIncludeSpam(e.currentTarget.checked)}
          />{' '}
          Include quarantined leads
        </label>
      </form>
      <ErrorNotice error={reports.error} />
      {reports.loading && !data ? (
        <Loading what="Loading reports" />
      ) : (
        data && (
          <ReportCharts
            data={{ ...data, overTime: fillDays(data.overTime, from, to) }}
            includeSpam={includeSpam}
          />
        )
      )}
    </section>
  );
}

function ReportCharts({ data, includeSpam }: { readonly data: Reports; readonly includeSpam: boolean }) {
  const series = [
    { key: 'active', label: 'Active', className: 'fill-active' },
    ...(includeSpam ? [{ key: 'quarantined', label: 'Quarantined', className: 'fill-quarantined' }] : []),
  ];
  return (
    <div class="report-grid">
      <section class="card wide" aria-labelledby="r-time">
        <h2 id="r-time">Leads over time</h2>
        {data.overTime.every((p) => p.active + p.quarantined === 0) ? (
          <Empty>No leads in this period.</Empty>
        ) : (
          <StackedColumns
            title="Leads over time"
            labels={data.overTime.map((p) => p.day)}
            series={series}
            values={data.overTime.map((p) => (includeSpam ? [p.active, p.quarantined] : [p.active]))}
          />
        )}
      </section>
      <section class="card" aria-labelledby="r-form">
        <h2 id="r-form">By form</h2>
        {data.byForm.length === 0 ? (
          <Empty>No leads in this period.</Empty>
        ) : (
          <HorizontalBars title="Leads by form" rows={splitBars(data.byForm, includeSpam)} />
        )}
      </section>
      <section class="card" aria-labelledby="r-source">
        <h2 id="r-source">By source</h2>
        {data.bySource.length === 0 ? (
          <Empty>No leads in this period.</Empty>
        ) : (
          <HorizontalBars
            title="Leads by source"
            rows={splitBars(
              data.bySource.map((s) => ({ ...s, label: sourceLabel(s.source) })),
              includeSpam,
            )}
          />
        )}
      </section>
      <section class="card" aria-labelledby="r-reasons">
        <h2 id="r-reasons">Quarantine reasons</h2>
        {data.reasons.length === 0 ? (
          <Empty>Nothing was quarantined in this period.</Empty>
        ) : (
          <HorizontalBars
            title="Quarantine reasons"
            rows={data.reasons.map((r) => ({ label: r.check, value: r.count }))}
          />
        )}
      </section>
      <section class="card" aria-labelledby="r-release">
        <h2 id="r-release">Released as not spam, per check</h2>
        <p class="muted small">
          How often a check's quarantines turned out to be real leads: its false-positive rate.
        </p>
        {data.releaseRate.length === 0 ? (
          <Empty>No quarantines to compare yet.</Empty>
        ) : (
          <HorizontalBars
            title="Release rate per check"
            max={100}
            rows={data.releaseRate.map((r) => ({
              label: r.check,
              value: r.quarantined > 0 ? (r.released / r.quarantined) * 100 : 0,
              text: `${percent(r.released, r.quarantined)} of ${r.quarantined}`,
            }))}
          />
        )}
      </section>
    </div>
  );
}

function exportCsv(data: Reports, from: string, to: string): void {
  downloadCsv(`leadguard-report-${from}-${to}.csv`, [
    ['report', 'label', 'active', 'quarantined', 'count', 'released'],
    ...data.overTime.map((p) => ['over_time', p.day, p.active, p.quarantined, '', '']),
    ...data.byForm.map((f) => ['by_form', f.label, f.active, f.quarantined, '', '']),
    ...data.bySource.map((f) => ['by_source', sourceLabel(f.source), f.active, f.quarantined, '', '']),
    ...data.reasons.map((r) => ['quarantine_reason', r.check, '', '', r.count, '']),
    ...data.releaseRate.map((r) => ['release_rate', r.check, '', r.quarantined, '', r.released]),
  ]);
}
