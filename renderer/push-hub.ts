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
import type { PushEvent } from '../core/api/contract.js';

export type { PushEvent } from '../core/api/contract.js';
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

/**
 * Tabs of one app share one source too: Chromium's 6 connections per host are
 * per browser profile, so seven tabs with a stream each would hang the
 * seventh. The tab holding the Web Lock `name` opens the source and passes
 * each push on over the BroadcastChannel `name`; the other tabs listen there
 * and wait for the lock, so when the holder closes, the next tab opens the
 * source. Without Web Locks or BroadcastChannel, each tab opens its own.
 */
export function shareAcrossTabs(source: PushSource, name: string): PushSource {
  if (typeof BroadcastChannel === 'undefined' || typeof navigator === 'undefined' || !navigator.locks) return source;
  return (listener) => {
    const channel = new BroadcastChannel(name);
    channel.onmessage = (m: MessageEvent<PushEvent>) => listener(m.data);
    const stop = new AbortController();
    navigator.locks
      .request(name, { signal: stop.signal }, () => {
        const close = source((event) => {
          listener(event);
          channel.postMessage(event);
        });
        return new Promise<void>((release) =>
          stop.signal.addEventListener('abort', () => {
            close();
            release();
          }),
        );
      })
      .catch(() => undefined); // closed while waiting for the lock
    return () => {
      stop.abort();
      channel.close();
    };
  };
}
