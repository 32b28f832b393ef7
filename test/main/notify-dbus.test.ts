import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const needed = ['/usr/bin/Xvfb', '/usr/bin/dunst', '/usr/bin/dbus-run-session', '/usr/bin/dbus-monitor', '/usr/bin/notify-send'];
const missing = needed.filter((p) => !existsSync(p));

describe('OS notifications, for real', () => {
  // The test command installs these packages (scripts/system-deps.mjs); without them this cannot run.
  it.skipIf(missing.length > 0 && !process.env.CI)('the scheduler raises a Notify call on the session bus with the case number and what is due', () => {
    expect(missing, `missing: ${missing.join(', ')}`).toEqual([]);
    const r = spawnSync('dbus-run-session', ['--', process.execPath, '--import', 'tsx', join(root, 'test/helpers/notify-harness.ts'), '1500'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 40_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { calls: Array<{ summary: string; body: string; urgency: number | null }> };
    expect(out.calls).toHaveLength(1);
    const call = out.calls[0]!;
    expect(call.summary).toContain('K7-0042-X');
    expect(call.summary).toContain('callback due');
    expect(call.body).toContain('K7-0042-X');
    expect(call.body).toContain('Callback to Hanne Olsen due now');
    expect(call.urgency).toBe(2); // critical
  });
});
