/**
 * The `sql` tag (db/sql.ts): composed SQL with parameters by construction, rendered for SQLite
 * (better-sqlite3) and PostgreSQL (PGlite), run on both for real.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { OPEN_TICKET_STATUSES } from '../../core/domain/ticket-status.js';
import { SQL_OPEN_STATUSES, forPg, forSqlite, sql, sqlId, sqlJoin, sqlJsonKey, sqlNumber, sqlText, sqlWords } from '../../db/sql.js';
import type { Sql } from '../../db/sql.js';
import { createPgliteDb } from '../../server/db.js';
import type { Db } from '../../server/db.js';

const HOSTILE = `x'); DROP TABLE t; -- $1 ? E'\\n' $$`;

let lite: Database.Database;
let pg: Db;
beforeAll(async () => {
  lite = new Database(':memory:');
  lite.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT, status TEXT)');
  pg = await createPgliteDb(null);
  await pg.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT, status TEXT)');
});
afterAll(async () => {
  lite.close();
  await pg.close();
});

/** A filtered query composed from fragments, as the queue filter does. */
function filtered(f: { status?: string; v?: string }, col: string): Sql {
  const where: Sql[] = [sql`status IN (${SQL_OPEN_STATUSES})`];
  if (f.status) where.push(sql`status = ${f.status}`);
  if (f.v !== undefined) where.push(sql`${sqlId(col)} = ${f.v}`);
  return sql`SELECT id, v FROM t WHERE ${sqlJoin(where, sql` AND `)} ORDER BY id`;
}

describe('sql tag', () => {
  it('renders one fragment with ? for SQLite and $n for PostgreSQL; nested fragments keep their parameters in order', () => {
    const q = filtered({ status: 'open', v: HOSTILE }, 'v');
    expect(forSqlite(q)).toEqual({
      text: `SELECT id, v FROM t WHERE status IN ('open', 'waiting_on_customer', 'waiting_on_vendor') AND status = ? AND v = ? ORDER BY id`,
      params: ['open', HOSTILE],
    });
    expect(forPg(q).text).toBe(`SELECT id, v FROM t WHERE status IN ('open', 'waiting_on_customer', 'waiting_on_vendor') AND status = $1 AND v = $2 ORDER BY id`);
    expect(forPg(sql`VALUES (${sqlJoin([1, sql`${2} + ${3}`, 4])})`)).toEqual({ text: 'VALUES ($1, $2 + $3, $4)', params: [1, 2, 3, 4] });
  });

  it('a value that looks like SQL stays a value on SQLite and on PostgreSQL', async () => {
    const ins = sql`INSERT INTO t (id, v, status) VALUES (${1}, ${HOSTILE}, ${'open'}), (${2}, ${'other'}, ${'closed'})`;
    const l = forSqlite(ins);
    lite.prepare(l.text).run(...(l.params as unknown[]));
    const p = forPg(ins);
    await pg.query(p.text, p.params as unknown[]);
    const q = filtered({ v: HOSTILE }, 'v');
    const lq = forSqlite(q);
    expect(lite.prepare(lq.text).all(...(lq.params as unknown[]))).toEqual([{ id: 1, v: HOSTILE }]);
    const pq = forPg(q);
    expect((await pg.query(pq.text, pq.params as unknown[])).rows).toEqual([{ id: 1, v: HOSTILE }]);
    // the closed ticket is outside the open statuses on both
    expect(lite.prepare(forSqlite(filtered({}, 'v')).text).all()).toEqual([{ id: 1, v: HOSTILE }]);
  });

  it('names and word lists are checked when built; undefined is refused; text only without parameters', () => {
    expect(() => sqlId('v; DROP TABLE t')).toThrow(/not a plain SQL name/);
    expect(() => sqlWords(["open') OR ('1"])).toThrow(/not a plain word/);
    expect(() => sqlWords([])).toThrow(/empty/);
    expect(() => sqlNumber(1.5)).toThrow(/not a safe integer/);
    expect(() => sqlJsonKey("a') OR ('1")).toThrow(/not a plain key/);
    expect(sqlText(sql`ifnull(x, ${sqlNumber(9007199254740991)}) AND json_extract(row, ${sqlJsonKey('siteId')})`)).toBe(`ifnull(x, 9007199254740991) AND json_extract(row, '$.siteId')`);
    expect(() => sql`x = ${undefined as unknown as string}`).toThrow(/parameter 1 is undefined/);
    expect(() => sqlText(sql`x = ${1}`)).toThrow(/1 parameter/);
    expect(sqlText(SQL_OPEN_STATUSES)).toBe(OPEN_TICKET_STATUSES.map((s) => `'${s}'`).join(', '));
  });
});
