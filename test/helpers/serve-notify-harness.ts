/**
 * Runs under `dbus-run-session`: seeds a data dir with a ticket whose status
 * callback comes due in `dueInMs` (a 24x7 contract, first update after that
 * many minutes... rounded: the contract says 1 minute), starts the real
 * `vakt serve` on it with no browser window, and prints the Notify calls the
 * desktop session saw as one JSON line, with the due instant.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../db/store.js';
import { startDesktopSession } from './desktop-session.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const root = join(import.meta.dirname, '..', '..');
const dataDir = mkdtempSync(join(tmpdir(), 'vakt-serve-notify-'));
const session = await startDesktopSession();
try {
  const clock = { now: () => Date.now() };
  const store = openStore({ dataDir, clock });
  const customer = store.customers.createCustomer({ name: 'Hansen Transport A/S' });
  const contract = store.customers.createContract({
    customerId: customer.id,
    agreementNumber: 'SA0009858',
    policySet: {
      calendars: { always: { timezone: 'Europe/Copenhagen', week: '24x7' } },
      policies: { critical: { calendar: 'always', targets: { update: { first: { minutes: 1 }, every: { hours: 4 } } } } },
    },
    defaultPolicy: 'critical',
  });
  const ticket = store.tickets.register({
    customerId: customer.id,
    contractId: contract.id,
    channel: 'phone',
    policy: 'critical',
    priority: 'critical',
    description: 'Mobilnettet er nede i hele huset',
  });
  // "Callback due" exactly at the due time, not ahead of it.
  store.settings.set('alerts', { callbackLeadMinutes: 0 });
  const dueAt = ticket.createdAt + 60_000;
  store.close();

  const serve = spawn(process.execPath, [join(root, 'bin', 'vakt'), 'serve', '--data-dir', dataDir], { env: session.env, stdio: ['ignore', 'pipe', 'pipe'] });
  session.track(serve);
  let stderr = '';
  serve.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const deadline = dueAt + 20_000;
  while (Date.now() < deadline && !session.calls().some((c) => c.summary.includes('callback'))) await sleep(100);
  // Ctrl-C: vakt serve lets go of the session bus and exits by itself.
  const exited = new Promise<number | null>((resolve) => serve.once('exit', (code) => resolve(code)));
  serve.kill('SIGINT');
  const exitCode = await Promise.race([exited, sleep(10_000).then(() => 'still running')]);
  process.stdout.write(JSON.stringify({ caseNumber: ticket.caseNumber, dueAt, calls: session.calls(), exitCode, stderr: stderr.slice(-2000) }) + '\n');
} finally {
  session.stop();
  await sleep(200);
  rmSync(dataDir, { recursive: true, force: true });
}
