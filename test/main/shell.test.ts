import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Agent } from 'node:http';
import { MAX_BODY_BYTES } from '../../main/hosts/http/shell.js';
import { MAX_JSON_DEPTH } from '../../main/hosts/http/body.js';
import { LAUNCH_CODE_TTL_MS } from '../../main/hosts/http/launch-code.js';
import { exampleContract } from '../helpers/services.js';
import { shellPerTest } from '../helpers/shell.js';

const h = shellPerTest();
const auth = () => h.auth();
const emit = (name: 'app.heartbeat', payload: unknown) => h.t.services.events.fire({ name, payload });
const send = (agent: Agent | undefined, path: string, opts?: Parameters<typeof h.send>[2]) => h.send(agent, path, opts);

describe('browser shell API guard', () => {
  it('answers a call that carries the launch secret', async () => {
    const res = await fetch(`${h.shell.origin}/api/rpc/app.info`, { method: 'POST', headers: auth(), body: '{}' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; result: { host: string; name: string } };
    expect(body).toMatchObject({ ok: true, result: { host: 'browser', name: 'Vakt' } });
  });

  it('rejects an invalid request with the path of the bad field', async () => {
    const res = await fetch(`${h.shell.origin}/api/rpc/app.echo`, { method: 'POST', headers: auth(), body: JSON.stringify({ text: 42 }) });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { ok: false; error: { code: string; path: string; message: string } };
    expect(body.error).toMatchObject({ code: 'invalid_request', path: 'text' });
    expect(body.error.message).toContain('app.echo: text:');
  });

  it('rejects an unknown method with 404 and bodies that are not JSON or too large with 400/413', async () => {
    expect((await fetch(`${h.shell.origin}/api/rpc/nope.nope`, { method: 'POST', headers: auth(), body: '{}' })).status).toBe(404);
    expect((await fetch(`${h.shell.origin}/api/rpc/app.echo`, { method: 'POST', headers: auth(), body: '{oops' })).status).toBe(400);
    const big = JSON.stringify({ text: 'x'.repeat(MAX_BODY_BYTES) });
    expect((await fetch(`${h.shell.origin}/api/rpc/app.echo`, { method: 'POST', headers: auth(), body: big })).status).toBe(413);
  });

  it('pushes events over SSE to an authorised stream', async () => {
    const controller = new AbortController();
    const res = await fetch(`${h.shell.origin}/api/events`, { headers: auth(), signal: controller.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    await reader.read(); // ": connected"
    emit('app.heartbeat', { now: 123 });
    let text = '';
    while (!text.includes('\n\n')) text += (await reader.read()).value ?? '';
    expect(text).toContain('event: app.heartbeat');
    expect(text).toContain('data: {"now":123}');
    controller.abort();
  });
});

describe('browser shell: bad requests get a 4xx answer on a real socket', () => {
  let agent: Agent;
  beforeEach(() => {
    agent = new Agent({ keepAlive: true, maxSockets: 1 });
  });
  afterEach(() => agent.destroy());

  it('answers a malformed URL escape (GET /%) with 400, not 500', async () => {
    for (const path of ['/%', '/%zz', '/app.js%']) {
      const res = await send(agent, path, { method: 'GET' });
      expect(res.status, path).toBe(400);
      expect(res.text).toContain('malformed escape');
    }
  });

  it('answers a request target that is not a URL with 400, not 500', async () => {
    const { text, clean } = await h.onOneConnection([Buffer.from(`GET http://[oops/ HTTP/1.1\r\nhost: 127.0.0.1:${h.shell.port}\r\nconnection: close\r\n\r\n`)]);
    expect(clean).toBe(true);
    expect(text).toMatch(/^HTTP\/1\.1 400 /);
    expect(text).toContain('request target is not a URL');
  });

  it('answers JSON nested 50,000 levels deep with 400 naming the depth, not 500', async () => {
    const imported = await h.t.services.dispatch('desk.importContract', { file: exampleContract() });
    const contractId = (imported as { ok: true; result: { contractId: string } }).result.contractId;
    const deep = '['.repeat(50_000) + ']'.repeat(50_000);
    for (const [method, body] of [
      ['desk.calendarMonth', `{"contractId":"${contractId}","calendar":"dk-office","month":"2026-01","draft":${deep}}`],
      ['desk.checkContractEdit', `{"contractId":"${contractId}","policySet":{"calendars":{},"policies":{"p":${deep}}}}`],
    ]) {
      const res = await send(agent, `/api/rpc/${method}`, { body });
      expect(res.status, method).toBe(400);
      expect(JSON.parse(res.text)).toMatchObject({
        ok: false,
        error: { code: 'invalid_request', message: expect.stringMatching(new RegExp(`^request body nests 5000\\d levels deep; at most ${MAX_JSON_DEPTH} are allowed$`)) },
      });
    }
    // Brackets inside strings are not nesting.
    const res = await send(agent, '/api/rpc/app.echo', { body: JSON.stringify({ text: '[{'.repeat(400) + '\\"' }) });
    expect(res.status).toBe(200);
  });

  for (const chunked of [false, true]) {
    it(`answers a body over the limit with 413 and keeps the connection usable (${chunked ? 'chunked' : 'Content-Length'})`, async () => {
      const big = JSON.stringify({ text: 'x'.repeat(3 * MAX_BODY_BYTES) });
      const { text, clean } = await h.onOneConnection([h.raw('/api/rpc/app.echo', big, { chunked }), h.raw('/api/rpc/app.echo', '{"text":"after"}', { close: true })]);
      expect(clean).toBe(true);
      const [first, second] = text.split(/(?=HTTP\/1\.1 )/);
      expect(first).toMatch(/^HTTP\/1\.1 413 /);
      expect(first).toContain(`{"ok":false,"error":{"code":"invalid_request","message":"request body over ${MAX_BODY_BYTES} bytes"}}`);
      expect(second).toMatch(/^HTTP\/1\.1 200 /);
      expect(second).toContain('{"ok":true,"result":{"text":"after"}}');
    });
  }
});

describe('browser shell launch codes (POST /api/session)', () => {
  const redeem = (code: string, headers: Record<string, string> = {}) =>
    fetch(`${h.shell.origin}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ code }) });
  const codeOf = (url: string) => /^http:\/\/127\.0\.0\.1:\d+\/#c=([A-Za-z0-9_-]{40,})$/.exec(url)![1]!;

  it('gives the secret for a launch code once; the launch URL holds no secret', async () => {
    const url = h.shell.launchUrl();
    expect(url).not.toContain(h.shell.secret);
    const code = codeOf(url);
    const first = await redeem(code);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ ok: true, result: { secret: h.shell.secret } });
    const again = await redeem(code);
    expect(again.status).toBe(401);
    expect(((await again.json()) as { error: { message: string } }).error.message).toBe(
      `this launch link was already used or has expired (a launch code works once, within ${LAUNCH_CODE_TTL_MS / 1000} s); run vakt start again`,
    );
  });

  it('refuses an expired, unknown or malformed code, and a foreign Origin', async () => {
    const late = codeOf(h.shell.launchUrl());
    const fresh = codeOf(h.shell.launchUrl());
    h.t.clock.advance(LAUNCH_CODE_TTL_MS);
    expect((await redeem(late)).status).toBe(401);
    const onTime = codeOf(h.shell.launchUrl());
    expect((await redeem(onTime, { origin: 'https://evil.example' })).status).toBe(403);
    h.t.clock.advance(LAUNCH_CODE_TTL_MS - 1);
    expect((await redeem(onTime)).status).toBe(200);
    expect((await redeem(fresh)).status).toBe(401);
    expect((await redeem(h.shell.secret)).status).toBe(401);
    for (const body of ['{oops', '{"code":42}', '[]', JSON.stringify({ code: 'x'.repeat(5000) })]) {
      const res = await fetch(`${h.shell.origin}/api/session`, { method: 'POST', body });
      expect(res.status, body).toBe(401);
    }
    expect((await fetch(`${h.shell.origin}/api/session`)).status).toBe(405);
  });
});
