import { create } from 'zustand';
import type { Result } from '../core/api/contract.js';
import { call } from './transport.js';

export type View = 'home' | 'intake' | 'queue' | 'callbacks' | 'contracts';

interface AppState {
  view: View;
  info: Result<'app.info'> | null;
  error: string | null;
  setView(view: View): void;
  load(): Promise<void>;
}

export const useApp = create<AppState>((set) => ({
  view: 'home',
  info: null,
  error: null,
  setView: (view) => set({ view }),
  async load() {
    try {
      set({ info: await call('app.info', {}), error: null });
    } catch (err) {
      set({ error: (err as Error).message });
    }
  },
}));
