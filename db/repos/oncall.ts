/**
 * On call on this device (issue 18 items 3, 4; docs/alerts.md "On-call rota",
 * "Escalation"): the teams' rotas (synced records, `record.put@1` kind rota),
 * acks and snoozes of alerts by user (`alert.ack@1`, and the server's copies
 * pulled as `ack` changes), the escalation steps written into tickets'
 * timelines, and who this device's user is.
 */
import type { Rota } from '../../core/oncall/rota.js';
import type { SyncAlertAck } from '../../core/sync/mutations.js';
import type { Ctx } from '../context.js';
import { json } from '../context.js';
import { NotFoundError } from '../errors.js';
import { publishRecord, recordData } from '../sync-records.js';
import type { TicketsRepo } from './tickets.js';

type Row = Record<string, unknown>;

export interface StoredRota {
  id: string;
  rota: Rota;
  updatedAt: number;
}

/** What the rota editor sends, as the contract parsed and checked it (core/oncall/schema.ts `rotaInput`): the rota without its creation instant. */
export type RotaInput = Rota;

export interface AlertAckRow {
  alertKey: string;
  userId: string;
  ticketId: string;
  action: 'ack' | 'snooze';
  until: number | null;
  at: number;
  /** When the server had it (its clock); null: sent from here, not yet back from the server. */
  receivedAt: number | null;
}

export class OncallRepo {
  private readonly s;
  constructor(
    private readonly ctx: Ctx,
    private readonly tickets: TicketsRepo,
  ) {
    const db = ctx.db;
    this.s = {
      all: db.prepare(`SELECT * FROM rotas ORDER BY name, id`),
      get: db.prepare(`SELECT * FROM rotas WHERE id = ?`),
      ins: db.prepare(
        `INSERT INTO rotas (id, name, timezone, members, lead, contract_ids, week, overrides, escalation, created_at, updated_at, hlc)
         VALUES (@id, @name, @timezone, @members, @lead, @contract_ids, @week, @overrides, @escalation, @created_at, @now, @hlc)`,
      ),
      upd: db.prepare(
        `UPDATE rotas SET name = @name, timezone = @timezone, members = @members, lead = @lead, contract_ids = @contract_ids, week = @week,
           overrides = @overrides, escalation = @escalation, updated_at = @now, version = version + 1, hlc = @hlc WHERE id = @id`,
      ),
      me: db.prepare(`SELECT user_id FROM sync_state WHERE id = 1`),
      putAck: db.prepare(
        `INSERT INTO alert_acks (alert_key, user_id, ticket_id, action, until, at, received_at, hlc) VALUES (@alertKey, @userId, @ticketId, @action, @until, @at, @receivedAt, @hlc)
         ON CONFLICT (alert_key, user_id) DO UPDATE SET action = excluded.action, until = excluded.until, at = excluded.at,
           received_at = coalesce(excluded.received_at, CASE WHEN alert_acks.action = excluded.action THEN alert_acks.received_at END), hlc = excluded.hlc
         WHERE excluded.hlc >= alert_acks.hlc`,
      ),
      acksOf: db.prepare(`SELECT * FROM alert_acks WHERE alert_key = ? ORDER BY coalesce(received_at, at)`),
      step: db.prepare(`INSERT INTO alert_escalations (alert_key, step, at, person) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`),
      steps: db.prepare(`SELECT step, at, person FROM alert_escalations WHERE alert_key = ? ORDER BY step`),
    };
  }

  /** Every team's rota. */
  rotas(): StoredRota[] {
    return (this.s.all.all() as Row[]).map(toStored);
  }

  getRota(id: string): StoredRota | null {
    const r = this.s.get.get(id) as Row | undefined;
    return r ? toStored(r) : null;
  }

  /**
   * Creates (id omitted) or replaces a rota, checked where it entered (its shape and `rotaIssues`:
   * `rotaInput`, core/oncall/schema.ts), and sends it as `record.put@1` in the same transaction.
   */
  putRota(input: RotaInput, id?: string): StoredRota {
    const now = this.ctx.clock.now();
    const existing = id ? (this.s.get.get(id) as Row | undefined) : undefined;
    if (id && !existing) throw new NotFoundError(`rota ${id} does not exist`);
    const data = { ...input, createdAt: (existing?.created_at as number | undefined) ?? now };
    return this.ctx.tx(() => {
      const hlc = this.ctx.hlc.now();
      const rid = id ?? this.ctx.newId();
      const row = {
        id: rid,
        name: data.name,
        timezone: data.timezone,
        members: json(data.members),
        lead: data.lead ?? null,
        contract_ids: json(data.contractIds),
        week: json(data.week),
        overrides: json(data.overrides),
        escalation: json(data.escalation),
        created_at: data.createdAt,
        now,
        hlc,
      };
      (existing ? this.s.upd : this.s.ins).run(row);
      publishRecord(this.ctx, 'rota', rid, hlc);
      return toStored(this.s.get.get(rid) as Row);
    });
  }

