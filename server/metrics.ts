/** Prometheus text metrics (no dependency): request counts, latency histogram, push outcomes. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

function labels(l: Record<string, string | number>): string {
  const parts = Object.entries(l).map(([k, v]) => `${k}="${String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

export class Metrics {
  private readonly requests = new Map<string, number>();
  private readonly durations = new Map<string, { buckets: number[]; sum: number; count: number }>();
  readonly mutations = { applied: 0, duplicate: 0, rejected: 0 };
  pushes = 0;
  pulls = 0;
  pulledChanges = 0;

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const key = labels({ method, route, status });
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    const dk = labels({ route });
    let d = this.durations.get(dk);
    if (!d) {
      d = { buckets: BUCKETS.map(() => 0), sum: 0, count: 0 };
      this.durations.set(dk, d);
    }
    BUCKETS.forEach((b, i) => {
      if (seconds <= b) (d as { buckets: number[] }).buckets[i]! += 1;
    });
    d.sum += seconds;
    d.count++;
  }

  render(): string {
    const out: string[] = [];
    out.push('# HELP vakt_http_requests_total HTTP requests by method, route and status.', '# TYPE vakt_http_requests_total counter');
    for (const [k, v] of this.requests) out.push(`vakt_http_requests_total${k} ${v}`);
    out.push('# HELP vakt_http_request_duration_seconds Request latency.', '# TYPE vakt_http_request_duration_seconds histogram');
    for (const [k, d] of this.durations) {
      const inner = k.slice(1, -1);
      BUCKETS.forEach((b, i) => out.push(`vakt_http_request_duration_seconds_bucket{${inner},le="${b}"} ${d.buckets[i]}`));
      out.push(`vakt_http_request_duration_seconds_bucket{${inner},le="+Inf"} ${d.count}`);
      out.push(`vakt_http_request_duration_seconds_sum${k} ${d.sum}`, `vakt_http_request_duration_seconds_count${k} ${d.count}`);
    }
    out.push('# HELP vakt_sync_mutations_total Pushed mutations by result.', '# TYPE vakt_sync_mutations_total counter');
    for (const [r, v] of Object.entries(this.mutations)) out.push(`vakt_sync_mutations_total{result="${r}"} ${v}`);
    out.push('# HELP vakt_sync_pushes_total Push requests committed.', '# TYPE vakt_sync_pushes_total counter', `vakt_sync_pushes_total ${this.pushes}`);
    out.push('# HELP vakt_sync_pulls_total Pull requests served.', '# TYPE vakt_sync_pulls_total counter', `vakt_sync_pulls_total ${this.pulls}`);
    out.push('# HELP vakt_sync_pulled_changes_total Changes sent on pull.', '# TYPE vakt_sync_pulled_changes_total counter', `vakt_sync_pulled_changes_total ${this.pulledChanges}`);
    return `${out.join('\n')}\n`;
  }
}
