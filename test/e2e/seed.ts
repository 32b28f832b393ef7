/** Seeds a running `vakt serve` through its API (the same calls the UI makes). */
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startVakt, stopVakt } from './fixtures.js';
import type { VaktServer } from './fixtures.js';

export const exampleContract = (): Record<string, any> => JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'contracts', 'examples', 'nordhavn-sa0009858.json'), 'utf8'));

export async function api<R = any>(vakt: VaktServer, method: string, req: unknown): Promise<R> {
  const res = await fetch(`${vakt.origin}/api/rpc/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${vakt.secret}`, 'content-type': 'application/json' },
    body: JSON.stringify(req),
  });
  const reply = (await res.json()) as { ok: boolean; result?: R; error?: { message: string } };
  if (!reply.ok) throw new Error(`${method}: ${reply.error?.message}`);
  return reply.result as R;
}

/** Local dates (YYYY-MM-DD) of today and tomorrow in a zone. */
export function localDates(zone: string): string[] {
  const f = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const now = Date.now();
  return [f.format(now), f.format(now + 86_400_000)];
}

/**
 * Imports the example contract with its office calendar closed today and
 * tomorrow, so "now" is always outside support hours (critical is 24x7).
 */
export async function seedAfterHours(vakt: VaktServer, edit: (file: Record<string, any>) => void = () => {}): Promise<{ contractId: string; customerId: string }> {
  const file = exampleContract();
  const closed = localDates('Europe/Copenhagen');
  file.calendars['dk-office'].special = Object.fromEntries(closed.map((d) => [d, []]));
  file.calendars['dk-office'].closed = [];
  edit(file);
  const r = await api(vakt, 'desk.importContract', { file });
  if (!r.imported) throw new Error(JSON.stringify(r.issues));
  return { contractId: r.contractId, customerId: r.customerId };
}

/** Registers a ticket as the UI would, for a named contact. */
export async function registerTicket(vakt: VaktServer, ids: { contractId: string; customerId: string }, policy: string, description: string, title: string) {
  const c = await api(vakt, 'desk.contract', { contractId: ids.contractId });
  return (
    await api(vakt, 'desk.register', {
      ...ids,
      policy,
      critical: policy === 'critical',
      channel: 'phone',
      authorisedBy: 'contact',
      contactId: c.contacts[0].id,
      title,
      description,
      intake: { site_address: 'Kajgade 4, Aarhus' },
    })
  ).ticket;
}

/**
 * A critical ticket already past its response deadline: the contract's
 * critical response target is cut to ~1 s, and the seed waits it out.
 */
export async function seedOverdueTicket(vakt: VaktServer) {
  const ids = await seedAfterHours(vakt, (f) => (f.policies.critical.targets.response = { within: { minutes: 0.02 } }));
  const ticket = await registerTicket(vakt, ids, 'critical', 'Mail server does not answer', 'Mail down');
  await new Promise((r) => setTimeout(r, 1500));
  return { ...ids, ticket };
}

/**
 * The example contract after hours with a breached critical ticket (response cut to ~1 s, callbacks on the 24x7
 * calendar: the first due in 2 h) and a normal ticket whose clock waits for the closed days.
 */
export async function seedBreachedAndWaiting(vakt: VaktServer) {
  const ids = await seedAfterHours(vakt, (f) => {
    f.policies.critical.targets.response = { within: { minutes: 0.02 } };
    f.policies.critical.targets.update.calendar = 'dk-24x7';
  });
  const normal = await registerTicket(vakt, ids, 'normal', 'Printer on floor 2 jams', 'Printer jams');
  const critical = await registerTicket(vakt, ids, 'critical', 'Mail server does not answer', 'Mail down');
  await new Promise((r) => setTimeout(r, 1500)); // the critical response deadline (~1 s) passes
  return { ids, normal, critical };
}

/**
 * Stops `vakt`, takes `policy` out of the stored contract (as a pull from an older device, or an old store,
 * can leave it: its tickets' SLA cannot be computed) and starts it again on the same data.
 */
export async function restartWithoutPolicy(vakt: VaktServer, contractId: string, policy: string): Promise<VaktServer> {
  await stopVakt(vakt);
  const db = new Database(join(vakt.dataDir, 'vakt.db'));
  db.prepare(`UPDATE contracts SET policy_set = json_remove(policy_set, ?), version = version + 1 WHERE id = ?`).run(`$.policies.${policy}`, contractId);
  db.close();
  return startVakt(vakt.dataDir);
}
