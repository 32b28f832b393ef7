/** A calendar as the Contracts view's editor holds it (the contract format, specs/sla-clock.md), and helpers for it. */
import type { IssueView } from '../../../core/api/desk.js';

export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Day = (typeof DAYS)[number];
export type Pair = [string, string];
export interface CalendarDraft {
  name?: string;
  timezone: string;
  week: Record<Day, Pair[]> | '24x7';
  holidays?: { country: string; region?: string };
  closed?: string[];
  special?: Record<string, Pair[]>;
  [k: string]: unknown;
}

export const clone = <T,>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
export const issuesAt = (issues: IssueView[], prefix: string) => issues.filter((i) => i.path === prefix || i.path.startsWith(`${prefix}.`) || i.path.startsWith(`${prefix}[`));
