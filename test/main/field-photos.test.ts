import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PHOTO_MAX_BYTES } from '../../core/api/field.js';
import { exampleContract, servicesPerTest } from '../helpers/services.js';

const example = exampleContract();
// A 1x1 transparent PNG.
const PNG_B64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
const PNG_SHA = createHash('sha256').update(Buffer.from(PNG_B64, 'base64')).digest('hex');

async function ticket() {
  const imp = await services.importContract(example);
  const c = await call('desk.contract', { contractId: imp.contractId });
  const r = await call('desk.register', {
    contractId: imp.contractId,
    customerId: imp.customerId,
    policy: 'normal',
    channel: 'phone',
    authorisedBy: 'contact',
    contactId: c.contacts[0]!.id,
    title: 'Router down',
    description: 'Router down',
    intake: { site_address: 'Kajgade 4, Aarhus' },
  });
  return r.ticket as { id: string };
}

const services = servicesPerTest();
const { call, fail } = services;

describe('field photos', () => {
  it('stores the bytes once by hash, records a photo event in the timeline and serves the bytes back', async () => {
    const tk = await ticket();
    const a = await call('field.photo', { ticketId: tk.id, name: 'rack.png', mime: 'image/png', dataBase64: PNG_B64, author: 'Kim' });
    const b = await call('field.photo', { ticketId: tk.id, name: 'rack-again.png', mime: 'image/png', dataBase64: PNG_B64 });
    expect(a.sha256).toBe(PNG_SHA);
    expect(b.sha256).toBe(PNG_SHA);
    expect(a.size).toBe(Buffer.from(PNG_B64, 'base64').length);
    const dir = join(services.t.dataDir, 'attachments');
    expect(readdirSync(dir)).toEqual([PNG_SHA]);
    expect(readFileSync(join(dir, PNG_SHA)).toString('base64')).toBe(PNG_B64);

    const detail = await call('desk.ticket', { id: tk.id });
    const photos = detail.events.filter((e: any) => e.type === 'photo');
    expect(photos.map((e: any) => e.data)).toEqual([
      { sha256: PNG_SHA, name: 'rack.png', mime: 'image/png', size: a.size },
      { sha256: PNG_SHA, name: 'rack-again.png', mime: 'image/png', size: a.size },
    ]);
    expect(photos.map((e: any) => e.id)).toEqual([a.eventId, b.eventId]);

    expect(await call('field.photoData', { sha256: PNG_SHA })).toEqual({ sha256: PNG_SHA, mime: 'image/png', dataBase64: PNG_B64 });
    const missing = await fail('field.photoData', { sha256: 'a'.repeat(64) });
    expect([missing.code, missing.path]).toEqual(['not_found', 'sha256']);
    expect((await fail('field.photoData', { sha256: '../etc/passwd' })).path).toBe('sha256');
  });

  it('refuses photos over the size limit or not in base64, with the path dataBase64', async () => {
    const tk = await ticket();
    const big = Buffer.alloc(PHOTO_MAX_BYTES + 1, 1).toString('base64');
    const over = await fail('field.photo', { ticketId: tk.id, name: 'big.jpg', mime: 'image/jpeg', dataBase64: big });
    expect(over.path).toBe('dataBase64');
    expect(over.message).toMatch(/8 MB/);
    for (const bad of ['not base64!', 'data:image/png;base64,' + PNG_B64, 'abc', 'ab=c']) {
      const e = await fail('field.photo', { ticketId: tk.id, name: 'x.png', mime: 'image/png', dataBase64: bad });
      expect([e.code, e.path], bad).toEqual(['invalid_request', 'dataBase64']);
    }
    expect(existsSync(join(services.t.dataDir, 'attachments'))).toBe(false);
    const detail = await call('desk.ticket', { id: tk.id });
    expect(detail.events.some((e: any) => e.type === 'photo')).toBe(false);
  });

  it('refuses other image types (path mime) and unknown tickets (path ticketId)', async () => {
    const tk = await ticket();
    const mime = await fail('field.photo', { ticketId: tk.id, name: 'x.gif', mime: 'image/gif', dataBase64: PNG_B64 });
    expect(mime.path).toBe('mime');
    expect(mime.message).toMatch(/image\/jpeg/);
    expect((await fail('field.photo', { ticketId: 'nope', name: 'x.png', mime: 'image/png', dataBase64: PNG_B64 })).path).toBe('ticketId');
  });
});
