import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { afterEach, beforeEach, expect } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../core/clock.js';
import { createServices } from '../../main/app/services.js';
import type { Services } from '../../main/app/services.js';
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

/** The example contract file the handler tests import (contracts/examples/nordhavn-sa0009858.json). */
export function exampleContract(): Record<string, any> {
  return JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'contracts', 'examples', 'nordhavn-sa0009858.json'), 'utf8')) as Record<string, unknown>;
}

export type TestServices = Awaited<ReturnType<typeof testServices>>;

/**
 * Fresh services for each test of the file (registered beforeEach / afterEach), and the dispatcher
 * calls handler tests make: `call` returns the result or throws with the API error attached, `fail`
 * expects an error and returns it.
 */
export function servicesPerTest() {
  const h = {
    t: undefined as unknown as TestServices,
    async call<R = any>(method: string, req: unknown): Promise<R> {
      const r = await h.t.services.dispatch(method, req);
      if (!r.ok) throw Object.assign(new Error(`${method}: ${r.error.message}`), { error: r.error });
      return r.result as R;
    },
    async fail(method: string, req: unknown): Promise<{ code: string; message: string; path?: string }> {
      const r = await h.t.services.dispatch(method, req);
      expect(r.ok, method).toBe(false);
      return (r as { ok: false; error: { code: string; message: string; path?: string } }).error;
    },
  };
  beforeEach(async () => {
    h.t = await testServices();
  });
  afterEach(async () => {
    await h.t.cleanup();
  });
  return h;
}
