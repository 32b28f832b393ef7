/**
 * The services' availability in a month (docs/availability.md): each service's
 * month from the device's outages, against its target. Shared by the
 * `agreements.*` handlers and the report's print page.
 */
import { monthAvailability } from '../../core/agreements/availability.js';
import { availabilityMethods } from '../../core/api/availability.js';
import type { ServiceMonthView } from '../../core/api/availability.js';
import type { Reply } from '../../core/api/contract.js';
import { CalendarCache } from '../../core/sla/index.js';
import type { AppContext } from '../app/context.js';

const calendars = new CalendarCache(64);

/** Every service's month (of one contract, or all). */
export async function availabilityMonth(ctx: AppContext, { month, contractId }: { month: string; contractId?: string | null }): Promise<{ month: string; now: number; services: ServiceMonthView[] }> {
  const now = ctx.clock.now();
  const out: ServiceMonthView[] = [];
  for (const c of await ctx.store.availability.contractsWithServices()) {
    if (contractId && c.id !== contractId) continue;
    for (const s of c.services) {
      const cal = s.calendar && c.calendars[s.calendar] ? calendars.get(c.calendars[s.calendar], `${c.id}:${s.calendar}`) : undefined;
      const zone = cal?.timezone ?? s.timezone ?? 'UTC';
      // The month's bounds widened by a day each way: every outage that can touch the month in any zone.
      const [y, m] = month.split('-').map(Number) as [number, number];
      const outages = await ctx.store.availability.outagesBetween(c.id, s.id, Date.UTC(y, m - 1, 1) - 86_400_000, Date.UTC(y, m, 1) + 86_400_000);
      const r = monthAvailability(s, outages, month, now, cal);
      const byId = new Map(outages.map((o) => [o.id, o]));
      out.push({
        ...r,
        contractId: c.id,
        agreementNumber: c.agreementNumber,
        contractName: c.name,
        customerName: c.customerName,
        serviceName: s.name,
        calendar: s.calendar ?? null,
        timezone: zone,
        outages: r.outages.map((o) => ({ ...(byId.get(o.id) as (typeof outages)[number]), minutes: o.minutes })),
      });
    }
  }
  return { month, now, services: out };
}

/** The report's print page may read the services' month (main/handlers/reports `printCall`): checked like any request. */
export async function printAvailability(ctx: AppContext, request: unknown): Promise<Reply<unknown>> {
  const parsed = availabilityMethods['agreements.availability'].request.safeParse(request);
  if (!parsed.success) return { ok: false, error: { code: 'invalid_request', message: parsed.error.issues[0]?.message ?? 'invalid' } };
  return { ok: true, result: await availabilityMonth(ctx, parsed.data) };
}
