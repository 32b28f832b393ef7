/** The handover summary wired to the app (main/alerts/handover.ts): the store, the scheduler's alerts, the settings. */
import { CRITICAL_PRIORITY } from '../../core/domain/index.js';
import type { Duty } from '../../core/oncall/rota.js';
import type { AppContext } from '../app/context.js';
import { HANDOVER_NAMED, HandoverWatch } from './handover.js';
import type { HandoverSummary } from './handover.js';
import { popupWords } from './popup-words.js';
import { clockTime } from './text.js';
import type { Timers } from './types.js';

const LAST_SHOWN_KEY = 'oncall.handoverShown';

/** What the next person needs for the shift `[duty.from, duty.to)`: the first few of each list and how many in all. */
export async function handoverSummary(store: AppContext['store'], duty: Duty): Promise<HandoverSummary> {
  // The first few of each list and their counts, from indexes: a busy desk has tens of thousands of alerts.
  const lists = await store.tickets.handover(CRITICAL_PRIORITY, duty.from, duty.to, HANDOVER_NAMED);
  const unacked = await store.alertPanel.page(0, HANDOVER_NAMED);
  return {
    critical: lists.priority.items.map((t) => ({ caseNumber: t.caseNumber, title: t.title })),
    callbacks: lists.callbacks.items.map((t) => ({ caseNumber: t.caseNumber, at: t.nextCallbackAt as number })),
    unacked: unacked.alerts.map((a) => ({ caseNumber: a.caseNumber, text: a.text })),
    totals: { critical: lists.priority.total, callbacks: lists.callbacks.total, unacked: unacked.total },
  };
}

export function createHandoverWatch(ctx: AppContext, timers: Timers, language: () => string | undefined = () => undefined): HandoverWatch {
  let enrolled = false;
  const watch = new HandoverWatch({
    clock: ctx.clock,
    timers,
    notifier: ctx.notifier,
    me: async () => {
      const me = await ctx.store.oncall.me();
      enrolled = me !== null;
      return me;
    },
    rotas: async () => ctx.store.oncall.rotas(),
    summary: (duty) => handoverSummary(ctx.store, duty),
    lastShown: async () => ((await ctx.store.settings.get(LAST_SHOWN_KEY)) as number | undefined) ?? 0,
    setLastShown: async (at) => void (await ctx.store.settings.set(LAST_SHOWN_KEY, at)),
    formatTime: (at, zone) => clockTime(at, zone, ctx.clock.now(), popupWords(language())),
    language,
    log: ctx.log,
  });
  // A rota changed here or arrived from the server, or the device enrolled: plan again.
  ctx.events.on((e) => {
    const rota = e.name === 'records.changed' && (e.payload as { kinds: string[] }).kinds.includes('rota');
    if (rota || (e.name === 'sync.status' && !enrolled)) void watch.replan();
  });
  return watch;
}
