/** The queue: open tickets by next deadline, search, the people, callbacks due: core/api/desk.ts, docs/desk.md. */
import { isClosedStatus } from '../../../core/domain/index.js';
import type { deskMethods } from '../../../core/api/desk.js';
import type { HandlersFor } from '../../api/dispatch.js';
import { guard } from '../../api/guard.js';
import type { AppContext } from '../../app/context.js';
import { ticketViews } from '../../tickets/views.js';
import { searchTickets } from './search.js';

export function queueHandlers(ctx: AppContext): Pick<HandlersFor<typeof deskMethods>, 'desk.queue' | 'desk.users' | 'desk.callbacks'> {
  const store = ctx.store;
  const { summaries } = ticketViews(ctx);

  return {
    'desk.queue': ({ filter, cursor, limit }) =>
      guard(async () => {
        const q = filter.q?.trim();
        if (q) {
          const found = (await searchTickets(store, q, Math.min(limit, 500))).filter(
            (t) =>
              (!filter.contractId || t.contractId === filter.contractId) &&
              (!filter.priority || t.priority === filter.priority) &&
              (!filter.status || t.status === filter.status) &&
              (!filter.assignee || t.assignee === filter.assignee),
          );
          return { items: await summaries(found), next: null };
        }
        const page = await store.tickets.queueFiltered(
          { contractId: filter.contractId ?? null, priority: filter.priority || null, status: filter.status ?? null, assignee: filter.assignee || null },
          { limit, after: cursor ?? null },
        );
        return { items: await summaries(page.items), next: page.next };
      }),

    'desk.users': () => guard(async () => ({ users: await store.tickets.people() })),

    'desk.callbacks': ({ withinMinutes }) =>
      guard(async () => {
        const due = await store.tickets.callbacksDue(ctx.clock.now() + withinMinutes * 60_000, 500);
        return { items: await summaries(due.filter((t) => !isClosedStatus(t.status))) };
      }),
  };
}
