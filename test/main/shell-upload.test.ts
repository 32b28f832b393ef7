import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Agent } from 'node:http';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PHOTO_MAX_BYTES } from '../../core/api/field.js';
import { MAX_BODY_BYTES } from '../../main/hosts/http/shell.js';
import { dispatchOk, exampleContract, imported } from '../helpers/services.js';
import { shellPerTest } from '../helpers/shell.js';

const h = shellPerTest();

/** A ticket to attach photos to, registered through the dispatcher. */
async function ticketId(): Promise<string> {
  const s = h.t.services;
  const { contractId, customerId } = imported(await dispatchOk(s, 'desk.importContract', { file: exampleContract() }));
  const { contacts } = await dispatchOk(s, 'desk.contract', { contractId });
  const reg = await dispatchOk(s, 'desk.register', {
    contractId,
    customerId,
    policy: 'normal',
    channel: 'phone',
    authorisedBy: 'contact',
    contactId: contacts[0]!.id,
    title: 'Rack',
    description: 'Rack photo',
    intake: { site_address: 'Kajgade 4, Aarhus' },
  });
  return reg.ticket.id;
}

const uploadPath = (request: object, field = 'dataBase64') => `/api/upload/field.photo?field=${field}&request=${encodeURIComponent(JSON.stringify(request))}`;
const octets = { 'content-type': 'application/octet-stream' };

describe('browser shell photo upload (POST /api/upload/field.photo)', () => {
  let agent: Agent;
  beforeEach(() => {
    agent = new Agent({ keepAlive: true, maxSockets: 1 });
  });
  afterEach(() => agent.destroy());

  it('stores a photo of the contract limit (8 MB), far over the JSON body limit', async () => {
    const id = await ticketId();
    const bytes = Buffer.alloc(PHOTO_MAX_BYTES, 7);
    expect(bytes.length).toBeGreaterThan(MAX_BODY_BYTES);
    const res = await h.send(agent, uploadPath({ ticketId: id, name: 'rack.jpg', mime: 'image/jpeg', author: 'Kim' }), { body: bytes, headers: octets });
    expect(res.status, res.text).toBe(200);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    expect(JSON.parse(res.text)).toMatchObject({ ok: true, result: { ticketId: id, sha256, size: PHOTO_MAX_BYTES } });
    expect(readFileSync(join(h.t.dataDir, 'attachments', sha256)).equals(bytes)).toBe(true);
    const detail = await h.t.services.dispatch('desk.ticket', { id });
    const photos = (detail as any).result.events.filter((e: any) => e.type === 'photo');
    expect(photos.map((e: any) => e.data)).toEqual([{ sha256, name: 'rack.jpg', mime: 'image/jpeg', size: PHOTO_MAX_BYTES }]);
  });

  for (const chunked of [false, true]) {
    it(`refuses a photo over 8 MB with 413 naming the limit, stores nothing and keeps the connection (${chunked ? 'chunked' : 'Content-Length'})`, async () => {
      const id = await ticketId();
      const over = h.raw(uploadPath({ ticketId: id, name: 'big.jpg', mime: 'image/jpeg' }), Buffer.alloc(PHOTO_MAX_BYTES + 1, 7), { chunked, headers: octets });
      const { text, clean } = await h.onOneConnection([over, h.raw('/api/rpc/app.echo', '{"text":"still here"}', { close: true })]);
      expect(clean).toBe(true);
      const [first, second] = text.split(/(?=HTTP\/1\.1 )/);
      expect(first).toMatch(/^HTTP\/1\.1 413 /);
      expect(JSON.parse(first!.slice(first!.indexOf('\r\n\r\n') + 4))).toEqual({
        ok: false,
        error: { code: 'invalid_request', message: `field.photo: the photo is over the limit of 8 MB (${PHOTO_MAX_BYTES} bytes)`, path: 'dataBase64' },
      });
      expect(second).toMatch(/^HTTP\/1\.1 200 /);
      expect(existsSync(join(h.t.dataDir, 'attachments'))).toBe(false);
      const detail = await h.t.services.dispatch('desk.ticket', { id });
      expect((detail as any).result.events.filter((e: any) => e.type === 'photo')).toEqual([]);
    });
  }

  it("checks the request like any call: the contract's errors name the field", async () => {
    const id = await ticketId();
    const bad = await h.send(agent, uploadPath({ ticketId: id, name: 'x.gif', mime: 'image/gif' }), { body: Buffer.alloc(10), headers: octets });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text).error).toMatchObject({ code: 'invalid_request', path: 'mime' });
    const empty = await h.send(agent, uploadPath({ ticketId: id, name: 'x.png', mime: 'image/png' }), { body: Buffer.alloc(0), headers: octets });
    expect(JSON.parse(empty.text).error).toMatchObject({ code: 'invalid_request', path: 'dataBase64' });
    const field = await h.send(agent, uploadPath({ ticketId: id, name: 'x.png', mime: 'image/png' }, 'name'), { body: Buffer.alloc(10), headers: octets });
    expect([field.status, JSON.parse(field.text).error.path]).toEqual([400, 'field']);
    const notJson = await h.send(agent, '/api/upload/field.photo?field=dataBase64&request=%7Boops', { body: Buffer.alloc(10), headers: octets });
    expect([notJson.status, JSON.parse(notJson.text).error.path]).toEqual([400, 'request']);
    const other = await h.send(agent, '/api/upload/app.echo?field=text&request=%7B%7D', { body: Buffer.alloc(10), headers: octets });
    expect(other.status).toBe(404);
    expect(existsSync(join(h.t.dataDir, 'attachments'))).toBe(false);
  });

  it('needs the launch secret and this origin, like the RPCs', async () => {
    const id = await ticketId();
    const path = uploadPath({ ticketId: id, name: 'x.png', mime: 'image/png' });
    expect((await h.send(undefined, path, { body: Buffer.alloc(10), headers: { ...octets, authorization: 'Bearer nope' } })).status).toBe(401);
    expect((await h.send(undefined, path, { body: Buffer.alloc(10), headers: { ...octets, origin: 'https://evil.example' } })).status).toBe(403);
    expect(existsSync(join(h.t.dataDir, 'attachments'))).toBe(false);
  });
});
