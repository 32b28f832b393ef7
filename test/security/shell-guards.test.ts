/**
 * What holds today and must stay held (issue 21): the browser shell (`vakt serve`) answers only a
 * caller with its launch secret, from its own origin and Host (no DNS rebinding), and serves no file
 * outside the UI. Moved here from test/main/shell.test.ts; launch codes: test/main/shell.test.ts
 * ("browser shell launch codes"), test/e2e/launch-code.spec.ts.
 */
import { describe, expect, it } from 'vitest';
import { shellPerTest } from '../helpers/shell.js';

const h = shellPerTest();
const auth = () => h.auth();

describe('browser shell guards: secret, Host, Origin, files', () => {
  it('gives 401 to every /api/ request without the secret', async () => {
    for (const [path, method] of [
      ['/api/rpc/app.info', 'POST'],
      ['/api/events', 'GET'],
      ['/api/rpc/no.such', 'POST'],
      ['/api/anything', 'GET'],
    ] as const) {
      const res = await fetch(`${h.shell.origin}${path}`, { method, ...(method === 'POST' ? { body: '{}' } : {}) });
      expect(res.status, `${method} ${path}`).toBe(401);
    }
  });

  it('gives 401 to a wrong secret of the same length', async () => {
    const wrong = h.shell.secret.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    const res = await fetch(`${h.shell.origin}/api/rpc/app.info`, { method: 'POST', headers: { authorization: `Bearer ${wrong}` }, body: '{}' });
    expect(res.status).toBe(401);
  });

  it('gives 403 to a request from a foreign Origin, even with the secret', async () => {
    const res = await fetch(`${h.shell.origin}/api/rpc/app.info`, { method: 'POST', headers: { ...auth(), origin: 'https://evil.example' }, body: '{}' });
    expect(res.status).toBe(403);
    const same = await fetch(`${h.shell.origin}/api/rpc/app.info`, { method: 'POST', headers: { ...auth(), origin: h.shell.origin }, body: '{}' });
    expect(same.status).toBe(200);
  });

  it('gives 403 to a foreign Host header (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: h.shell.port, path: '/api/rpc/app.info', method: 'POST', headers: { ...auth(), host: 'attacker.example:80' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end('{}');
    });
    expect(status).toBe(403);
  });

  it('serves the UI with a strict CSP and refuses path traversal', async () => {
    const res = await fetch(`${h.shell.origin}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await res.text()).toContain('<title>Vakt</title>');
    const trav = await fetch(`${h.shell.origin}/..%2f..%2fetc%2fpasswd`);
    expect([403, 404]).toContain(trav.status);
  });

  it('puts the secret in the URL fragment only', () => {
    expect(h.shell.url).toBe(`${h.shell.origin}/#k=${h.shell.secret}`);
    expect(h.shell.secret.length).toBeGreaterThanOrEqual(40);
  });
});