  /** The user this device is enrolled as, or null (not enrolled, or enrolled before rotas existed). */
  me(): string | null {
    return ((this.s.me.get() as Row | undefined)?.user_id as string | null | undefined) ?? null;
  }

  /**
   * This device's user acknowledged or snoozed an alert: kept here and sent
   * as `alert.ack@1`. It counts for escalation once the server has it.
   */
  ack(input: { alertKey: string; ticketId: string; action: 'ack' | 'snooze'; until?: number | null; note?: string | null }): void {
    const { note, ...a } = input;
    const userId = this.me();
    if (!userId) return; // not enrolled: nothing to tell other devices
    this.ctx.tx(() => {
      const hlc = this.ctx.hlc.now();
      const at = this.ctx.clock.now();
      this.s.putAck.run({ ...a, until: a.until ?? null, userId, at, receivedAt: null, hlc });
      this.ctx.mutate('alert.ack@1', { alertKey: a.alertKey, ticketId: a.ticketId, action: a.action, until: a.until ?? null, at }, hlc);
      // Who acknowledged, in the ticket's timeline.
      if (note) this.tickets.appendEvent(a.ticketId, { type: 'note', at, author: 'Vakt', data: { text: note } });
    });
  }

  /** A pulled `ack` change (inside the pull's transaction). */
  applyPulledAck(a: SyncAlertAck): void {
    this.s.putAck.run({ alertKey: a.alertKey, userId: a.userId, ticketId: a.ticketId, action: a.action, until: a.until, at: a.at, receivedAt: a.receivedAt, hlc: a.hlc });
  }

  /** Everyone's acks and snoozes of an alert, as far as this device knows. */
  acksOf(alertKey: string): AlertAckRow[] {
    return (this.s.acksOf.all(alertKey) as Row[]).map((r) => ({
      alertKey: r.alert_key as string,
      userId: r.user_id as string,
      ticketId: r.ticket_id as string,
      action: r.action as 'ack' | 'snooze',
      until: (r.until as number | null) ?? null,
      at: r.at as number,
      receivedAt: (r.received_at as number | null) ?? null,
    }));
  }

  /** When the server first had an ack of the alert (anyone's), or null. */
  serverAckedAt(alertKey: string): number | null {
    const on = this.acksOf(alertKey)
      .filter((a) => a.action === 'ack' && a.receivedAt !== null)
      .map((a) => a.receivedAt as number);
    return on.length ? Math.min(...on) : null;
  }

  /**
   * What other devices did to these alerts, as the server has it (docs/alerts.md "Acks and
   * snoozes follow the person"): anyone's ack, and this user's latest snooze. Keys with neither are left out.
   */
  elsewhere(alertKeys: string[]): { alertKey: string; acked: boolean; snoozedUntil: number | null }[] {
    const me = this.me();
    const out: { alertKey: string; acked: boolean; snoozedUntil: number | null }[] = [];
    for (const alertKey of alertKeys) {
      const onServer = this.acksOf(alertKey).filter((a) => a.receivedAt !== null);
      const acked = onServer.some((a) => a.action === 'ack');
      const snooze = onServer.find((a) => a.action === 'snooze' && a.userId === me && a.until !== null);
      if (acked || snooze) out.push({ alertKey, acked, snoozedUntil: snooze?.until ?? null });
    }
    return out;
  }

  /**
   * Writes an escalation step into the ticket's timeline (a note) once per
   * alert and step, whichever of this device's calls comes first. True when written now.
   */
  recordStep(ticketId: string, alertKey: string, step: number, at: number, person: string, text: string): boolean {
    return this.ctx.tx(() => {
      if (this.s.step.run(alertKey, step, at, person).changes === 0) return false;
      this.tickets.appendEvent(ticketId, { type: 'note', at, author: 'Vakt', data: { text } });
      return true;
    });
  }

  /** recordStep for many steps in one transaction (a re-notification routes thousands of alerts); how many were written now. */
  recordSteps(steps: { ticketId: string; alertKey: string; step: number; at: number; person: string; text: string }[]): number {
    return this.ctx.tx(() => steps.filter((s) => this.recordStep(s.ticketId, s.alertKey, s.step, s.at, s.person, s.text)).length);
  }

  steps(alertKey: string): { step: number; at: number; person: string }[] {
    return this.s.steps.all(alertKey) as { step: number; at: number; person: string }[];
  }
}

function toStored(r: Row): StoredRota {
  const { createdAt: _c, ...rota } = recordData('rota', r) as unknown as Rota & { createdAt: number };
  return { id: r.id as string, rota, updatedAt: r.updated_at as number };
}
