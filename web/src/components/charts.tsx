// Small SVG charts read at a glance: stacked columns over time and labelled horizontal bars. Each has a text summary.

export interface Series {
  readonly key: string;
  readonly label: string;
  readonly className: string;
}

interface ColumnsProps {
  readonly title: string;
  readonly labels: readonly string[];
  readonly series: readonly Series[];
  readonly values: readonly (readonly number[])[];
}

// View-box sizes near the size the charts are shown at, so their text stays near the page's text size.
const width = 960;
const height = 240;
const pad = { top: 12, right: 8, bottom: 28, left: 40 };
const barsWidth = 420;

/** A round top for the axis that halves into a whole number, so the middle grid line is labelled exactly. */
function niceMax(value: number): number {
  if (value <= 4) return 4;
  const step = 10 ** Math.floor(Math.log10(value));
  const top = Math.ceil(value / step) * step;
  return top % 2 === 0 ? top : top + step;
}

/** Columns per label, one stacked segment per series; values[i][s] is label i, series s. */
export function StackedColumns({ title, labels, series, values }: ColumnsProps) {
  const totals = values.map((row) => row.reduce((a, b) => a + b, 0));
  const max = niceMax(Math.max(0, ...totals));
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const slot = plotW / Math.max(1, labels.length);
  const barW = Math.max(2, slot * 0.7);
  const y = (v: number) => pad.top + plotH - (v / max) * plotH;
  const labelEvery = Math.max(1, Math.ceil(labels.length / 8));
  const sums = series.map((_, s) => values.reduce((a, row) => a + (row[s] ?? 0), 0));
  const summary = `${title}: ${series.map((s, i) => `${sums[i]} ${s.label.toLowerCase()}`).join(', ')} over ${labels.length} days.`;
  return (
    <figure class="chart">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={summary}
        preserveAspectRatio="xMidYMid meet"
      >
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line class="grid" x1={pad.left} x2={width - pad.right} y1={y(max * f)} y2={y(max * f)} />
            <text class="axis" x={pad.left - 6} y={y(max * f) + 4} text-anchor="end">
              {Math.round(max * f)}
            </text>
          </g>
        ))}
        {labels.map((label, i) => {
          let base = 0;
          const x = pad.left + i * slot + (slot - barW) / 2;
          return (
            <g key={label}>
              {series.map((s, si) => {
                const v = values[i]?.[si] ?? 0;
                const top = y(base + v);
                const h = y(base) - top;
                base += v;
                return v > 0 ? (
                  <rect key={s.key} class={s.className} x={x} y={top} width={barW} height={h}>
                    <title>{`${label}: ${v} ${s.label.toLowerCase()}`}</title>
                  </rect>
                ) : null;
              })}
              {i % labelEvery === 0 && (
                <text class="axis" x={x + barW / 2} y={height - 8} text-anchor="middle">
                  {label.slice(5)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption class="legend">
        {series.map((s, i) => (
          <span key={s.key}>
            <span class={`swatch ${s.className}`} aria-hidden="true" /> {s.label} ({sums[i]})
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

export interface BarRow {
  readonly label: string;
  readonly value: number;
  /** Shown after the bar instead of the raw value (e.g. "12% of 50"). */
  readonly text?: string;
}

/** One labelled bar per row, longest first as given; the value is printed so nobody has to read an axis. */
export function HorizontalBars({
  title,
  rows,
  max,
}: {
  readonly title: string;
  readonly rows: readonly BarRow[];
  readonly max?: number;
}) {
  const top = max ?? Math.max(1, ...rows.map((r) => r.value));
  const rowH = 26;
  const labelW = 120;
  const barMax = barsWidth - labelW - 150;
  const h = rows.length * rowH + 4;
  return (
    <figure class="chart bars">
      <svg
        viewBox={`0 0 ${barsWidth} ${h}`}
        role="img"
        aria-label={`${title}: ${rows.map((r) => `${r.label} ${r.text ?? r.value}`).join('; ')}`}
      >
        {rows.map((row, i) => {
          const w = top > 0 ? (row.value / top) * barMax : 0;
          const yTop = i * rowH + 4;
          return (
            <g key={row.label}>
              <text class="axis label" x={labelW - 8} y={yTop + 15} text-anchor="end">
                {row.label.length > 18 ? `${row.label.slice(0, 17)}…` : row.label}
              </text>
              <rect
                class="bar"
                x={labelW}
                y={yTop + 2}
                width={Math.max(w, row.value > 0 ? 2 : 0)}
                height={rowH - 8}
              >
                <title>{`${row.label}: ${row.text ?? row.value}`}</title>
              </rect>
              <text class="axis value" x={labelW + w + 6} y={yTop + 15}>
                {row.text ?? row.value}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
