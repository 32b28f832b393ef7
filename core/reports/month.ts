/** Calendar months in an IANA zone: "2026-03" -> [start, end) as epoch ms. */
import { DateTime } from 'luxon';

export const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

export interface MonthRange {
  month: string;
  timezone: string;
  /** First instant of the month (local midnight of the 1st). */
  from: number;
  /** First instant of the next month. */
  to: number;
}

export function monthRange(month: string, timezone: string): MonthRange {
  const m = MONTH_PATTERN.exec(month);
  if (!m) throw new Error(`month: must look like 2026-03, got ${JSON.stringify(month)}`);
  const start = DateTime.fromObject({ year: Number(m[1]), month: Number(m[2]), day: 1 }, { zone: timezone });
  if (!start.isValid) throw new Error(`timezone: unknown zone ${JSON.stringify(timezone)}`);
  return { month, timezone, from: start.toMillis(), to: start.plus({ months: 1 }).toMillis() };
}

/** The month ("2026-03") an instant falls in, in a zone. */
export function monthOf(at: number, timezone: string): string {
  return DateTime.fromMillis(at, { zone: timezone }).toFormat('yyyy-MM');
}

/** The local date ("2026-03-31") of an instant in a zone. */
export function localDate(at: number, timezone: string): string {
  return DateTime.fromMillis(at, { zone: timezone }).toFormat('yyyy-MM-dd');
}
