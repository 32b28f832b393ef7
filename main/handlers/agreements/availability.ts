/**
 * Handlers of the availability methods (core/api/agreements.ts,
 * docs/availability.md): each service's month (main/agreements/availability.ts),
 * and outages and services saved through the store (synced as records).
 */
import type { availabilityMethods } from '../../../core/api/availability.js';
import { ApiFailure } from '../../api/dispatch.js';
import type { HandlersFor } from '../../api/dispatch.js';
import type { AppContext } from '../../app/context.js';
import { guard } from '../../api/guard.js';
import { availabilityMonth } from '../../agreements/availability.js';

export function availabilityHandlers(ctx: AppContext): HandlersFor<typeof availabilityMethods> {
  return {
    'agreements.availability': (req) => availabilityMonth(ctx, req),
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
