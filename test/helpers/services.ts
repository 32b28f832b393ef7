import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { afterEach, beforeEach, expect } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Method, Request, Result } from '../../core/api/contract.js';
import type { PolicySetJson } from '../../core/api/desk-views.js';
import type { CalendarJson, WallPair } from '../../core/sla/calendar-json.js';
import type { PolicyJson } from '../../core/sla/policy.js';
import type { Weekday } from '../../core/sla/time.js';
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

/** A contract's calendars and policies (unknown JSON in the API) as the contract format types them, copied for a test to edit. */
export function editablePolicySet(c: { policySet: PolicySetJson }): { calendars: Record<string, CalendarJson>; policies: Record<string, PolicyJson> } {
  return structuredClone(c.policySet) as { calendars: Record<string, CalendarJson>; policies: Record<string, PolicyJson> };
}

/** A calendar's weekly hours, for a test to read or edit (throws for a missing or 24x7 calendar). */
export function weekOf(cal: CalendarJson | undefined): Record<Weekday, WallPair[]> {
  if (!cal || cal.week === '24x7') throw new Error(`not a calendar with weekly hours: ${JSON.stringify(cal)}`);
  return cal.week;
}

export type TestServices = Awaited<ReturnType<typeof testServices>>;

/** The result of an import that must succeed (a test's own contract file): the imported variant, or a throw naming the issues. */
export function imported(r: Result<'desk.importContract'>): Extract<Result<'desk.importContract'>, { imported: true }> {
  if (!r.imported) throw new Error(`desk.importContract: ${JSON.stringify(r.issues)}`);
  return r;
}

/** A handler call through the dispatcher, typed by the method: the result (`Result<M>` of core/api), or a throw with the API error attached. */
export async function dispatchOk<M extends Method>(services: Services, method: M, req: Request<M>): Promise<Result<M>> {
  const r = await services.dispatch(method, req);
  if (!r.ok) throw Object.assign(new Error(`${method}: ${r.error.message}`), { error: r.error });
  return r.result as Result<M>;
}

/**
 * Fresh services for each test of the file (registered beforeEach / afterEach), and the dispatcher
 * calls handler tests make: `call` sends a typed request (`Request<M>`) and returns the result
 * (`Result<M>`) or throws with the API error attached; `fail` is the one way to send a raw payload
 * (a bad one, on purpose): it expects a refusal and returns the error.
 */
export function servicesPerTest() {
  const h = {
    t: undefined as unknown as TestServices,
    call: <M extends Method>(method: M, req: Request<M>): Promise<Result<M>> => dispatchOk(h.t.services, method, req),
    /** desk.importContract of `file`, which must succeed. */
    importContract: async (file: unknown) => imported(await dispatchOk(h.t.services, 'desk.importContract', { file })),
    /**
     * The example contract imported and a `normal` ticket registered on it by phone, for its first
     * contact at Kajgade 4: the import, the contract as `desk.contract` reads it, and the ticket.
     */
    async exampleTicket() {
      const imp = await h.importContract(exampleContract());
      const contract = await h.call('desk.contract', { contractId: imp.contractId });
      const { ticket } = await h.call('desk.register', {
        customerId: imp.customerId,
        contractId: contract.id,
        policy: 'normal',
        channel: 'phone',
        authorisedBy: 'contact',
        contactId: contract.contacts[0]!.id,
        description: 'fault',
        intake: { site_address: 'Kajgade 4' },
      });
      return { imp, contract, ticket };
    },
    /** Sends `req` raw (unchecked by the types) and expects the dispatcher to refuse it: the error. */
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
