/**
 * Who this device alerts, kept in the main thread (issue 19): the enrolment (user, name, role), this
 * user's id and the on-call rotas, which the alert scope (scope.ts), routing (routing.ts) and the acks
 * read in every pass that raises or shows an alert. Each was one store-worker round trip a pass.
 *
 * They change only by enrolling (the `sync.status` event follows it) and by a rota saved here or
 * pulled (`records.changed`, kinds `rota`): either event drops what is held, and the next read asks
 * the store again. A read begun before the event is not kept, so nothing older than the event is held.
 */
import type { Emitter } from '../../core/lifecycle.js';
import type { Rota } from '../../core/oncall/rota.js';

type Enrolment = { userId?: string | null; userName?: string | null; role: string } | null;
type Rotas = { id: string; rota: Rota }[];

export interface PeopleSource {
  enrolment(): Promise<Enrolment>;
  me(): Promise<string | null>;
  rotas(): Promise<Rotas>;
}

export class PeopleCache implements PeopleSource {
  private readonly held = new Map<keyof PeopleSource, Promise<unknown>>();

  constructor(
    private readonly store: PeopleSource,
    events: Emitter<{ name: string; payload?: unknown }>,
  ) {
    events.on((e) => {
      if (e.name === 'sync.status' || e.name === 'records.changed') this.invalidate();
    });
  }

  /** Drops what is held (the enrolment or a rota changed). */
  invalidate(): void {
    this.held.clear();
  }

  enrolment(): Promise<Enrolment> {
    return this.read('enrolment');
  }
  me(): Promise<string | null> {
    return this.read('me');
  }
  rotas(): Promise<Rotas> {
    return this.read('rotas');
  }

  private read<K extends keyof PeopleSource>(what: K): ReturnType<PeopleSource[K]> {
    const held = this.held.get(what);
    if (held) return held as ReturnType<PeopleSource[K]>;
    const p = this.store[what]() as Promise<unknown>;
    // Held from now on; dropped by a change (`invalidate`, so a read a change overtook is not kept) or when it fails.
    this.held.set(what, p);
    p.catch(() => this.held.get(what) === p && this.held.delete(what));
    return p as ReturnType<PeopleSource[K]>;
  }
}
