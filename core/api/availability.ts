/**
 * Agreements over time (issue 20): contract methods of the parts that are
 * measured over a calendar. Services and availability (item 2,
 * docs/availability.md): each service's month against its target, and
 * outages recorded by hand.
 */
import { z } from 'zod';
import type { MonthAvailability } from '../agreements/availability.js';
import type { OutageSource } from '../agreements/outage-record.js';
import { instant as instantMs } from './fields.js';

const id = z.string().min(1).max(100);

export interface OutageView {
  id: string;
  contractId: string;
  serviceId: string;
  ticketId: string | null;
  caseNumber: string | null;
  start: number;
  end: number | null;
  source: OutageSource;
  summary: string | null;
}

/** One service's month: the figures of `monthAvailability` with the outages as recorded. */
export interface ServiceMonthView extends Omit<MonthAvailability, 'outages'> {
  contractId: string;
  agreementNumber: string;
  contractName: string | null;
  customerName: string;
  serviceName: string;
  /** The calendar counted over; null: 24/7. */
  calendar: string | null;
  timezone: string;
  outages: (OutageView & { minutes: number })[];
}

export const availabilityMethods = {
  /** Availability of every contract's services (or one contract's) in a month (YYYY-MM, in each service's zone), against the targets. */
  'agreements.availability': {
    request: z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM'), contractId: id.optional() }).strict(),
    result: z.custom<{ month: string; now: number; services: ServiceMonthView[] }>(),
  },
  /** A ticket's outages and the services of its contract (the ticket page's panel; none when the contract names no service). */
  'agreements.ticketOutages': {
    request: z.object({ ticketId: id }).strict(),
    result: z.custom<{ contractId: string | null; services: { id: string; name: string }[]; outages: OutageView[] }>(),
  },
  /** Records an outage by hand (no id), or changes one (its end, ticket, summary). */
  'agreements.recordOutage': {
    request: z
      .object({
        id: id.optional(),
        contractId: id,
        serviceId: id,
        ticketId: id.nullable().optional(),
        /** The ticket by its case number as typed (instead of ticketId). */
        caseNumber: z.string().max(40).nullable().optional(),
        start: instantMs,
        end: instantMs.nullable().optional(),
        summary: z.string().max(500).nullable().optional(),
      })
      .strict(),
    result: z.custom<OutageView>(),
  },
  /** Sets a contract's services ({id, name, target, calendar?, timezone?}); null or [] clears them. */
  'agreements.setServices': {
    request: z.object({ contractId: id, services: z.array(z.record(z.string(), z.unknown())).max(100).nullable() }).strict(),
    result: z.custom<{ services: unknown[] }>(),
  },
} as const;
