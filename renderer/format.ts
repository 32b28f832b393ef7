/** Formatting of instants, durations and countdowns in the user's locale. */
import { useEffect, useState } from 'react';
import type { TargetView } from '../core/api/desk.js';
import i18next from './i18n/index.js';
import { useApp } from './store.js';

export const userZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** The region each UI language is formatted for when the browser names none for it (24-hour clocks). */
const REGION: Record<string, string> = { en: 'en-GB', da: 'da-DK', nb: 'nb-NO', nl: 'nl-NL' };

/** The user's locale for the UI language: the browser's own locale of that language (en-US, nl-BE, …), else its default region. */
export const locale = (): string => {
  const l = i18next.language || 'en';
  const base = (x: string) => {
    const b = x.toLowerCase().split('-')[0] ?? '';
    return b === 'no' || b === 'nn' ? 'nb' : b;
  };
  const mine = (typeof navigator !== 'undefined' ? navigator.languages : []).find((x) => x.includes('-') && base(x) === l);
  return mine ?? REGION[l] ?? l;
};

/** "Mon 11:30" (weekday + time) in the user's zone; the contract's zone added where it differs. */
export function formatWhen(at: number, zone?: string): string {
  const fmt = (tz: string) => new Intl.DateTimeFormat(locale(), { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZone: tz }).format(at);
  const mine = fmt(userZone());
  if (zone && zone !== userZone()) return `${mine} (${fmt(zone)} ${zone})`;
  return mine;
}

/** Date and time, in the user's zone or in `zone` (a report prints in its own stated zone). */
export function formatDateTime(at: number, zone?: string): string {
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short', ...(zone ? { timeZone: zone } : {}) }).format(at);
}

/** "05:08" when `at` is on the same day as `now`, else "Thu 3 Dec 05:08"; in `zone` (default the user's). */
export function formatClock(at: number, now: number, zone = userZone()): string {
  const day = (x: number) => new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(x);
  const opts: Intl.DateTimeFormatOptions = day(at) === day(now) ? { hour: '2-digit', minute: '2-digit' } : { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' };
  return new Intl.DateTimeFormat(locale(), { ...opts, timeZone: zone }).format(at);
}

/** "in 15 min" / "20 min ago", against `now` (computed when shown, never stored). */
export function relative(at: number, now: number): string {
  const mins = Math.floor(Math.abs(at - now) / 60_000);
  return at >= now ? i18next.t('when.in', { span: formatMinutes(mins) }) : i18next.t('when.ago', { span: formatMinutes(mins) });
}

/** "3 h 10 min", "2 d 4 h", "45 min". */
export function formatMinutes(mins: number): string {
  const m = Math.max(0, Math.round(mins));
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  const r = m % 60;
  if (d) return `${d} d ${h} h`;
  if (h) return r ? `${h} h ${r} min` : `${h} h`;
  return `${r} min`;
}

/** The services' now, ticking every second. */
export function useNow(intervalMs = 1000): number {
  const skew = useApp((s) => s.skew);
  const [now, setNow] = useState(() => Date.now() + skew);
  useEffect(() => {
    setNow(Date.now() + skew);
    const id = setInterval(() => setNow(Date.now() + skew), intervalMs);
    return () => clearInterval(id);
  }, [skew, intervalMs]);
  return now;
}

export type Urgency = 'ok' | 'warn' | 'bad' | 'paused' | 'done';

/** Green more than an hour left, amber under an hour, red under 15 minutes or breached. */
export function urgency(t: Pick<TargetView, 'state' | 'dueAt' | 'breached'>, now: number): Urgency {
  if (t.state === 'paused') return t.breached || (t.dueAt !== null && t.dueAt < now) ? 'bad' : 'paused';
  if (t.state === 'stopped') return t.breached ? 'bad' : 'done';
  if (t.state === 'pending' || t.dueAt === null) return 'done';
  const left = t.dueAt - now;
  if (left < 15 * 60_000) return 'bad';
  if (left < 60 * 60_000) return 'warn';
  return 'ok';
}

export { overdue } from './target-state.js';

/** "1:02:03" or "-0:05:00" (wall clock left); a day or more reads "2 d 4 h". */
export function clockLeft(dueAt: number, now: number): string {
  const ms = dueAt - now;
  if (Math.abs(ms) >= 86_400_000) return `${ms < 0 ? '−' : ''}${formatMinutes(Math.floor(Math.abs(ms) / 60_000))}`;
  const s = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return `${ms < 0 ? '−' : ''}${h}:${mm}:${ss}`;
}

/** Numbers in the user's locale (issue 15 item 7): "1,234.5" (en), "1.234,5" (da, nl), "1 234,5" (nb). */
export function formatNumber(n: number | string, opts: Intl.NumberFormatOptions = {}): string {
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: 3, ...opts }).format(Number(n));
}

/** Minor units as an amount with 2 decimals, without the currency: 837000 -> "8,370.00" (en), "8.370,00" (da). */
export function formatAmount(minor: number): string {
  return formatNumber(minor / 100, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** Minor units with the currency's code where the locale puts it: "DKK 8,370.00" (en), "8.370,00 DKK" (da). */
export function formatMoney(minor: number, currency: string): string {
  try {
    return new Intl.NumberFormat(locale(), { style: 'currency', currency, currencyDisplay: 'code', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(minor / 100);
  } catch {
    return `${formatAmount(minor)} ${currency}`; // not an ISO 4217 code
  }
}

/** "15:31" (da) / "3:31 PM" (en): a time of day in the user's locale and zone. */
export function formatTimeOfDay(at: number): string {
  return new Intl.DateTimeFormat(locale(), { hour: '2-digit', minute: '2-digit' }).format(at);
}
