/**
 * Applies pulled reference records (customers, contracts, contacts, sites,
 * assets) to the local tables; part of the sync repository's pull
 * transaction (db/sync-store.ts).
 *
 * - Last writer wins by HLC, on the device as on the server: a pulled record
 *   older than what this device knows (`sync_records.hlc`: its own pending
 *   change, or a later pull) is not applied, only kept as the server's copy.
 *   Both sides keep the record with the highest HLC, so they converge.
 * - A record whose parent has not arrived (pull order is by version, and a
 *   customer edited late comes after its contracts) waits in
 *   `sync_orphan_records` and is applied right after its parent.
 * - A new contract, site or asset is linked to the pulled tickets that name
 *   it; a changed contract reports its open tickets, so their alerts are
 *   re-planned against the new calendars and policies.
 * - When the server refuses a local change, the server's copy is put back.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { compareHlcStrings } from '../core/sync/hlc.js';
import { RECORD_DATA } from '../core/sync/mutations.js';
import type { RecordKind, SyncRecord } from '../core/sync/mutations.js';
import type { Ctx } from './context.js';
import { json, parseJson } from './context.js';
import { ValidationError } from './errors.js';
import { phoneKey } from './repos/customers.js';
import { RECORD_COLUMNS, RECORD_TABLE } from './sync-records.js';
import { CLOSED_STATUSES_SQL, forSqlite, sql, sqlId, sqlJoin, sqlJsonKey } from './sql.js';
import type { Sql, SqlParam } from './sql.js';

type Row = Record<string, unknown>;

/** Which local tables carry `updated_at` (the others have only created_at). */
const HAS_UPDATED_AT: ReadonlySet<RecordKind> = new Set(['customer', 'contract', 'rota', 'outage']);
/** The ticket column that names a record of this kind. */
const TICKET_LINK: Partial<Record<RecordKind, [column: string, key: string]>> = {
  contract: ['contract_id', 'contractId'],
  site: ['site_id', 'siteId'],
  asset: ['asset_id', 'assetId'],
};

function parents(kind: RecordKind, data: Row): [RecordKind, string][] {
  const out: [RecordKind, string][] = [];
  if (kind === 'contact' || kind === 'outage') out.push(['contract', data.contractId as string]);
  else if (kind !== 'customer' && kind !== 'rota') out.push(['customer', data.customerId as string]);
  if (kind === 'asset' && typeof data.siteId === 'string') out.push(['site', data.siteId]);
  return out;
}

export class RecordApplier {
  private readonly s;
  /** Statements built from the record kind (table, columns): prepared once each. */
  private readonly prepared = new Map<string, BetterSqlite3.Statement<unknown[]>>();
  constructor(private readonly ctx: Ctx) {
    const db = ctx.db;
    this.s = {
      clock: db.prepare('SELECT hlc, server FROM sync_records WHERE id = ?'),
      setServer: db.prepare(`INSERT INTO sync_records (id, kind, hlc, deleted, server) VALUES (@id, @kind, '', @deleted, @server) ON CONFLICT(id) DO UPDATE SET server = excluded.server`),
      setClock: db.prepare('UPDATE sync_records SET hlc = ?, deleted = ? WHERE id = ?'),
      orphan: db.prepare('INSERT INTO sync_orphan_records (id, parent_id, record) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET parent_id = excluded.parent_id, record = excluded.record'),
      orphansOf: db.prepare('SELECT id, record FROM sync_orphan_records WHERE parent_id = ?'),
      dropOrphan: db.prepare('DELETE FROM sync_orphan_records WHERE id = ?'),
      exists: Object.fromEntries(Object.entries(RECORD_TABLE).map(([k, t]) => [k, db.prepare<[string]>(`SELECT 1 FROM ${t} WHERE id = ?`)])) as unknown as Record<
        RecordKind,
        { get(id: string): unknown }
      >,
      agreementClash: db.prepare('SELECT id FROM contracts WHERE agreement_number = ? AND id <> ?'),
      renameAgreement: db.prepare(`UPDATE contracts SET agreement_number = agreement_number || '~' || substr(id, -6) WHERE id = ?`),
      openOfContract: db.prepare(`SELECT id FROM tickets WHERE contract_id = ? AND status NOT IN (${CLOSED_STATUSES_SQL})`),
      delContact: db.prepare('DELETE FROM contract_contacts WHERE id = ?'),
    };
  }

  /** Whether this device has the record (a pulled ticket names its contract, site and asset). */
  has(kind: RecordKind, id: string | null | undefined): boolean {
    return !!id && this.s.exists[kind].get(id) !== undefined;
  }

  /**
   * Applies one pulled record; tickets whose SLA inputs changed go into
   * `changed`. False when this device already knows a later (or the same) change.
   */
  apply(rec: SyncRecord, now: number, changed: Set<string>): boolean {
    this.s.setServer.run({ id: rec.id, kind: rec.kind, deleted: rec.deleted ? 1 : 0, server: json(rec) });
    const known = this.s.clock.get(rec.id) as { hlc: string } | undefined;
    if (known?.hlc && compareHlcStrings(rec.hlc, known.hlc) <= 0) return false;
    this.put(rec, now, changed);
    return true;
  }

