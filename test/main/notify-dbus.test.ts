import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { NotifyCall } from '../helpers/desktop-session.js';

const root = join(import.meta.dirname, '..', '..');
const needed = ['/usr/bin/Xvfb', '/usr/bin/dunst', '/usr/bin/dbus-run-session', '/usr/bin/dbus-monitor', '/usr/bin/notify-send'];
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
  it.skipIf(!canRun)('the scheduler raises a Notify call on the session bus with the case number and what is due', () => {
    const out = runHarness('notify-harness.ts', ['1500'], 40_000);
    expect(out.calls).toHaveLength(1);
    const call = out.calls[0]!;
    expect(call.summary).toContain('K7-0042-X');
    expect(call.summary).toContain('callback due');
    expect(call.body).toContain('K7-0042-X');
    expect(call.body).toContain('Callback to Hanne Olsen due now');
    expect(call.urgency).toBe(2); // critical
  });

  it.skipIf(!canRun || !existsSync(join(root, 'dist/main/cli/index.js')))(
    'vakt serve, with no browser window, notifies when a ticket callback comes due in one minute',
    () => {
      const out = runHarness('serve-notify-harness.ts', [], 120_000) as { calls: NotifyCall[]; dueAt: number; caseNumber: string; stderr: string };
      const call = out.calls.find((c) => c.summary.includes('callback due'));
      expect(call, `no callback notification; vakt serve said:\n${out.stderr}`).toBeDefined();
      expect(call!.body).toContain(out.caseNumber);
      expect(call!.body).toMatch(/Status callback due/);
      // Within a few seconds of the due time, not before it.
      expect(call!.seenAt).toBeGreaterThanOrEqual(out.dueAt);
      expect(call!.seenAt - out.dueAt).toBeLessThan(5_000);
    },
    150_000,
  );
});
