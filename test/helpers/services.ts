import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../core/clock.js';
import { createServices } from '../../main/services.js';
import type { Services } from '../../main/services.js';
import { MemoryNotifier } from '../../main/notify/notifier.js';

export function tempDir(prefix = 'vakt-test-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function testServices(host: 'electron' | 'browser' = 'browser'): Promise<{ services: Services; clock: ManualClock; notifier: MemoryNotifier; dataDir: string; cleanup(): Promise<void> }> {
  const tmp = tempDir();
  const clock = new ManualClock(Date.UTC(2026, 2, 27, 14, 30));
  const notifier = new MemoryNotifier();
  const services = await createServices({ clock, notifier, dataDir: tmp.dir, host, timezone: 'Europe/Copenhagen', clockWatch: false });
  return {
    services,
    dataDir: tmp.dir,
    clock,
    notifier,
    async cleanup() {
      await services.dispose();
      tmp.cleanup();
    },
  };
}
