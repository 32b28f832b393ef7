/**
 * 0004: what the client side of sync keeps (see docs/sync.md, "Client store").
 *
 * - outbox.seq: the mutation's number on the wire (1, 2, 3, ... without gaps).
 *   Only mutations the sync server knows (core/sync/mutations.ts) get one;
 *   device-local ones (customer.create, asset.create, ...) keep seq NULL and
 *   are not pushed. outbox.message / conflict_id: the server's answer.
 * - device_state.sync_seq: the last wire seq handed out.
 * - sync_state: the server's device id, role, case prefix and enrolment time.
 * - tickets.server_version / field_hlc: the server version the local copy is
 *   based on (ticket.event@1 baseVersion) and each merged field's HLC
 *   (ticket.edit@1 baseHlc).
 * - sync_tickets: the server's copy of each ticket as last pulled; the local
 *   row is that copy with the pending mutations replayed on top.
 * - sync_orphan_events: pulled events whose ticket has not arrived yet (pull
 *   order is by version, so a ticket's old events can come before its row).
 * - sync_rejected_events: events of refused ticket.event mutations (hidden from the timeline).
 * - sync_conflicts: conflicts recorded by the server, to resolve.
 *
 * Pending mutations written by earlier versions in the old shapes
 * (`ticket.create {ticket, events}`, `ticket.event {ticketId, events}`) are
 * rewritten into the shapes the server accepts and numbered.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Migration } from './types.js';

const SQL = /* sql */ `
ALTER TABLE outbox ADD COLUMN seq INTEGER;
ALTER TABLE outbox ADD COLUMN message TEXT;
ALTER TABLE outbox ADD COLUMN conflict_id TEXT;
CREATE UNIQUE INDEX outbox_seq ON outbox(seq) WHERE seq IS NOT NULL;
CREATE INDEX outbox_sync_pending ON outbox(seq) WHERE status = 'pending' AND seq IS NOT NULL;
ALTER TABLE device_state ADD COLUMN sync_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_state ADD COLUMN device_id TEXT;
ALTER TABLE sync_state ADD COLUMN role TEXT;
ALTER TABLE sync_state ADD COLUMN case_prefix TEXT;
ALTER TABLE sync_state ADD COLUMN enrolled_at INTEGER;
ALTER TABLE tickets ADD COLUMN server_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN field_hlc TEXT NOT NULL DEFAULT '{}';

CREATE TABLE sync_tickets (
  id      TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  row     TEXT NOT NULL CHECK (json_valid(row))
) STRICT;

CREATE TABLE sync_orphan_events (
  id        TEXT PRIMARY KEY,
  ticket_id TEXT NOT NULL,
  event     TEXT NOT NULL CHECK (json_valid(event))
) STRICT;
CREATE INDEX sync_orphan_events_ticket ON sync_orphan_events(ticket_id);

-- Local events whose ticket.event mutation the server refused: the timeline leaves them out
-- (ticket_events is append-only); the refusal itself is listed from the outbox.
CREATE TABLE sync_rejected_events (
  event_id    TEXT PRIMARY KEY,
  mutation_id TEXT NOT NULL
) STRICT;

CREATE TABLE sync_conflicts (
  id         TEXT PRIMARY KEY,
  ticket_id  TEXT NOT NULL,
  field      TEXT NOT NULL,
  candidates TEXT NOT NULL CHECK (json_valid(candidates)),
  status     TEXT NOT NULL CHECK (status IN ('open','resolved')),
  resolution TEXT,
  version    INTEGER NOT NULL,
  resolving  TEXT,                 -- id of this device's pending conflict.resolve mutation
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX sync_conflicts_open ON sync_conflicts(ticket_id) WHERE status = 'open';
`;

type Row = Record<string, unknown>;
const KNOWN = new Set(['ticket.create@1', 'ticket.event@1', 'ticket.setPriority@1', 'ticket.assign@1', 'ticket.edit@1', 'conflict.resolve@1']);

function drop<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as Partial<T>;
}

/** Rewrites old-shape pending mutations and numbers every pending server mutation (in device order). */
function upgradeOutbox(db: BetterSqlite3.Database): void {
  const rows = db.prepare(`SELECT * FROM outbox WHERE status = 'pending' ORDER BY device_seq`).all() as Row[];
  const upd = db.prepare(`UPDATE outbox SET payload = ? WHERE id = ?`);
  const ins = db.prepare(`INSERT INTO outbox (id, device_seq, name, version, payload, status, created_at, updated_at, hlc) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?)`);
  const bump = db.prepare(`UPDATE device_state SET device_seq = device_seq + 1 WHERE id = 1 RETURNING device_seq`);
  for (const r of rows) {
    const p = JSON.parse(r.payload as string) as Row;
    if (r.name === 'ticket.create' && p.ticket && typeof p.ticket === 'object') {
      const t = p.ticket as Row;
      const ev = ((p.events as Row[] | undefined) ?? [])[0];
      upd.run(
        JSON.stringify(
          drop({
            ticketId: t.id,
            caseNumber: t.case_number,
            customerId: t.customer_id,
            channel: t.channel,
            title: t.title,
            description: t.description,
            customerRef: t.customer_ref,
            vendorRef: t.vendor_ref,
            reporterName: t.reporter_name,
            reporterPhone: t.reporter_phone,
            priority: t.priority,
            assignee: t.assignee,
            policy: t.policy,
            createdAt: t.created_at,
            createdEventId: ev?.id,
            author: ev?.author,
          }),
        ),
        r.id,
      );
    } else if (r.name === 'ticket.event' && Array.isArray(p.events)) {
      const evs = p.events as Row[];
      const shape = (e: Row) => JSON.stringify({ ticketId: p.ticketId, event: drop({ id: e.id, type: e.type, at: e.at, author: e.author, data: e.data ?? {} }), baseVersion: 0 });
      if (evs[0]) upd.run(shape(evs[0]), r.id);
      for (const e of evs.slice(1)) {
        const { device_seq } = bump.get() as { device_seq: number };
        // The event's own id (a UUIDv7) serves as the new mutation's id.
        ins.run(e.id, device_seq, 'ticket.event', 1, shape(e), r.created_at, r.updated_at, e.hlc ?? r.hlc);
      }
    }
  }
  const pending = db.prepare(`SELECT id, name, version FROM outbox WHERE status = 'pending' ORDER BY device_seq`).all() as { id: string; name: string; version: number }[];
  const setSeq = db.prepare(`UPDATE outbox SET seq = ? WHERE id = ?`);
  let seq = 0;
  for (const m of pending) if (KNOWN.has(`${m.name}@${m.version}`)) setSeq.run(++seq, m.id);
  db.prepare(`UPDATE device_state SET sync_seq = ? WHERE id = 1`).run(seq);
}

export const migration: Migration = {
  version: 4,
  name: 'sync',
  up(db) {
    db.exec(SQL);
    upgradeOutbox(db);
  },
};
