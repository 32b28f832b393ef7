/**
 * The built app runs its Node processes from bundles (scripts/build-node.mjs, issue 19): a start
 * loads a few files from dist/app, not each of our ~220 modules; `vakt` loads the code of the verb
 * it runs and no other; stack traces name our .ts files (source maps). The real `node scripts/build.mjs`,
 * the real `vakt` processes; what their main thread loads is recorded by test/helpers/record-loads.mjs.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { launch, root, runToEnd, stop, useBuiltCli } from '../sync/cli-helpers.js';
import { tempDir } from '../sync/helpers.js';
import { MALLOC_MMAP_THRESHOLD } from '../../main/hosts/cli/serve.js';

useBuiltCli();

const hook = join(root, 'test', 'helpers', 'record-loads.mjs');
const recording = () => {
  const file = join(tempDir('vakt-loads-'), 'loads.txt');
  return { file, env: { NODE_OPTIONS: `--import=${hook}`, VAKT_RECORD_LOADS: file, VAKT_NOTIFIER: '' } };
};

/** The files of ours (not node_modules') a process loaded, relative to the checkout ('/'-separated). */
function ours(file: string): string[] {
  const urls = readFileSync(file, 'utf8')
    .split('\n')
    .filter((u) => u.startsWith('file:'));
  return urls
    .map((u) => fileURLToPath(u))
    .filter((p) => p.startsWith(root) && !p.includes(`${sep}node_modules${sep}`) && p !== hook)
    .map((p) => relative(root, p).split(sep).join('/'));
}

/** The sources (checkout-relative) the loaded bundle files were built from, read from their source maps. */
function sourcesOf(files: string[]): Set<string> {
  const out = new Set<string>();
  for (const f of files.filter((x) => x.startsWith('dist/app/'))) {
    const map = JSON.parse(readFileSync(join(root, f + '.map'), 'utf8')) as { sources: string[] };
    for (const s of map.sources)
      out.add(
        relative(root, resolve(root, dirname(f), s))
          .split(sep)
          .join('/'),
      );
  }
  return out;
}

it('`vakt serve` loads its code from a few bundle files, the verb’s own, not the sync server’s, node-notifier or dbus-next', async () => {
  const rec = recording();
  const { child } = await launch(['serve', '--data-dir', tempDir('vakt-bundle-'), '--port', '0'], /#k=/, rec.env);
  await stop(child);
  const files = ours(rec.file);
  expect(files.filter((f) => !f.startsWith('dist/app/'))).toEqual(['bin/vakt', 'dist/main/hosts/cli/index.js']);
  expect(files.length).toBeLessThan(30);
  const sources = sourcesOf(files);
  expect(sources).toContain('main/hosts/cli/serve.ts');
  expect(sources).toContain('main/app/services.ts');
  expect([...sources].filter((s) => s.startsWith('server/'))).toEqual([]);
  // Linux: notifications over D-Bus; node-notifier (macOS, Windows) is not loaded
  expect(readFileSync(rec.file, 'utf8')).not.toContain('/node_modules/node-notifier/');
  // and dbus-next only on the first notification, not at start
  expect([...sources].filter((s) => s.includes('node_modules/dbus-next'))).toEqual([]);
  // No calendar with public holidays was compiled: date-holidays is neither bundled into what loaded nor required
  expect([...sources].filter((s) => s.includes('node_modules/date-holidays'))).toEqual([]);
  expect(readFileSync(rec.file, 'utf8')).not.toContain('/node_modules/date-holidays/');
});

it('the built engine loads date-holidays on the first calendar with holidays, and counts them', () => {
  const rec = recording();
  // Weekdays 08-16 in Copenhagen with Danish public holidays; 2 open hours from Wednesday 1 April 2026, 15:00:
  // Maundy Thursday, Good Friday, the weekend and Easter Monday are closed, so the second hour ends Tuesday 09:00.
  const office = { timezone: 'Europe/Copenhagen', week: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d, i) => [d, i < 5 ? [['08:00', '16:00']] : []])) };
  const policies = { p: { calendar: 'office', targets: { response: { within: { hours: 2 } } } } };
  const events = [{ type: 'created', at: '2026-04-01T13:00:00.000Z', policy: 'p' }];
  const input = [{ calendars: { office: { ...office, holidays: { country: 'DK' } } } }, { calendars: { office } }]
    .map((c, i) => JSON.stringify({ id: String(i), ...c, policies, events, now: '2026-04-01T13:00:00.000Z' }))
    .join('\n');
  const out = execFileSync(process.execPath, [join(root, 'bin', 'vakt'), 'sla', 'eval'], { cwd: root, input, encoding: 'utf8', env: { ...process.env, ...rec.env } });
  const due = out
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { targets: { dueAt: string }[] }).targets[0]?.dueAt);
  expect(due).toEqual(['2026-04-07T07:00:00.000Z', '2026-04-02T07:00:00.000Z']);
  expect(readFileSync(rec.file, 'utf8')).toContain('/node_modules/date-holidays/');
});

it.runIf(process.platform === 'linux')('`vakt serve` run as the installed command gives node a small young generation and glibc a fixed mmap threshold (bin/vakt’s #! line)', async () => {
  const child = spawn(join(root, 'bin', 'vakt'), ['serve', '--data-dir', tempDir('vakt-flags-'), '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await new Promise<void>((ok, fail) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => ((out += d.toString()), out.includes('#k=') && ok()));
      child.once('exit', (code) => fail(new Error(`vakt serve exited (${code})`)));
    });
    // the process itself is node (env execs it), with the flag on its command line
    const argv = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0');
    expect(argv).toContain('--max-semi-space-size=2');
    // and glibc's mmap threshold fixed (issue 19: its dynamic threshold left ~20 MB of freed big buffers resident)
    const environ = readFileSync(`/proc/${child.pid}/environ`, 'utf8').split('\0');
    expect(environ).toContain(`MALLOC_MMAP_THRESHOLD_=${MALLOC_MMAP_THRESHOLD}`);
  } finally {
    await stop(child);
  }
});

it('`vakt sla --help` loads the sla verb’s code and not the app’s services', async () => {
  const rec = recording();
  const r = await runToEnd(['sla', '--help'], rec.env);
  expect(r.code).toBe(0);
  const sources = sourcesOf(ours(rec.file));
  expect(sources).toContain('main/hosts/cli/sla.ts');
  expect(sources).not.toContain('main/hosts/cli/serve.ts');
  expect(sources).not.toContain('main/app/services.ts');
});

it('a stack trace from the built CLI names our .ts file and line', () => {
  const stub = join(root, 'dist', 'main', 'hosts', 'cli', 'index.js');
  const script = `const { main } = await import(process.argv[1]);
try { await main(['--version'], { stdin: process.stdin, stderr: process.stderr, stdout: { write() { throw new Error('boom'); } } }); }
catch (e) { process.stdout.write(e.stack); }`;
  const stack = execFileSync(process.execPath, ['--input-type=module', '-e', script, stub], { cwd: root, encoding: 'utf8' });
  expect(stack).toMatch(/^Error: boom/);
  expect(stack).toMatch(new RegExp(`at main \\(${join(root, 'main', 'hosts', 'cli', 'index.ts').replace(/[/\\.]/g, '\\$&')}:\\d+:\\d+\\)`));
});
