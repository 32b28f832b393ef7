/**
 * The ticket's timeline shows who recorded a clock-stopping event, on which device and when the
 * sync server received it, marked "recorded offline, received N later" (docs/reports.md
 * "Evidence"): a real `vakt server`, this app (`vakt serve`) enrolled with it, and a technician's
 * device (the protocol's reference store over HTTP) that registered a case and responded while
 * offline 40 and 30 minutes ago, and pushes both now.
 */
import { HEADER_PROTOCOL, HEADER_SCHEMA, PROTOCOL_VERSION, SCHEMA_VERSION } from '../../core/sync/protocol.js';
import { ManualClock } from '../../core/clock.js';
import { HttpSyncTransport } from '../../main/sync/http-transport.js';
import { MemorySyncStore } from '../../main/sync/memory-store.js';
import type { EnrolResponse } from '../../core/sync/mutations.js';
import { test, expect } from './fixtures.js';
import { api } from './seed.js';
import { startSyncServer } from './sync-server.js';

const V = { [HEADER_PROTOCOL]: String(PROTOCOL_VERSION), [HEADER_SCHEMA]: String(SCHEMA_VERSION), 'content-type': 'application/json' };
const MIN = 60_000;

test('a response recorded offline shows on the timeline with its device, receipt time and the offline mark', async ({ page, vakt }) => {
  const server = await startSyncServer();
  try {
    const code = async (role: string, userName: string) => {
      const res = await fetch(`${server.url}/v1/admin/enrolment-codes`, { method: 'POST', headers: { ...V, authorization: `Bearer ${server.admin}` }, body: JSON.stringify({ role, userName }) });
      return ((await res.json()) as { code: string }).code;
    };
    await api(vakt, 'sync.enrol', { serverUrl: server.url, code: await code('duty_officer', 'Mette'), deviceName: 'Duty desk' });

    const enrolRes = await fetch(`${server.url}/v1/enrol`, { method: 'POST', headers: V, body: JSON.stringify({ code: await code('technician', 'Kari'), deviceName: 'Kari phone' }) });
    const e = (await enrolRes.json()) as EnrolResponse;
    const clock = new ManualClock(Date.now() - 40 * MIN);
    const tech = new MemorySyncStore({ deviceId: e.deviceId, casePrefix: e.casePrefix, clock, random: (n) => crypto.getRandomValues(new Uint8Array(n)) });
    const transport = new HttpSyncTransport({ baseUrl: server.url, token: () => e.token });
    const { ticketId, caseNumber } = tech.createTicket({ title: 'Rack 4 without power', author: 'Kari Nordmann' });
    clock.advance(10 * MIN);
    const m = tech.addEvent(ticketId, 'responded', { text: 'on site' });
    (m.payload as { event: { author?: string } }).event.author = 'Kari Nordmann';
    const pushed = await transport.push(await tech.pendingMutations(10));
    expect(pushed.results.map((r) => r.status)).toEqual(['applied', 'applied']);

    expect((await api(vakt, 'sync.now', {})).state).toBe('up_to_date');
    await page.goto(vakt.url);
    await page.getByRole('button', { name: 'Queue' }).click();
    await page.getByRole('listitem').filter({ hasText: caseNumber }).getByText('Rack 4 without power').click();
    const timeline = page.getByRole('region', { name: 'Timeline' });
    const responded = timeline.getByRole('listitem').filter({ hasText: 'Responded' });
    await expect(responded.getByTestId('event-receipt')).toContainText('by Kari Nordmann on Kari phone, received');
    await expect(responded.getByTestId('offline-mark')).toHaveText(/^recorded offline, received (29|30|31) min later$/);
    // The registration starts the clocks; it has no receipt line.
    await expect(timeline.getByRole('listitem').filter({ hasText: 'Registered' }).getByTestId('event-receipt')).toHaveCount(0);
  } finally {
    await server.stop();
  }
});
