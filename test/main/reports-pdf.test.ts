/**
 * The monthly report's PDF, rendered by Chromium from the built renderer
 * (run `node scripts/build.mjs` first), turned into PNG pages with pdftoppm;
 * the pages are written to docs/screenshots/report-page-N.png.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Method, Request, Result } from '../../core/api/contract.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatchOk, imported, tempDir, testServices } from '../helpers/services.js';

const root = join(import.meta.dirname, '..', '..');
const example = JSON.parse(readFileSync(join(root, 'contracts', 'examples', 'nordhavn-sa0009858.json'), 'utf8')) as Record<string, unknown>;
const built = existsSync(join(root, 'dist', 'renderer', 'app.js'));

type T = Awaited<ReturnType<typeof testServices>>;
let t: T;
const call = <M extends Method>(method: M, req: Request<M>): Promise<Result<M>> => dispatchOk(t.services, method, req);
const cet = (local: string) => Date.parse(`2026-03-${local}:00+01:00`);

/** A March of cases: some met, some late, some callbacks missed. */
async function seedMonth(): Promise<string> {
  const imp = imported(await call('desk.importContract', { file: example }));
  const c = await call('desk.contract', { contractId: imp.contractId });
  const cases: Array<[string, string, Array<['respond' | 'resolve' | 'callback', string]>]> = [
    [
      'normal',
      '02T09:00',
      [
        ['respond', '02T09:30'],
        ['resolve', '02T13:00'],
      ],
    ],
    [
      'high',
      '03T10:00',
      [
        ['respond', '03T10:20'],
        ['resolve', '03T11:30'],
      ],
    ],
    [
      'high',
      '04T14:00',
      [
        ['respond', '04T15:30'],
        ['resolve', '05T10:00'],
      ],
    ],
    [
      'critical',
      '05T22:00',
      [
        ['respond', '05T22:10'],
        ['callback', '05T22:40'],
        ['resolve', '06T02:00'],
      ],
    ],
    [
      'normal',
      '09T11:00',
      [
        ['respond', '09T12:00'],
        ['resolve', '10T15:00'],
      ],
    ],
    [
      'low',
      '10T09:00',
      [
        ['respond', '11T09:00'],
        ['resolve', '12T12:00'],
      ],
    ],
    [
      'normal',
      '16T08:30',
      [
        ['respond', '16T08:45'],
        ['resolve', '16T10:00'],
      ],
    ],
    [
      'critical',
      '18T13:00',
      [
        ['respond', '18T13:50'],
        ['resolve', '18T20:00'],
      ],
    ],
    [
      'normal',
      '23T15:00',
      [
        ['respond', '24T09:30'],
        ['resolve', '25T09:00'],
      ],
    ],
    [
      'high',
      '25T08:10',
      [
        ['respond', '25T08:30'],
        ['resolve', '25T09:40'],
      ],
    ],
  ];
  for (const [policy, at, acts] of cases) {
    t.clock.set(cet(at));
    const { ticket } = await call('desk.register', {
      contractId: imp.contractId,
      customerId: imp.customerId,
      policy,
      critical: policy === 'critical',
      channel: 'phone',
      authorisedBy: 'contact',
      contactId: c.contacts[0]!.id,
      title: `Case ${at}`,
      description: 'x',
      intake: { site_address: 'Kajgade 4' },
    });
    for (const [type, when] of acts) {
      t.clock.set(cet(when));
      const action = type === 'callback' ? { type, channel: 'phone' as const, reached: 'Mette', text: 'status given' } : { type, text: null };
      await call('desk.act', { ticketId: ticket.id, action });
    }
  }
  t.clock.set(Date.parse('2026-04-02T09:00:00+02:00'));
  return imp.contractId;
}

beforeEach(async () => {
  t = await testServices();
});
afterEach(async () => {
  await t.cleanup();
});

describe.skipIf(!built)('reports.slaPdf', () => {
  it('renders the printable report page to a PDF and its pages to PNG', async () => {
    const contractId = await seedMonth();
    const r = await call('reports.sla', { contractId, month: '2026-03' });
    expect(r.tickets).toBe(10);
    const file = await call('reports.slaPdf', { contractId, month: '2026-03' });
    expect(file.filename).toBe('sla-SA0009858-2026-03.pdf');
    expect(file.mediaType).toBe('application/pdf');
    const pdf = Buffer.from(file.content, 'base64');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const tmp = tempDir('vakt-pdf-');
    try {
      writeFileSync(join(tmp.dir, 'report.pdf'), pdf);
      execFileSync('pdftoppm', ['-png', '-r', '80', join(tmp.dir, 'report.pdf'), join(tmp.dir, 'report-page')]);
      const pages = readdirSync(tmp.dir)
        .filter((f) => f.endsWith('.png'))
        .sort();
      expect(pages.length).toBeGreaterThanOrEqual(1);
      const text = execFileSync('pdftotext', [join(tmp.dir, 'report.pdf'), '-']).toString();
      expect(text).toContain('SLA report SA0009858, 2026-03');
      expect(text).toContain('Response met');
      expect(text).toContain(`${r.response.pct} %`);
      for (const f of readdirSync(join(root, 'docs', 'screenshots'))) if (/^report-page-\d+\.png$/.test(f)) rmSync(join(root, 'docs', 'screenshots', f));
      pages.forEach((p, i) => copyFileSync(join(tmp.dir, p), join(root, 'docs', 'screenshots', `report-page-${i + 1}.png`)));
    } finally {
      tmp.cleanup();
    }
  }, 60_000);
});
