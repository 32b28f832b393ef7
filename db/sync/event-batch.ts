/**
 * Pulled events into the store in multi-row statements (issue 19, docs/sync-bench.md): an initial sync
 * writes a million of them, and one statement per row spent most of its time on the statement, not
 * the row. Rows go `BATCH` per INSERT (a statement prepared once per row count); `RETURNING id` names
 * the rows actually inserted, so the union by event id holds as with one row at a time: an id already
 * on the timeline (or twice in one page) is skipped, and only what was inserted gets its search text,
 * photo record and derived fields. The receipts and search texts go in batches too.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { SyncEvent } from '../../core/sync/mutations.js';
import { json } from '../context.js';

/** Rows per statement: 9 parameters a row, well under SQLite's limit (32,766), and past it the gain is flat. */
export const BATCH = 100;

type Param = string | number | null;

/** A multi-row INSERT per row count, prepared on first use. */
class MultiRow {
  private readonly byCount = new Map<number, BetterSqlite3.Statement>();
  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly head: string,
    private readonly columns: number,
    private readonly tail: string,
    private readonly returns: boolean,
  ) {}

  statement(rows: number): BetterSqlite3.Statement {
    let s = this.byCount.get(rows);
    if (!s) {
      const row = `(${Array.from({ length: this.columns }, () => '?').join(', ')})`;
      s = this.db.prepare(`${this.head} VALUES ${Array.from({ length: rows }, () => row).join(', ')} ${this.tail}`);
      if (this.returns) s.pluck();
      this.byCount.set(rows, s);
    }
    return s;
  }

  /** Writes `params` (`columns` a row) in statements of at most BATCH rows; what RETURNING gave, in order. */
  run(params: Param[]): unknown[] {
    const out: unknown[] = [];
    const per = BATCH * this.columns;
    for (let i = 0; i < params.length; i += per) {
      const part = params.length <= per ? params : params.slice(i, i + per);
      const s = this.statement(part.length / this.columns);
      if (this.returns) for (const x of s.all(part)) out.push(x);
      else s.run(part);
    }
    return out;
  }
}

export class EventBatch {
  private readonly events;
  private readonly receipts;
  private readonly search;
  constructor(db: BetterSqlite3.Database) {
    // Union by event id: an id seen again is skipped (and not returned); any other constraint (CHECK) fails the whole page.
    this.events = new MultiRow(db, `INSERT INTO ticket_events (id, ticket_id, type, at, recorded_at, author, data, device_id, hlc)`, 9, `ON CONFLICT(id) DO NOTHING RETURNING id`, true);
    // When the server received the event and from which device (migration 0011); the server's word, so it replaces.
    this.receipts = new MultiRow(db, `INSERT OR REPLACE INTO sync_event_receipts (event_id, received_at, device_id, device_name)`, 4, '', false);
    this.search = new MultiRow(db, `INSERT INTO search_fts (body, ticket_id, source)`, 3, '', false);
  }

  /** The receipts of these events (those the server sent one for), in order: a later one of the same event replaces. */
  receipt(events: readonly SyncEvent[]): void {
    const p: Param[] = [];
    for (const e of events) if (e.receivedAt != null) p.push(e.id, e.receivedAt, e.deviceId, e.deviceName ?? null);
    if (p.length) this.receipts.run(p);
  }

  /** Inserts the events not on the timeline yet; returns the ids inserted (an id twice in `events`: its first). */
  insert(events: readonly SyncEvent[], now: number): Set<string> {
    const p: Param[] = [];
    for (const e of events) p.push(e.id, e.ticketId, e.type, e.at, now, e.author ?? null, json(e.data ?? {}), e.deviceId, e.hlc);
    return new Set(this.events.run(p) as string[]);
  }

  /** Search rows: [body, ticket id, source] each. */
  index(rows: Param[]): void {
    if (rows.length) this.search.run(rows);
  }
}
