/**
 * One source of pushes per window, fanned out to every subscriber.
 *
 * The browser allows 6 connections per host over HTTP/1.1; an event stream
 * per panel took them all, and every call on the page then waited forever
 * (issue 15). So the window opens ONE source (the shell's `/api/events`
 * stream, or the Electron preload's one IPC listener) when the first
 * subscriber comes and closes it when the last one leaves. A subscriber that
 * throws does not stop the others, nor the stream.
 */
import type { EventName } from '../core/api/contract.js';

export type PushEvent = { name: EventName; payload: unknown };
export type PushListener = (event: PushEvent) => void;
/** Opens the source with a listener; returns what closes it. */
export type PushSource = (listener: PushListener) => () => void;

export function fanOut(source: PushSource): (listener: PushListener) => () => void {
  const listeners = new Set<{ listener: PushListener }>();
  let close: (() => void) | null = null;
  const deliver: PushListener = (event) => {
    for (const s of [...listeners]) {
      if (!listeners.has(s)) continue; // unsubscribed by an earlier listener of this event
      try {
        s.listener(event);
      } catch (err) {
        console.error(`a listener of the "${event.name}" push failed`, err);
      }
    }
  };
  return (listener) => {
    const entry = { listener }; // the same function subscribed twice is two subscriptions
    listeners.add(entry);
    close ??= source(deliver);
    return () => {
      if (!listeners.delete(entry) || listeners.size > 0) return;
      const c = close;
      close = null;
      c?.();
    };
  };
}
