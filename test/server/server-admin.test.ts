/**
 * Operating the server (issue 17 item 6) against a real `vakt server` process (PGlite): the start
 * hint's commands work as written (run by bash), `vakt server admin` makes tenants (a name twice is
 * refused), users, enrolment codes, lists and revokes devices and issues an admin token with the
 * data dir as proof; one log line per health probe.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runServerAdmin } from '../../main/hosts/cli/server-admin.js';
import { V, tmpDir } from './helpers.js';
import { spawnServer } from './processes.js';
import type { Proc } from './processes.js';

async function admin(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const sink = (f: (s: string) => void) => ({ write: (c: string | Uint8Array) => (f(String(c)), true) }) as unknown as NodeJS.WritableStream;
  const code = await runServerAdmin(args, { stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)) }, env);
  return { code, out, err };
}

describe('vakt server admin and the start hint', () => {
  let p: Proc;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = tmpDir('vakt-admin-');
    p = await spawnServer(dataDir, {}, undefined, true, ['--log-level', 'info']);
  }, 120_000);
  afterAll(async () => {
    p.child.kill('SIGTERM');
    await p.exited;
  });

  it("the hint's first request works as written", () => {
    const out = p.stdout();
    const lines = out.split('\n').map((l) => l.trim());
    const save = lines.find((l) => l.startsWith('(umask 077; echo'));
    const curl = lines.find((l) => l.startsWith('curl '));
    expect(save).toBeDefined();
    expect(curl).toContain('vakt-protocol');
    const cwd = tmpDir('vakt-hint-');
    const answer = execFileSync('bash', ['-c', `${save}\n${curl}`], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(JSON.parse(answer)).toMatchObject({ role: 'admin' });
  });

  it('one log line per health probe', async () => {
    const before = p
      .stderr()
      .split('\n')
      .filter((l) => l.includes('"/health"')).length;
    expect((await fetch(`${p.url}/health`)).status).toBe(200);
    // lines come in order: once the next request's line is there, the probe's are all written
    await fetch(`${p.url}/openapi.json`);
    while (!p.stderr().includes('"/openapi.json"')) await new Promise((r) => setTimeout(r, 20));
    const lines = p
      .stderr()
      .split('\n')
      .filter((l) => l.includes('"/health"'));
    expect(lines.length - before).toBe(1);
    expect(JSON.parse(lines.at(-1) as string)).toMatchObject({ msg: 'request', res: { statusCode: 200 } });
  });

  it('tenants with the data dir as proof; the same name twice is refused', async () => {
    const env = { VAKT_SERVER_URL: p.url };
    const none = await admin(['tenant', 'create', '--name', 'Nordnet'], env);
    expect(none.code).toBe(1);
    expect(none.err).toContain('--data-dir D is required');
    const wrongDir = await admin(['tenant', 'create', '--name', 'Nordnet', '--data-dir', tmpDir('vakt-not-')], env);
    expect(wrongDir.err).toContain('no server runs on');

    const made = await admin(['tenant', 'create', '--name', 'Nordnet', '--data-dir', dataDir, '--json'], env);
    expect(made.code).toBe(0);
    const t = JSON.parse(made.out) as { tenantId: string; token: string };
    const again = await admin(['tenant', 'create', '--name', ' nordnet ', '--data-dir', dataDir], env);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/409: name: a tenant named "Nordnet" exists already/);
    const list = await admin(['tenant', 'list', '--data-dir', dataDir, '--json'], env);
    expect((JSON.parse(list.out) as { name: string }[]).filter((x) => x.name.toLowerCase() === 'nordnet')).toHaveLength(1);

    // A token is not the proof: the local routes refuse it.
    const r = await fetch(`${p.url}/v1/local/tenants`, { headers: { ...V, authorization: `Bearer ${t.token}` } });
    expect(r.status).toBe(401);

    // A new admin token for the tenant (the first one lost), then revoke the old one.
    const issued = await admin(['admin-token', 'issue', '--tenant', 'Nordnet', '--data-dir', dataDir, '--json'], env);
    expect(issued.code).toBe(0);
    const fresh = JSON.parse(issued.out) as { tenantId: string; token: string; deviceId: string };
    expect(fresh.tenantId).toBe(t.tenantId);
    const asFresh = { ...env, VAKT_ADMIN_TOKEN: fresh.token };
    const devices = JSON.parse((await admin(['device', 'list', '--json'], asFresh)).out) as { id: string; name: string }[];
    const old = devices.find((d) => d.id !== fresh.deviceId);
    expect(old).toBeDefined();
    expect((await admin(['device', 'revoke', old!.id], asFresh)).code).toBe(0);
    expect((await fetch(`${p.url}/v1/me`, { headers: { ...V, authorization: `Bearer ${t.token}` } })).status).toBe(401);
  });

  it('users, enrolment codes for new and existing users, devices listed and revoked', async () => {
    const env = { VAKT_SERVER_URL: p.url, VAKT_ADMIN_TOKEN: p.adminToken! };
    const u = JSON.parse((await admin(['user', 'create', '--name', 'Tove', '--role', 'technician', '--json'], env)).out) as { id: string; role: string };
    expect(u.role).toBe('technician');
    expect((await admin(['user', 'create', '--name', 'X', '--role', 'boss'], env)).err).toContain('--role must be one of');
    const code = JSON.parse((await admin(['enrolment-code', 'create', '--user', u.id, '--json'], env)).out) as { code: string; userId: string };
    expect(code.userId).toBe(u.id);
    const e = await fetch(`${p.url}/v1/enrol`, { method: 'POST', headers: { ...V, 'content-type': 'application/json' }, body: JSON.stringify({ code: code.code, deviceName: 'Tove laptop' }) });
    const dev = (await e.json()) as { deviceId: string; token: string; role: string };
    expect(dev.role).toBe('technician');
    const other = await admin(['enrolment-code', 'create', '--name', 'Ann', '--role', 'duty_officer'], env);
    expect(other.out).toMatch(/Enrolment code for user \S+ \(duty_officer\)/);
    expect((await admin(['enrolment-code', 'create', '--user', 'nobody'], env)).err).toContain('404: No user nobody');
    const users = (await admin(['user', 'list'], env)).out;
    expect(users).toMatch(/technician\s+Tove {2}1 active devices/);
    expect((await admin(['device', 'list'], env)).out).toContain('"Tove laptop"');
    expect((await admin(['device', 'revoke', dev.deviceId], env)).out).toContain(`Revoked device ${dev.deviceId}`);
    expect((await fetch(`${p.url}/v1/me`, { headers: { ...V, authorization: `Bearer ${dev.token}` } })).status).toBe(401);
  });
});
