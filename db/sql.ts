/**
 * Composed SQL, parameters by construction (after Signal-Desktop's `ts/sql/util.std.ts`): a
 * `sql` template keeps the text and the values apart, so a value can only ever become a bound
 * parameter. Fragments nest (`sql` inside `sql`), `sqlJoin` joins them. Only two things enter the
 * text itself, each checked when it is built: names (`sqlId`, letters, digits and _) and lists of
 * known words (`sqlWords`, e.g. the ticket statuses of core/domain/ticket-status.ts, which a partial
 * index names literally, so a query must too for the planner to use it).
 *
 * One fragment renders for either database: `forSqlite` (`?`) for better-sqlite3 in db/, `forPg`
 * (`$1..$n`) for PostgreSQL and PGlite in server/. Pure: no I/O, no driver.
 */
import { CLOSED_TICKET_STATUSES, OPEN_TICKET_STATUSES } from '../core/domain/ticket-status.js';

export type SqlParam = string | number | bigint | boolean | null | readonly (string | number)[];

export class Sql {
  /** `strings.length === values.length + 1`; each value is a parameter (fragments are flattened on build). */
  private constructor(
    readonly strings: readonly string[],
    readonly values: readonly SqlParam[],
  ) {}

  /** @internal */
  static of(strings: readonly string[], values: readonly SqlParam[]): Sql {
    return new Sql(strings, values);
  }
}

/** A SQL fragment: `${x}` is a bound parameter, or the fragment it is when x is one. */
export function sql(strings: TemplateStringsArray, ...values: readonly (Sql | SqlParam)[]): Sql {
  const outStrings: string[] = [strings[0] ?? ''];
  const outValues: SqlParam[] = [];
  values.forEach((v, i) => {
    const next = strings[i + 1] ?? '';
    if (v instanceof Sql) {
      // splice the fragment in: its first text joins ours, its last starts the next
      outStrings[outStrings.length - 1] += v.strings[0] ?? '';
      for (let k = 0; k < v.values.length; k++) {
        outValues.push(v.values[k] as SqlParam);
        outStrings.push(v.strings[k + 1] ?? '');
      }
      outStrings[outStrings.length - 1] += next;
    } else {
      if (v === undefined) throw new TypeError(`sql: parameter ${i + 1} is undefined (use null)`);
      outValues.push(v);
      outStrings.push(next);
    }
  });
  return Sql.of(outStrings, outValues);
}

/** The fragments (or parameters) joined by `separator` (default `, `). */
export function sqlJoin(items: readonly (Sql | SqlParam)[], separator: Sql = sql`, `): Sql {
  let out = sql``;
  items.forEach((item, i) => {
    out = i === 0 ? sql`${out}${item}` : sql`${out}${separator}${item}`;
  });
  return out;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const WORD = /^[A-Za-z0-9_]+$/;

/** A table or column name in the text; anything but letters, digits and _ is refused. */
export function sqlId(name: string): Sql {
  if (!NAME.test(name)) throw new Error(`sqlId: "${name}" is not a plain SQL name`);
  return Sql.of([name], []);
}

/**
 * Known words as quoted literals in the text (`'open', 'waiting_on_customer'`), for lists a partial
 * index names literally; each must be letters, digits and _ only (so no quoting can go wrong).
 */
export function sqlWords(words: readonly string[]): Sql {
  if (!words.length) throw new Error('sqlWords: an empty list');
  for (const w of words) if (!WORD.test(w)) throw new Error(`sqlWords: "${w}" is not a plain word`);
  return Sql.of([words.map((w) => `'${w}'`).join(', ')], []);
}

/** A whole number in the text (a constant an index expression names literally); anything else is refused. */
export function sqlNumber(n: number): Sql {
  if (!Number.isSafeInteger(n)) throw new Error(`sqlNumber: ${n} is not a safe integer`);
  return Sql.of([String(n)], []);
}

/** A JSON path to a top-level key as a literal (`'$.contractId'`), for expressions an index names literally. */
export function sqlJsonKey(key: string): Sql {
  if (!NAME.test(key)) throw new Error(`sqlJsonKey: "${key}" is not a plain key`);
  return Sql.of([`'$.${key}'`], []);
}

/** The text with `?` placeholders and the parameters in order (better-sqlite3). */
export function forSqlite(q: Sql): { text: string; params: SqlParam[] } {
  return { text: q.strings.join('?'), params: [...q.values] };
}

/** The text with `$1..$n` placeholders and the parameters in order (PostgreSQL, PGlite). */
export function forPg(q: Sql): { text: string; params: SqlParam[] } {
  let text = q.strings[0] ?? '';
  for (let i = 1; i < q.strings.length; i++) text += `$${i}${q.strings[i]}`;
  return { text, params: [...q.values] };
}

/** The text of a fragment that has no parameters (a statement prepared once, bound later). */
export function sqlText(q: Sql): string {
  if (q.values.length) throw new Error(`sqlText: the fragment has ${q.values.length} parameter(s); render it with forSqlite or forPg`);
  return q.strings.join('');
}

/**
 * The ticket status lists of core/domain/ticket-status.ts as SQL (`status IN (${SQL_OPEN_STATUSES})`),
 * literal and in that order: the partial indexes on tickets name them so (migrations 0001, 0003, 0005;
 * the server's 0001), and a query must match an index's WHERE for the planner to use it.
 */
export const SQL_OPEN_STATUSES = sqlWords(OPEN_TICKET_STATUSES);
export const SQL_CLOSED_STATUSES = sqlWords(CLOSED_TICKET_STATUSES);
/** The same lists as text, for statements written as strings and prepared once. */
export const OPEN_STATUSES_SQL = sqlText(SQL_OPEN_STATUSES);
export const CLOSED_STATUSES_SQL = sqlText(SQL_CLOSED_STATUSES);
