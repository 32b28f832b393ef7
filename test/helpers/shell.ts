/**
 * A real browser shell (main/hosts/http/shell.ts) on 127.0.0.1 over fresh test
 * services for each test, and a real HTTP client for it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:http';
import { connect } from 'node:net';
import type { Agent } from 'node:http';
import { afterEach, beforeEach } from 'vitest';
import { startShell } from '../../main/hosts/http/shell.js';
import type { Shell } from '../../main/hosts/http/shell.js';
import { tempDir, testServices } from './services.js';
import type { TestServices } from './services.js';

export function shellPerTest() {
  const h = {
    shell: undefined as unknown as Shell,
    t: undefined as unknown as TestServices,
    auth: () => ({ authorization: `Bearer ${h.shell.secret}`, 'content-type': 'application/json' }),
    /** One request with node's HTTP client: the status, the body and whether it reused a connection of `agent`. */
    send(agent: Agent | undefined, path: string, opts: { method?: string; body?: Buffer | string; chunked?: boolean; headers?: Record<string, string> } = {}) {
      return new Promise<{ status: number; text: string; reused: boolean }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: h.shell.port, path, method: opts.method ?? 'POST', agent, headers: { ...h.auth(), ...opts.headers } }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text, reused: req.reusedSocket }));
          res.on('error', reject);
        });
        req.on('error', reject);
        if (opts.body === undefined) return void req.end();
        if (!opts.chunked) req.setHeader('content-length', Buffer.byteLength(opts.body));
        // Written in pieces, as a client streaming a file would.
        const data = Buffer.from(opts.body);
        for (let i = 0; i < data.length; i += 256 * 1024) req.write(data.subarray(i, i + 256 * 1024));
        req.end();
      });
    },
    /** The bytes of one HTTP/1.1 request with the secret: the body with a Content-Length, or chunked. */
    raw(path: string, body: Buffer | string, opts: { chunked?: boolean; close?: boolean; headers?: Record<string, string> } = {}): Buffer {
      const data = Buffer.from(body);
      const head = { host: `127.0.0.1:${h.shell.port}`, ...h.auth(), ...opts.headers, ...(opts.close ? { connection: 'close' } : {}) };
      const lines = Object.entries(head).map(([k, v]) => `${k}: ${v}\r\n`);
      if (!opts.chunked) return Buffer.concat([Buffer.from(`POST ${path} HTTP/1.1\r\n${lines.join('')}content-length: ${data.length}\r\n\r\n`), data]);
      const parts = [Buffer.from(`POST ${path} HTTP/1.1\r\n${lines.join('')}transfer-encoding: chunked\r\n\r\n`)];
      for (let i = 0; i < data.length; i += 64 * 1024) {
        const piece = data.subarray(i, i + 64 * 1024);
        parts.push(Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n'));
      }
      parts.push(Buffer.from('0\r\n\r\n'));
      return Buffer.concat(parts);
    },
    /**
     * Sends requests one after the other on one connection (without waiting for answers) and
     * reads until the server closes it: what came back, and whether it closed cleanly (no reset).
     */
    onOneConnection(requests: Buffer[]): Promise<{ text: string; clean: boolean }> {
      return new Promise((resolve) => {
        const socket = connect(h.shell.port, '127.0.0.1');
        let text = '';
        socket.setEncoding('latin1');
        socket.on('data', (d: string) => (text += d));
        socket.on('error', () => resolve({ text, clean: false }));
        socket.on('end', () => resolve({ text, clean: true }));
        for (const r of requests) socket.write(r);
      });
    },
  };
  let uiCleanup = () => {};
  beforeEach(async () => {
    h.t = await testServices();
    const ui = tempDir('vakt-ui-');
    uiCleanup = ui.cleanup;
    mkdirSync(ui.dir, { recursive: true });
    writeFileSync(join(ui.dir, 'index.html'), '<!doctype html><title>Vakt</title>');
    h.shell = await startShell({ services: h.t.services, rendererDir: ui.dir });
  });
  afterEach(async () => {
    await h.shell.close();
    await h.t.cleanup();
    uiCleanup();
  });
  return h;
}
