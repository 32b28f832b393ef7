/**
 * Contract methods for agreements over time (issue 20; docs/maintenance.md):
 * planned visits from a contract's maintenance plans, and a visit's
 * inspection report for the customer.
 */
import { z } from 'zod';
import type { PlannedVisit, VisitKind } from '../agreements/maintenance.js';

const id = z.string().min(1, 'is required').max(100);

/** A planned visit of a contract: its plan, due date and window, and its ticket once created. */
export interface PlannedVisitView extends PlannedVisit {
  ticketId: string | null;
  caseNumber: string | null;
  status: string | null;
  /** Its window closed and it is not done. */
  missed: boolean;
}

export interface MaintenancePlanView {
  id: string;
  kind: VisitKind;
  title: string;
  level: string | null;
  /** { perYear: n } or { every: { months | weeks: n }, from } as in the contract. */
  perYear: number | null;
  every: { months?: number; weeks?: number } | null;
  from: string | null;
  assignee: string | null;
  timezone: string | null;
  /** False when the plan belongs to another service level than the contract's default policy. */
  active: boolean;
}

/** The inspection report of a visit: what the print page shows and the PDF carries. */
export interface VisitReportView {
  ticketId: string;
  caseNumber: string;
  customerName: string;
  agreementNumber: string | null;
  siteName: string | null;
  siteAddress: string | null;
  title: string | null;
  status: string;
  assignee: string | null;
  visit: { kind: VisitKind; planId: string; due: string; windowStart: number; windowEnd: number } | null;
  steps: { step: string; at: number; technician: string | null }[];
  checklist: { key: string; label: string; value: string | number | boolean | null }[];
  checklistAt: number | null;
  parts: { product: string; serialIn: string | null; serialOut: string | null }[];
  photos: { sha256: string; name: string; mime: string }[];
  acceptance: { name: string; signature: string; at: number } | null;
}

export const agreementsMethods = {
  /** Creates the planned visits whose notice time has come (idempotent: a visit is one ticket, its id derived from contract, plan and due date). */
  'agreements.planVisits': {
    request: z.object({}).strict(),
    result: z.custom<{ created: { ticketId: string; caseNumber: string; planId: string; due: string }[] }>(),
  },
  /** A contract's plans and its visits from three months back to a year ahead. */
  'agreements.visits': {
    request: z.object({ contractId: id }).strict(),
    result: z.custom<{ plans: MaintenancePlanView[]; visits: PlannedVisitView[]; maintenance: unknown[] | null; level: string | null; levels: { id: string; name: string }[] }>(),
  },
  /**
   * Replaces (null: removes) a contract's maintenance plans. Every problem is
   * answered with its path (`maintenance[0].every`) and nothing is stored;
   * the visits now due are created at once.
   */
  'agreements.setMaintenance': {
    request: z.object({ contractId: id, maintenance: z.array(z.unknown()).max(50, 'at most 50 plans').nullable() }).strict(),
    result: z.custom<{ ok: true; created: number }>(),
  },
  /** Sets the contract's service level (its default policy): the plans of that level apply; the visits now due are created. */
  'agreements.setLevel': {
    request: z.object({ contractId: id, level: z.string().min(1, 'is required').max(100) }).strict(),
    result: z.custom<{ ok: true; created: number }>(),
  },
  /** A visit's inspection report (checklist, readings, parts, photos, signature). */
  'agreements.visitReport': {
    request: z.object({ ticketId: id }).strict(),
    result: z.custom<VisitReportView>(),
  },
  /** The inspection report as a PDF for the customer (base64). */
  'agreements.visitReportPdf': {
    request: z.object({ ticketId: id, language: z.enum(['en', 'da', 'nb', 'nl']).default('en') }).strict(),
    result: z.custom<{ filename: string; content: string; mediaType: string }>(),
  },
} as const;
