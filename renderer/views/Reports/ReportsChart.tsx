/** Inline SVG charts of the SLA report (no chart library). */
import type { HistogramBin, PolicyFigures } from '../../../core/reports/index.js';

const W = 520;

/** Met % per priority: two bars (response, resolution) per policy. */
export function PolicyBars({ rows, names, labels }: { rows: PolicyFigures[]; names: Record<string, string>; labels: { response: string; resolution: string; title: string } }) {
  const rowH = 40;
  const left = 150;
  const h = rows.length * rowH + 30;
  const x = (pct: number) => left + ((W - left - 50) * pct) / 100;
  return (
    <svg className="chart" role="img" aria-label={labels.title} viewBox={`0 0 ${W} ${h}`} width="100%" style={{ maxWidth: W }}>
      <title>{labels.title}</title>
      {[0, 50, 100].map((p) => (
        <g key={p}>
          <line x1={x(p)} x2={x(p)} y1={0} y2={h - 22} className="grid" />
          <text x={x(p)} y={h - 8} textAnchor="middle" className="axis">{`${p} %`}</text>
        </g>
      ))}
      {rows.map((r, i) => {
        const y = i * rowH + 4;
        return (
          <g key={r.policy}>
            <text x={left - 8} y={y + 20} textAnchor="end" className="label">
              {names[r.policy] ?? r.policy}
            </text>
            {(['response', 'resolution'] as const).map((m, j) => {
              const pct = r[m].pct;
              return (
                <g key={m}>
                  <rect x={left} y={y + j * 16} width={Math.max(0, x(pct ?? 0) - left)} height={13} className={`bar bar-${m}`}>
                    <title>{`${labels[m]}: ${pct === null ? '–' : `${pct} %`}`}</title>
                  </rect>
                  <text x={x(pct ?? 0) + 4} y={y + j * 16 + 11} className="value">
                    {pct === null ? '–' : `${pct} %`}
                  </text>
                </g>
              );
            })}
          </g>
        );
      })}
    </svg>
  );
}

/** Histogram of time to resolution in business hours. */
export function Histogram({ bins, title }: { bins: HistogramBin[]; title: string }) {
  const h = 170;
  const base = h - 30;
  const max = Math.max(1, ...bins.map((b) => b.count));
  const bw = (W - 40) / bins.length;
  return (
    <svg className="chart" role="img" aria-label={title} viewBox={`0 0 ${W} ${h}`} width="100%" style={{ maxWidth: W }}>
      <title>{title}</title>
      <line x1={20} x2={W - 20} y1={base} y2={base} className="grid" />
      {bins.map((b, i) => {
        const bh = ((base - 20) * b.count) / max;
        const x = 20 + i * bw;
        return (
          <g key={b.fromHours}>
            <rect x={x + 4} y={base - bh} width={bw - 8} height={bh} className="bar bar-resolution">
              <title>{`${b.fromHours}${b.toHours === null ? '+' : `–${b.toHours}`} h: ${b.count}`}</title>
            </rect>
            <text x={x + bw / 2} y={base - bh - 4} textAnchor="middle" className="value">
              {b.count}
            </text>
            <text x={x + bw / 2} y={base + 16} textAnchor="middle" className="axis">{`${b.fromHours}${b.toHours === null ? '+' : `–${b.toHours}`} h`}</text>
          </g>
        );
      })}
    </svg>
  );
}
