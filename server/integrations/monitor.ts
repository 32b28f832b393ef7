/**
 * The server's own device per tenant ("monitoring (server)"): what arrives
 * from monitoring (Alertmanager, Events API v2, the server's URL check) is
 * written as this device's mutations through `applyPush`, with every check a
 * device's push gets (schema, records, roles, times), so devices pull it like
 * any other change. Its token is random and never shown (it cannot sign in).
 * One push at a time per tenant in this process (the device's seq and HLC
 * are read and advanced under that lock).
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import { encodeHlc, decodeHlc } from '../../core/ids/hlc.js';
import { formatCaseNumber } from '../../core/ids/case-number.js';
import type { MutationResult } from '../../core/sync/mutations.js';
import type { Principal } from '../auth.js';
import { idGenerator, prefixFor, sha256Hex } from '../auth.js';
import type { Db, TxQueryable } from '../db.js';
import { applyPush } from '../push.js';
import type { SlaDeriver } from '../sla.js';

export const MONITOR_NAME = 'monitoring';

export interface MonitorMutation {
  name: string;
  version: number;
  payload: unknown;
}

/** A mutation of the monitoring device the server refused: nothing of that push is kept but what applied before it. */
export class MonitorRejected extends Error {
  constructor(readonly result: MutationResult) {
    super(`${result.reason ?? 'rejected'}: ${result.message ?? ''}`);
  }
}

export class MonitorWriter {
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly newId;
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly deriveSla: SlaDeriver,
    private readonly changed?: (tenantId: string) => void,
  ) {
    this.newId = idGenerator(clock);
  }

  /** Runs `fn` alone for this tenant (in this process). */
  private exclusive<T>(tenantId: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(tenantId) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.locks.set(tenantId, tail);
    void tail.then(() => {
      if (this.locks.get(tenantId) === tail) this.locks.delete(tenantId);
    });
    return next;
  }

  private async device(tenantId: string): Promise<{ p: Principal; prefix: string; nextCase: number; lastHlc: string | null; lastSeq: number }> {
    const find = () =>
      this.db.query<{ device_id: string; user_id: string; case_prefix: string; next_case: number; last_hlc: string | null; last_seq: number }>(
        `SELECT m.device_id, d.user_id, d.case_prefix, m.next_case, m.last_hlc, d.last_seq FROM monitor_devices m JOIN devices d ON d.id = m.device_id WHERE m.tenant_id = $1`,
        [tenantId],
      );
    let r = (await find()).rows[0];
    if (!r) {
      const now = this.clock.now();
      await this.db.transaction(async (tx) => {
        const userId = this.newId();
        const deviceId = this.newId();
        const n = await tx.query<{ n: number }>('UPDATE tenants SET next_prefix = next_prefix + 1 WHERE id = $1 RETURNING next_prefix - 1 AS n', [tenantId]);
        const prefix = prefixFor(Number(n.rows[0]?.n ?? 1));
        await tx.query(`INSERT INTO users (id, tenant_id, name, role, created_at) VALUES ($1, $2, $3, 'duty_officer', $4)`, [userId, tenantId, MONITOR_NAME, now]);
        await tx.query('INSERT INTO devices (id, tenant_id, user_id, name, token_hash, case_prefix, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7)', [
          deviceId,
          tenantId,
          userId,
          'monitoring (server)',
          sha256Hex(`unusable:${randomBytes(32).toString('hex')}`),
          prefix,
          now,
        ]);
        await tx.query(`INSERT INTO case_prefixes (tenant_id, prefix, device_id, kind, created_at) VALUES ($1,$2,$3,'enrolled',$4)`, [tenantId, prefix, deviceId, now]);
        await tx.query('INSERT INTO monitor_devices (tenant_id, device_id) VALUES ($1, $2)', [tenantId, deviceId]);
      });
      r = (await find()).rows[0];
      if (!r) throw new Error('the monitoring device was not created');
    }
    return {
      p: { tenantId, deviceId: r.device_id, userId: r.user_id, role: 'duty_officer', deviceName: 'monitoring (server)', userName: MONITOR_NAME },
      prefix: r.case_prefix,
      nextCase: Number(r.next_case),
      lastHlc: r.last_hlc,
      lastSeq: Number(r.last_seq),
    };
  }

  /**
   * Pushes what `build` returns as the tenant's monitoring device, in one transaction with the
   * device's counters and `also` (the caller's own rows): when a mutation is refused, nothing is
   * kept (MonitorRejected). `build` runs under the tenant's lock, so it may read state first; it
   * gets a case number maker and an id maker.
   */
  push<T>(
    tenantId: string,
    build: (next: { caseNumber: () => string; id: () => string }) => Promise<{ mutations: MonitorMutation[]; value: T; also?: (tx: TxQueryable) => Promise<void> }>,
  ): Promise<T> {
    return this.exclusive(tenantId, async () => {
      const dev = await this.device(tenantId);
      let nextCase = dev.nextCase;
      const built = await build({ caseNumber: () => formatCaseNumber(dev.prefix, nextCase++), id: () => this.newId() });
      if (!built.mutations.length) return built.value;
      const now = this.clock.now();
      const last = dev.lastHlc ? decodeHlc(dev.lastHlc) : null;
      let wall = Math.max(now, last?.wall ?? 0);
      let counter = last && last.wall === wall ? last.counter + 1 : 0;
      const envelopes = built.mutations.map((m, i) => {
        if (counter > 0xffff) {
          wall++;
          counter = 0;
        }
        const hlc = encodeHlc({ wall, counter: counter++, node: dev.p.deviceId });
        return { id: this.newId(), seq: dev.lastSeq + i + 1, name: m.name, version: m.version, hlc, payload: m.payload };
      });
      const lastHlc = envelopes[envelopes.length - 1]?.hlc ?? null;
      await applyPush(
        {
          db: this.db,
          clock: this.clock,
          deriveSla: this.deriveSla,
          ...(this.changed ? { changed: this.changed } : {}),
          withinPush: async (tx, results) => {
            const bad = results.find((r) => r.status !== 'applied');
            if (bad) throw new MonitorRejected(bad);
            await tx.query('UPDATE monitor_devices SET next_case = $2, last_hlc = $3 WHERE tenant_id = $1', [tenantId, nextCase, lastHlc]);
            if (built.also) await built.also(tx);
          },
        },
        dev.p,
        envelopes,
      );
      return built.value;
    });
  }
}
