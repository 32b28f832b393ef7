/** Handlers of the `oncall.*` contract methods (core/api/oncall.ts): the rota editor's reads and saves. */
import type { DutyView, RotaView, oncallMethods } from '../../../core/api/oncall.js';
import { nextOnCall, onCallAt } from '../../../core/oncall/rota.js';
import type { Duty, Rota } from '../../../core/oncall/rota.js';
import { ApiFailure } from '../../api/dispatch.js';
import type { HandlersFor } from '../../api/dispatch.js';
import type { AppContext } from '../../app/context.js';

function dutyView(r: Rota, d: Duty | null): DutyView | null {
  if (!d) return null;
  const name = (id: string | null) => (id === null ? null : (r.members.find((m) => m.userId === id)?.name ?? id));
  return { person: d.person, name: name(d.person) as string, backupName: name(d.backup), from: d.from, to: d.to, override: d.override };
}

/** A rota with who is on call at `now` and the next shift. */
export function rotaView(s: { id: string; rota: Rota }, now: number): RotaView {
  return { id: s.id, rota: s.rota, now: dutyView(s.rota, onCallAt(s.rota, now)), next: dutyView(s.rota, nextOnCall(s.rota, now)) };
}

export function oncallHandlers(ctx: AppContext): HandlersFor<typeof oncallMethods> {
  return {
    'oncall.list': async () => {
      const now = ctx.clock.now();
      return { rotas: (await ctx.store.oncall.rotas()).map((r) => rotaView(r, now)), me: await ctx.store.oncall.me(), now };
    },
    'oncall.put': async ({ id, rota }) => {
      try {
        const saved = await ctx.store.oncall.putRota(rota, id);
        await ctx.ticketsChanged([]);
        ctx.events.fire({ name: 'records.changed', payload: { kinds: ['rota'] } });
        return rotaView(saved, ctx.clock.now());
      } catch (e) {
        const name = (e as Error)?.name;
        if (name === 'NotFoundError') throw new ApiFailure('not_found', (e as Error).message);
        throw e;
      }
    },
  };
}
