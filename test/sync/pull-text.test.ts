/**
 * A pull page handed to the store's worker thread as the server's JSON text (main/sync/types.ts
 * PulledText, db/sync/pull-text.ts): the main thread reads only its envelope; the store's worker
 * parses the page and applies it with every check a parsed page gets. Real worker thread, real SQLite.
 */
import { afterEach, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import type { Change } from '../../core/sync/mutations.js';
import { StoreClient } from '../../db/client.js';
import { DbSyncStore } from '../../main/sync/db-store.js';
import { readPullEnvelope } from '../../main/sync/http-transport.js';
import { PULL_T0, cleanupTempDirs, remoteTicket, tempDir } from './helpers.js';

afterEach(() => cleanupTempDirs());

const customer = (id: string, name: string): Change => ({
  kind: 'record',
  record: { kind: 'customer', id, data: { name, createdAt: PULL_T0 - 86_400_000 }, deleted: false, hlc: `${PULL_T0 - 86_400_000}-0000-dev-r`, version: 1 },
});
/** The server's layout (server/pull.ts): the changes first, then cursor, more, hlc, lastSeq. */
const body = (changes: Change[], cursor: string, more = false, hlc: string | null = `${PULL_T0}-0000-server`) =>
  `{"changes":${JSON.stringify(changes)},"cursor":${JSON.stringify(cursor)},"more":${more},"hlc":${JSON.stringify(hlc)},"lastSeq":0}`;
const page = (text: string) => ({ text, ...readPullEnvelope(text) });

async function open() {
  const client = await StoreClient.open({ dataDir: tempDir(), clock: new ManualClock(PULL_T0), machineId: 'pull-text' });
  return { client, store: new DbSyncStore(client.sync) };
}

it('the envelope is read from the tail, a note holding the same characters does not mislead it; another layout is parsed whole', () => {
  const trap: Change = { kind: 'ticket', ticket: remoteTicket('t-trap', { title: '],"cursor":"9","more":true,"hlc":null}' }) };
  expect(readPullEnvelope(body([trap], '7.1.x', true, 'h-1'))).toEqual({ cursor: '7.1.x', more: true, hlc: 'h-1' });
  expect(readPullEnvelope(`{"cursor":"5","more":false,"hlc":null,"changes":[]}`)).toEqual({ cursor: '5', more: false, hlc: null });
  expect(() => readPullEnvelope('<html>proxy error</html>')).toThrow(/pull reply has no cursor: <html>proxy error/);
});

it('a page as text is parsed and applied in the store worker: its customer, ticket and cursor are stored', async () => {
  const { client, store } = await open();
  try {
    await store.applyPulledText(page(body([customer('cust-remote', 'Havnens Lift A/S'), { kind: 'ticket', ticket: remoteTicket('t-1') }], '12')));
    expect(await client.sync.cursor()).toBe('12');
    expect((await client.tickets.get('t-1'))?.title).toBe('Lift stuck');
  } finally {
    await client.close();
  }
});

it('a bad page is refused with an error naming what is wrong, and stores nothing of it', async () => {
  const { client, store } = await open();
  try {
    const ticket: Change = { kind: 'ticket', ticket: remoteTicket('t-2') };
    const bad: Change = customer('cust-remote', '');
    await expect(store.applyPulledText(page(body([bad, ticket], '20')))).rejects.toThrow(/pulled customer cust-remote: .*data\.name|data\.name.*pulled customer cust-remote/s);
    // Not JSON, or not what the main thread read of it (it asked for the next page from that cursor).
    await expect(store.applyPulledText({ text: body([ticket], '21').slice(0, -5), cursor: '21', more: false, hlc: null })).rejects.toThrow(/pull: the pull page is not JSON/);
    await expect(store.applyPulledText({ ...page(body([ticket], '22')), cursor: '23' })).rejects.toThrow(/pull\.cursor: the pull page's cursor "22" is not the "23"/);
    await expect(store.applyPulledText(page(`{"changes":[{"ticket":{}}],"cursor":"24","more":false,"hlc":null}`))).rejects.toThrow(/pull\.changes\[0\]: a change has no kind/);
    expect(await client.sync.cursor()).toBe('0');
    expect(await client.tickets.get('t-2')).toBeNull();
  } finally {
    await client.close();
  }
});

it("a rota pulled in a page is named to the re-plan of that page's tickets, before the pull ends (the held rotas are dropped first)", async () => {
  const client = await StoreClient.open({ dataDir: tempDir(), clock: new ManualClock(PULL_T0), machineId: 'pull-rota' });
  const calls: Array<{ ids: string[]; pageKinds: string[] | undefined } | { records: string[] }> = [];
  const store = new DbSyncStore(
    client.sync,
    (ids, pageKinds) => void calls.push({ ids, pageKinds }),
    (kinds) => void calls.push({ records: kinds }),
  );
  const rota: Change = {
    kind: 'record',
    record: {
      kind: 'rota',
      id: 'rota-1',
      data: { name: 'NOC', timezone: 'UTC', members: [{ userId: 'u-ola', name: 'Ola' }], contractIds: [], week: [], overrides: [], createdAt: PULL_T0 - 86_400_000 },
      deleted: false,
      hlc: `${PULL_T0 - 86_400_000}-0000-dev-r`,
      version: 1,
    },
  };
  try {
    // Not the last page: records are reported at the pull's end, but the page's tickets are re-planned now.
    await store.applyPulledText(page(body([rota, { kind: 'ticket', ticket: remoteTicket('t-r1') }], '30', true)));
    expect(calls).toEqual([{ ids: ['t-r1'], pageKinds: ['rota'] }]);
    await store.applyPulledText(page(body([{ kind: 'ticket', ticket: remoteTicket('t-r2') }], '31')));
    expect(calls.slice(1)).toEqual([{ records: ['rota'] }, { ids: ['t-r2'], pageKinds: [] }]);
  } finally {
    await client.close();
  }
});
