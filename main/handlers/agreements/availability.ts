/**
 * Handlers of the availability methods (core/api/agreements.ts,
 * docs/availability.md): each service's month from the device's outages, and
 * outages and services saved through the store (synced as records).
 */
import { monthAvailability } from '../../../core/agreements/availability.js';
import { agreementsMethods } from '../../../core/api/agreements.js';
import type { ServiceMonthView } from '../../../core/api/agreements.js';
import type { Reply } from '../../../core/api/contract.js';
import { CalendarCache } from '../../../core/sla/index.js';
import { ApiFailure } from '../../api/dispatch.js';
import type { HandlersFor } from '../../api/dispatch.js';
import type { AppContext } from '../../context.js';
import { listTemplates } from '../../desk/templates.js';

const calendars = new CalendarCache(64);

/** Store errors as the contract's errors, with the field. */
async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const name = (e as Error)?.name;
    if (name === 'ValidationError') throw new ApiFailure('invalid_request', (e as Error).message, (e as { path?: string }).path);
    if (name === 'NotFoundError') throw new ApiFailure('not_found', (e as Error).message);
    throw e;
  }
}

/** A new contract made from a template gets the template's services (desk.createContract {template}). */
export async function copyTemplateServices(ctx: AppContext, contractId: string, templateId: string): Promise<void> {
  const services = listTemplates().templates.find((t) => t.id === templateId)?.file.services;
  if (Array.isArray(services) && services.length) await ctx.store.availability.setServices(contractId, services);
}

/** The report's print page may read the services' month (main/reports/handlers.ts `printCall`): checked like any request. */
export async function printAvailability(ctx: AppContext, request: unknown): Promise<Reply<unknown>> {
  const parsed = agreementsMethods['agreements.availability'].request.safeParse(request);
  if (!parsed.success) return { ok: false, error: { code: 'invalid_request', message: parsed.error.issues[0]?.message ?? 'invalid' } };
  return { ok: true, result: await availabilityHandlers(ctx)['agreements.availability'](parsed.data) };
}

export function availabilityHandlers(ctx: AppContext): HandlersFor<typeof agreementsMethods> {
  return {
    'agreements.availability': async ({ month, contractId }) => {
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
            contractId: c.id, agreementNumber: c.agreementNumber, contractName: c.name, customerName: c.customerName,
            serviceName: s.name, calendar: s.calendar ?? null, timezone: zone,
            outages: r.outages.map((o) => ({ ...(byId.get(o.id) as (typeof outages)[number]), minutes: o.minutes })),
          });
        }
      }
      return { month, now, services: out };
    },
    'agreements.ticketOutages': ({ ticketId }) =>
      guard(async () => {
        const t = await ctx.store.tickets.get(ticketId);
        if (!t) throw new ApiFailure('not_found', `ticket ${ticketId} does not exist`);
        const services = t.contractId ? (await ctx.store.availability.servicesOf(t.contractId)).map((s) => ({ id: s.id, name: s.name })) : [];
        return { contractId: t.contractId ?? null, services, outages: await ctx.store.availability.outagesOfTicket(ticketId) };
      }),
    'agreements.recordOutage': (input) =>
      guard(async () => {
        const o = await ctx.store.availability.putOutage(input);
        ctx.events.fire({ name: 'records.changed', payload: { kinds: ['outage'] } });
        return o;
      }),
    'agreements.setServices': ({ contractId, services }) =>
      guard(async () => {
        const saved = await ctx.store.availability.setServices(contractId, services);
        ctx.events.fire({ name: 'records.changed', payload: { kinds: ['contract'] } });
        return { services: saved };
      }),
  };
}