  /** The server refused this device's change of a record: show the server's copy again (when it has one). */
  restoreServerCopy(id: string, now: number, changed: Set<string>): void {
    const row = this.s.clock.get(id) as { server: string | null } | undefined;
    if (row?.server) this.put(parseJson<SyncRecord>(row.server, null as unknown as SyncRecord), now, changed);
  }

  private put(rec: SyncRecord, now: number, changed: Set<string>): void {
    const parsed = RECORD_DATA[rec.kind].safeParse(rec.data);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      throw new ValidationError(`pulled ${rec.kind} ${rec.id}: ${i?.message ?? 'invalid'}`, `data.${i?.path.join('.') ?? ''}`);
    }
    const data = parsed.data as Row;
    const missing = rec.deleted ? undefined : parents(rec.kind, data).find(([k, id]) => !this.s.exists[k].get(id));
    if (missing) {
      this.s.orphan.run(rec.id, missing[1], json(rec));
      return;
    }
    this.s.dropOrphan.run(rec.id);
    const isNew = !this.s.exists[rec.kind].get(rec.id);
    if (rec.deleted) this.s.delContact.run(rec.id);
    else this.write(rec.kind, rec.id, data, rec.hlc, now, isNew);
    this.s.setClock.run(rec.hlc, rec.deleted ? 1 : 0, rec.id);

    const link = TICKET_LINK[rec.kind];
    if (link && isNew && !rec.deleted) {
      // Pulled tickets that name this record arrived before it: link them now.
      // (sync_tickets has an index on each of these expressions, migration 0009.)
      const col = sqlId(link[0]);
      const ids = this.all(
        sql`UPDATE tickets SET ${col} = ${rec.id} WHERE ${col} IS NULL AND id IN (SELECT id FROM sync_tickets WHERE json_extract(row, ${sqlJsonKey(link[1])}) = ${rec.id}) RETURNING id`,
      ) as { id: string }[];
      for (const t of ids) changed.add(t.id);
    }
    if (rec.kind === 'contract' && !isNew) for (const t of this.s.openOfContract.all(rec.id) as { id: string }[]) changed.add(t.id);
    for (const o of this.s.orphansOf.all(rec.id) as { id: string; record: string }[]) {
      this.s.dropOrphan.run(o.id);
      const orphan = parseJson<SyncRecord>(o.record, null as unknown as SyncRecord);
      // A change made here while it waited is newer: keep it (the same rule as apply()).
      const known = this.s.clock.get(orphan.id) as { hlc: string } | undefined;
      if (!known?.hlc || compareHlcStrings(orphan.hlc, known.hlc) > 0) this.put(orphan, now, changed);
    }
  }

  /** A composed statement, prepared once per text. */
  private stmt(q: Sql): { st: BetterSqlite3.Statement<unknown[]>; params: unknown[] } {
    const { text, params } = forSqlite(q);
    let st = this.prepared.get(text);
    if (!st) this.prepared.set(text, (st = this.ctx.db.prepare<unknown[]>(text)));
    return { st, params: params as unknown[] };
  }
  private run(q: Sql): void {
    const { st, params } = this.stmt(q);
    st.run(...params);
  }
  private all(q: Sql): unknown[] {
    const { st, params } = this.stmt(q);
    return st.all(...params);
  }

  private write(kind: RecordKind, id: string, data: Row, hlc: string, now: number, isNew: boolean): void {
    if (kind === 'contract') {
      // The server gives an agreement number to one contract; a local one that lost keeps its tickets under a marked number.
      const clash = this.s.agreementClash.get(data.agreementNumber, id) as { id: string } | undefined;
      if (clash) this.s.renameAgreement.run(clash.id);
    }
    const values: Row = { id, hlc };
    for (const [key, col, isJson] of RECORD_COLUMNS[kind]) {
      const v = data[key] ?? null;
      values[col] = isJson ? (v === null ? null : json(v)) : v;
    }
    if (kind === 'contract') values.intake_fields ??= '[]';
    if (kind === 'contact') values.phone_digits = phoneKey(data.phone as string | null);
    if (HAS_UPDATED_AT.has(kind)) values.updated_at = now;
    const cols = Object.keys(values);
    const table = RECORD_TABLE[kind];
    if (isNew) {
      this.run(sql`INSERT INTO ${sqlId(table)} (${sqlJoin(cols.map(sqlId))}) VALUES (${sqlJoin(cols.map((c) => values[c] as SqlParam))})`);
    } else {
      const sets = cols.filter((c) => c !== 'id').map((c) => sql`${sqlId(c)} = ${values[c] as SqlParam}`);
      this.run(sql`UPDATE ${sqlId(table)} SET ${sqlJoin(sets)}, version = version + 1 WHERE id = ${id}`);
    }
  }
}
