/**
 * The server's own check of a service's URL (an integration key made with
 * `--check-url URL --check-every N`, docs/availability.md): every N minutes a
 * GET; an answer below 400 is up; 400 and above, no answer within the timeout
 * or a network error is down. The first failed check opens the outage (its
 * start is that check's time), the first good check after it ends it, through
 * the same path as a monitoring event (dedup key `check`), so the outage is as
 * exact as the interval (the Connexys monitor checks every 15 minutes).
 * `runDue()` is what the timer calls; tests call it with their own clock.
 */
import type { Clock } from '../../core/clock.js';
import type { Db } from '../db.js';
import type { MonitorWriter } from './monitor.js';
import { recordMonitorEvents } from './outages.js';
import type { IntegrationKey } from './outages.js';

export interface UrlCheckerDeps {
  db: Db;
  clock: Clock;
  writer: MonitorWriter;
  fetch?: typeof fetch;
  timeoutMs?: number;
  log?: (msg: string, err?: unknown) => void;
}

interface CheckRow {
  id: string;
  tenant_id: string;
  name: string;
  contract_id: string;
  service_id: string;
  check_url: string;
  check_every_minutes: number;
}

export class UrlChecker {
  /** When each key was last checked (this process; a restart checks at once). */
  private readonly last = new Map<string, number>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private running: Promise<void> | null = null;
  constructor(private readonly deps: UrlCheckerDeps) {}

  start(tickMs: number): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.running ??= this.runDue()
        .then(
          () => undefined,
          (e: unknown) => this.deps.log?.('url checks failed', e),
        )
        .finally(() => (this.running = null));
    }, tickMs);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Checks every active key whose interval has passed; returns what each check found. */
  async runDue(): Promise<{ keyId: string; up: boolean; detail: string }[]> {
    const now = this.deps.clock.now();
    const keys = (
      await this.deps.db.query<CheckRow>(
        'SELECT id, tenant_id, name, contract_id, service_id, check_url, check_every_minutes FROM integration_keys WHERE check_url IS NOT NULL AND revoked_at IS NULL ORDER BY id',
      )
    ).rows;
    const out: { keyId: string; up: boolean; detail: string }[] = [];
    for (const k of keys) {
      const last = this.last.get(k.id);
      if (last !== undefined && now - last < Number(k.check_every_minutes) * 60_000) continue;
      this.last.set(k.id, now);
      const r = await this.probe(k.check_url);
      out.push({ keyId: k.id, ...r });
      const key: IntegrationKey = { id: k.id, tenantId: k.tenant_id, name: k.name, contractId: k.contract_id, serviceId: k.service_id };
      try {
        await recordMonitorEvents(this.deps, key, 'check', [
          {
            dedupKey: 'check',
            action: r.up ? 'resolve' : 'trigger',
            summary: r.up ? `${k.check_url} answers again` : r.detail,
            severity: r.up ? null : 'critical',
            at: now,
            details: `The server's own check of ${k.check_url} every ${Number(k.check_every_minutes)} minutes.`,
          },
        ]);
      } catch (e) {
        this.deps.log?.(`url check of key ${k.id}: the outage could not be recorded`, e);
      }
    }
    return out;
  }

  private async probe(url: string): Promise<{ up: boolean; detail: string }> {
    try {
      const r = await (this.deps.fetch ?? fetch)(url, { method: 'GET', redirect: 'manual', signal: AbortSignal.timeout(this.deps.timeoutMs ?? 10_000) });
      await r.body?.cancel().catch(() => undefined);
      return r.status < 400 ? { up: true, detail: `${url} answered ${r.status}` } : { up: false, detail: `${url} answered ${r.status}` };
    } catch (e) {
      return { up: false, detail: `${url} did not answer: ${(e as Error).message}` };
    }
  }
}
