/**
 * On a machine without notifications (no session bus, no daemon) every pop-up fails the same way: the log
 * gets that failure with its stack once, then counts, and a line when pop-ups work again; not a stack per
 * pop-up (76 every 5 minutes on the bench's store of 44k breaches, each one's stack source-mapped). The
 * Electron app's fallback notifier logs its primary's failures the same way (main/notify/failure-log.ts).
 */
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { Popups } from '../../main/alerts/popups.js';
import { DbusNotifier } from '../../main/notify/dbus.js';
import { FallbackNotifier } from '../../main/notify/fallback.js';
import type { AppNotification, Notifier } from '../../main/notify/notifier.js';

const popup = (id: string): AppNotification => ({ id, title: `Ticket ${id}`, body: 'Response deadline passed', critical: true });

// The failures are the real D-Bus notifier's on a machine without a session bus (as `vakt serve` in the benches).
beforeEach(() => void vi.stubEnv('DBUS_SESSION_BUS_ADDRESS', ''));
afterEach(() => void vi.unstubAllEnvs());

it('logs a failure that repeats once with its stack, then at 10, 100 in a row, and when pop-ups work again', async () => {
  let state: 'no bus' | 'up' | 'other failure' = 'no bus';
  const dbus = new DbusNotifier();
  const sent: string[] = [];
  const notifier: Notifier = {
    notify: async (n) => {
      if (state === 'no bus') return dbus.notify(n);
      if (state === 'other failure') throw new Error('D-Bus notification failed: org.freedesktop.DBus.Error.ServiceUnknown');
      sent.push(n.id);
    },
  };
  const logs: Array<{ msg: string; err: boolean }> = [];
  const popups = new Popups({ notifier, log: (msg, err) => logs.push({ msg, err: err !== undefined }) });
  for (let i = 0; i < 150; i++) await popups.show(popup(`t${i}`));
  expect(logs).toEqual([
    { msg: 'alerts: the OS notification failed; the alert stays active in the app', err: true },
    { msg: 'alerts: 10 OS notifications failed in a row (no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)); the alerts stay active in the app', err: false },
    { msg: 'alerts: 100 OS notifications failed in a row (no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)); the alerts stay active in the app', err: false },
  ]);
  state = 'up';
  await popups.show(popup('t150'));
  await popups.show(popup('t151'));
  expect(sent).toEqual(['t150', 't151']);
  expect(logs.slice(3)).toEqual([{ msg: 'alerts: OS notifications work again, after 150 failed in a row', err: false }]);
  // A new failure after that is logged in full again, and so is a different one.
  state = 'no bus';
  await popups.show(popup('t152'));
  await popups.show(popup('t153'));
  state = 'other failure';
  await popups.show(popup('t154'));
  expect(logs.slice(4).map((l) => l.err)).toEqual([true, true]);
});

it("the Electron app's fallback logs its primary's repeated failure once too, and each pop-up still goes through the fallback", async () => {
  const fallbackSent: string[] = [];
  const primary = new DbusNotifier();
  const logs: Array<{ msg: string; err: boolean }> = [];
  const notifier = new FallbackNotifier(primary, { notify: async (n) => void fallbackSent.push(n.id) }, (msg, err) => logs.push({ msg, err: err !== undefined }));
  for (let i = 0; i < 12; i++) await notifier.notify(popup(`t${i}`));
  expect(fallbackSent).toHaveLength(12);
  expect(logs).toEqual([
    { msg: 'notifications: the OS notifier failed, using the fallback', err: true },
    { msg: 'notifications: the OS notifier failed 10 times in a row (no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)), using the fallback', err: false },
  ]);
});
