import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NotifyCall } from '../helpers/desktop-session.js';

const root = join(import.meta.dirname, '..', '..');
const needed = ['/usr/bin/Xvfb', '/usr/bin/dunst', '/usr/bin/dunstctl', '/usr/bin/dbus-run-session', '/usr/bin/dbus-monitor'];
const missing = needed.filter((p) => !existsSync(p));
// The test command installs these packages (scripts/system-deps.mjs); in CI their absence fails the test.
const canRun = missing.length === 0 || Boolean(process.env.CI);

function runHarness(file: string, args: string[], timeoutMs: number): Record<string, unknown> & { calls: NotifyCall[] } {
  expect(missing, `missing: ${missing.join(', ')}`).toEqual([]);
  const r = spawnSync('dbus-run-session', ['--', process.execPath, '--import', 'tsx', join(root, 'test/helpers', file), ...args], { cwd: root, encoding: 'utf8', timeout: timeoutMs });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown> & { calls: NotifyCall[] };
}

describe('OS notifications, for real', () => {
  it.skipIf(!canRun)(
    'a critical alert stays on screen with its actions, sound, customer, title and contact; a re-notify and a second alert replace it; Acknowledge on it acknowledges in the store',
    () => {
      const out = runHarness('notify-harness.ts', [], 60_000) as Record<string, unknown> & {
        calls: NotifyCall[];
        actions: Array<{ id: number; action: string }>;
        displayedBeforeClick: number;
        displayedAfterAck: number;
        stored: Array<{ kind: string; state: string }>;
      };
      expect(out.calls.length).toBeGreaterThanOrEqual(3);
      const [first, second, renotify] = out.calls as [NotifyCall, NotifyCall, NotifyCall];
      expect(first.appName).toBe('Vakt');
      expect(first.urgency).toBe(2);
      expect(first.expireTimeout).toBe(0);
      expect(first.resident).toBe(true);
      expect(first.sound).toBe('alarm-clock-elapsed');
      const labels = Object.fromEntries(first.actions.flatMap((x, i, a) => (i % 2 === 0 ? [[x, a[i + 1]]] : [])));
      expect(labels).toMatchObject({ acknowledge: 'Acknowledge', snooze: 'Snooze 15 min', open: 'Open' });
      expect(first.summary).toContain('K7-0042-X');
      for (const text of ['Hansen Transport A/S', 'Mobilnettet er nede i hele huset', 'Hanne Olsen, +45 72 12 00 00']) expect(first.body).toContain(text);
      // a clock time in the contract's zone
      expect(first.body).toMatch(/Status callback due \w{3} \d\d:\d\d GMT\+\d/);
      // The overdue alert of the same ticket, 0.5 s later, replaces the pop-up: never two side by side.
      expect(second.summary).toContain('callback overdue');
      expect(second.seenAt - first.seenAt).toBeLessThan(5000);
      expect(second.replacesId).toBeGreaterThan(0);
      // The re-notification a minute later reuses the same notification, written anew.
      expect(renotify.replacesId).toBe(second.replacesId);
      expect(renotify.body).toContain('(1 min ago)');
      expect(out.displayedBeforeClick).toBe(1);
      // Acknowledge clicked on that pop-up: ActionInvoked for its id, both alerts acknowledged, the pop-up closed.
      expect(out.actions).toEqual([{ id: second.replacesId, action: 'acknowledge' }]);
      expect(out.stored).toEqual([
        { kind: 'callback_due', state: 'acked' },
        { kind: 'callback_overdue', state: 'acked' },
      ]);
      expect(out.displayedAfterAck).toBe(0);
    },
    70_000,
  );

  it.skipIf(!canRun)(
    "an ack pulled from another user's device, and this user's snooze from another of his devices, take the pop-ups off this device's screen",
    () => {
      const out = runHarness('notify-follow-harness.ts', [], 60_000) as unknown as {
        calls: NotifyCall[];
        displayedBefore: number;
        displayedAfter: number;
        stored: Array<{ ticketId: string; state: string; snoozedUntil: number | null }>;
        snoozedUntil: number;
        sent: number;
      };
      expect(out.calls).toHaveLength(2);
      expect(out.displayedBefore).toBe(2);
      expect(out.displayedAfter).toBe(0);
      expect(out.stored).toEqual([
        { ticketId: 't1', state: 'acked', snoozedUntil: null },
        { ticketId: 't2', state: 'active', snoozedUntil: out.snoozedUntil },
      ]);
      // What came from the server is not sent back to it.
      expect(out.sent).toBe(0);
    },
    70_000,
  );

  it.skipIf(!canRun || !existsSync(join(root, 'dist/main/hosts/cli/index.js')))(
    'vakt serve, with no browser window, notifies when a ticket callback comes due in one minute',
    () => {
      const out = runHarness('serve-notify-harness.ts', [], 120_000) as { calls: NotifyCall[]; dueAt: number; caseNumber: string; exitCode: unknown; stderr: string };
      // Lead 0: due at D and overdue at D + 1 ms make one pop-up, "callback overdue".
      const call = out.calls.find((c) => c.summary.includes('callback'));
      expect(call, `no callback notification; vakt serve said:\n${out.stderr}`).toBeDefined();
      expect(call!.appName).toBe('Vakt');
      expect(call!.body).toContain(out.caseNumber);
      expect(call!.body).toContain('Hansen Transport A/S');
      expect(call!.body).toMatch(/Status callback (was )?due/);
      // Within a few seconds of the due time, not before it.
      expect(call!.seenAt).toBeGreaterThanOrEqual(out.dueAt);
      expect(call!.seenAt - out.dueAt).toBeLessThan(5_000);
      // With lead 0 ("due" at D, "overdue" at D + 1 ms) no second pop-up stands beside the first.
      const mine = out.calls.filter((c) => c.body.includes(out.caseNumber));
      for (const [i, c] of mine.entries()) if (i > 0 && c.seenAt - mine[i - 1]!.seenAt < 5000) expect(c.replacesId).toBeGreaterThan(0);
      // Ctrl-C ends it: the D-Bus connection does not keep it alive.
      expect(out.exitCode).toBe(0);
    },
    150_000,
  );

  it.skipIf(!canRun)(
    'a critical breach on screen, light and dark: docs/screenshots/notification-{light,dark}.png',
    () => {
      const out = runHarness('notify-screenshot-harness.ts', [join(root, 'docs/screenshots')], 60_000) as unknown as {
        shots: Array<{ theme: string; calls: NotifyCall[]; displayed: number; file: string; width: number; height: number }>;
      };
      expect(out.shots.map((s) => s.theme)).toEqual(['light', 'dark']);
      for (const shot of out.shots) {
        // dunst shows exactly the one critical pop-up (dunstctl count displayed), with its customer, title and contact.
        expect(shot.displayed, shot.theme).toBe(1);
        expect(shot.calls).toHaveLength(1);
        expect(shot.calls[0]!.summary).toBe('CRITICAL · K7-0042-X: SLA breached · Hansen Transport A/S');
        expect(shot.calls[0]!.body).toContain('Call back: Hanne Olsen, +45 72 12 00 00');
        // Something pop-up sized was drawn in the corner and written as a PNG of that size.
        expect(shot.width, shot.theme).toBeGreaterThan(400);
        expect(shot.height, shot.theme).toBeGreaterThan(100);
        const png = readFileSync(shot.file);
        expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
        expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([shot.width, shot.height]);
      }
    },
    70_000,
  );
});
