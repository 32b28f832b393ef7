import { create } from 'zustand';
import type { Result } from '../core/api/contract.js';
import { call } from './transport.js';

export type View = 'home' | 'intake' | 'queue' | 'ticket' | 'callbacks' | 'contracts' | 'reports' | 'billing' | 'field' | 'oncall';

interface AppState {
  view: View;
  ticketId: string | null;
  info: Result<'app.info'> | null;
  /** Services' clock minus the browser's (so countdowns follow the services' clock). */
  skew: number;
  /** The officer's name ("mine" filter, author of events). */
  me: string;
  error: string | null;
  setView(view: View): void;
  openTicket(id: string): void;
  setMe(name: string): void;
  load(): Promise<void>;
}

export const useApp = create<AppState>((set) => ({
  view: 'home',
  ticketId: null,
  info: null,
  skew: 0,
  me: localStorage.getItem('vakt.me') ?? '',
  error: null,
  setView: (view) => set({ view }),
  openTicket: (id) => set({ view: 'ticket', ticketId: id }),
  setMe(name) {
    localStorage.setItem('vakt.me', name);
    set({ me: name });
  },
  async load() {
    try {
      const info = await call('app.info', {});
      set({ info, skew: info.now - Date.now(), error: null });
    } catch (err) {
      set({ error: (err as Error).message });
    }
  },
}));
