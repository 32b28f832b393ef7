/**
 * One push source per window (issue 15): every subscriber of the renderer's
 * bridge shares one event stream / one IPC listener.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { VaktBridge } from '../../core/api/contract.js';
import { fanOut } from '../../renderer/push-hub.js';
import type { PushEvent, PushListener } from '../../renderer/push-hub.js';

/** A push source that counts how often it is opened and closed. */
function countingSource() {
  const s = { opened: 0, closed: 0, emit: (_e: PushEvent) => {} };
  const source = (listener: PushListener) => {
    s.opened++;
    s.emit = listener;
    return () => void s.closed++;
  };
  return { s, source };
}
const ev = (name: string): PushEvent => ({ name: name as PushEvent['name'], payload: { ticketIds: ['t1'] } });

describe('fanOut', () => {
  it('opens the source once for many subscribers, gives each every event, and closes it when the last one leaves', () => {
    const { s, source } = countingSource();
    const subscribe = fanOut(source);
    const got: string[][] = [[], [], []];
    const offs = got.map((g) => subscribe((e) => g.push(e.name)));
    expect(s.opened).toBe(1);
    s.emit(ev('tickets.changed'));
    expect(got).toEqual([['tickets.changed'], ['tickets.changed'], ['tickets.changed']]);
    offs[0]!();
    offs[1]!();
    offs[1]!(); // a second unsubscribe changes nothing
    expect(s.closed).toBe(0);
    s.emit(ev('alerts.changed'));
    expect(got.map((g) => g.length)).toEqual([1, 1, 2]);
    offs[2]!();
    expect(s.closed).toBe(1);
    subscribe(() => {});
    expect(s.opened).toBe(2); // a later subscriber opens it again
  });

  it('a throwing subscriber does not keep the event from the others', () => {
    const { s, source } = countingSource();
    const subscribe = fanOut(source);
    const seen: string[] = [];
    vi.spyOn(console, 'error').mockImplementation(() => {});
    subscribe(() => {
      throw new Error('boom');
    });
    subscribe((e) => seen.push(e.name));
    s.emit(ev('sync.status'));
    expect(seen).toEqual(['sync.status']);
  });

  it('the same function subscribed twice is two subscriptions', () => {
    const { s, source } = countingSource();
    const subscribe = fanOut(source);
    const seen: string[] = [];
    const l = (e: PushEvent) => seen.push(e.name);
    const off1 = subscribe(l);
    subscribe(l);
    off1();
    s.emit(ev('records.changed'));
    expect(seen).toEqual(['records.changed']);
  });
});

describe('the renderer bridge under Electron', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });
  it("subscribes the preload's IPC listener once for every panel, and fans each push out", async () => {
    const listeners: PushListener[] = [];
    const removed: PushListener[] = [];
    const api: VaktBridge = {
      call: vi.fn() as unknown as VaktBridge['call'],
      subscribe(l) {
        listeners.push(l);
        return () => void removed.push(l);
      },
    };
    vi.stubGlobal('window', { api });
    const { bridge } = await import('../../renderer/transport.js');
    const seen: string[] = [];
    const offs = Array.from({ length: 7 }, (_, i) => bridge.subscribe((e) => seen.push(`${i}:${e.name}`)));
    expect(listeners).toHaveLength(1);
    listeners[0]!(ev('tickets.changed'));
    expect(seen).toHaveLength(7);
    for (const off of offs) off();
    expect(removed).toEqual(listeners);
  });
});
