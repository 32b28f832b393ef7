/**
 * The SLA report's PDF (rendered by Chromium from the built renderer; run
 * `node scripts/build.mjs` first) carries the contract's services' month:
 * the Connexys template, March 2026 in Amsterdam (743 hours with the DST
 * change), an outage across the month's start and one on the DST night.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Method, Request, Result } from '../../core/api/contract.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatchOk, imported, tempDir, testServices } from '../helpers/services.js';

const root = join(import.meta.dirname, '..', '..');
const built = existsSync(join(root, 'dist', 'renderer', 'app.js'));

let t: Awaited<ReturnType<typeof testServices>>;
const call = <M extends Method>(method: M, req: Request<M>): Promise<Result<M>> => dispatchOk(t.services, method, req);
beforeEach(async () => {
  t = await testServices();
});
afterEach(async () => {
  await t.cleanup();
});

describe.skipIf(!built)('availability in the SLA report PDF', () => {
  it('shows each service of the contract: target, availability, time down, breached or met, the outages', async () => {
    const tpl = JSON.parse(readFileSync(join(root, 'contracts', 'templates', 'call-types-nl.json'), 'utf8')) as Record<string, unknown>;
    const { name: _n, description: _d, ...rest } = tpl;
    const imp = imported(await call('desk.importContract', { file: { ...rest, customer: { name: 'Werving BV' }, agreementNumber: 'CX-PDF' } }));
    // 30 minutes in February, 30 in March; the DST night: 01:00 CET to 04:00 CEST is 2 hours.
    await call('agreements.recordOutage', {
      contractId: imp.contractId,
      serviceId: 'connexys',
      start: Date.parse('2026-02-28T23:30:00+01:00'),
      end: Date.parse('2026-03-01T00:30:00+01:00'),
      summary: 'Failover',
    });
    await call('agreements.recordOutage', {
      contractId: imp.contractId,
      serviceId: 'connexys',
      start: Date.parse('2026-03-29T01:00:00+01:00'),
      end: Date.parse('2026-03-29T04:00:00+02:00'),
      summary: 'Storage',
    });
    const av = await call('agreements.availability', { month: '2026-03', contractId: imp.contractId });
    expect(av.services).toMatchObject([{ serviceId: 'connexys', periodMinutes: 743 * 60, downMinutes: 150, allowedMinutes: 222.9, state: 'met', outages: [{ minutes: 30 }, { minutes: 120 }] }]);
    const file = await call('reports.slaPdf', { contractId: imp.contractId, month: '2026-03' });
    const tmp = tempDir('vakt-avpdf-');
    try {
      writeFileSync(join(tmp.dir, 'r.pdf'), Buffer.from(file.content, 'base64'));
      const text = execFileSync('pdftotext', [join(tmp.dir, 'r.pdf'), '-']).toString();
      expect(text).toContain('Availability of services');
      expect(text).toContain('Connexys applicatie (complete dienst)');
      expect(text).toContain('150 min');
      expect(text).toContain('Met');
      expect(text).toContain('Storage');
    } finally {
      tmp.cleanup();
    }
  }, 60_000);
});
