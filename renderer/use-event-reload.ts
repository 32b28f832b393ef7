/**
 * The "reload on push" effect every view had written out: calls `reload` when
 * one of `names` is pushed (only for `ticketId` when given: `tickets.changed`
 * names the tickets it is about), at most once per `debounceMs` when given.
 * The latest `reload` is called, so a view need not resubscribe when it changes.
 */
import { useEffect, useRef } from 'react';
import type { EventName } from '../core/api/contract.js';
import { bridge } from './transport.js';

export interface EventReloadOptions {
  /** Only pushes about this ticket (payload `ticketIds`); null: none. */
  ticketId?: string | null;
  debounceMs?: number;
}

export function useEventReload(names: readonly EventName[], reload: () => void, { ticketId, debounceMs = 0 }: EventReloadOptions = {}): void {
  const latest = useRef(reload);
  latest.current = reload;
  const key = names.join(' ');
  useEffect(() => {
    const wanted = new Set(key.split(' '));
    let timer: ReturnType<typeof setTimeout> | null = null;
    const off = bridge.subscribe((e) => {
      if (!wanted.has(e.name)) return;
      if (ticketId !== undefined && !(ticketId && (e.payload as { ticketIds?: string[] } | null)?.ticketIds?.includes(ticketId))) return;
      if (!debounceMs) return latest.current();
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => latest.current(), debounceMs);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [key, ticketId, debounceMs]);
}
