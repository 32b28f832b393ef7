/**
 * Runs under `dbus-run-session`: starts Xvfb, dunst (the notification
 * server) and dbus-monitor on this private session bus, then runs the real
 * alert scheduler with the real node-notifier notifier and real timers, and
 * prints the Notify calls dbus-monitor saw as one JSON line. Every helper
 * process is killed in `finally`.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { AlertScheduler } from '../../main/alerts/scheduler.js';
import { MemoryAlertStore } from '../../main/alerts/memory-store.js';
import { DEFAULT_ALERT_SETTINGS } from '../../main/alerts/types.js';
import type { AlertCandidate, PlanResult } from '../../main/alerts/types.js';
import { NodeNotifier } from '../../main/notify/node-notifier.js';

const children: ChildProcess[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function start(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return child;
}

interface NotifyCall {
  summary: string;
  body: string;
  urgency: number | null;
}

function parseMonitor(text: string): NotifyCall[] {
  const calls: NotifyCall[] = [];
  for (const block of text.split(/\n(?=method call )/)) {
    if (!/member=Notify\b/.test(block)) continue;
    const strings = [...block.matchAll(/^\s+string "((?:[^"\\]|\\.)*)"/gm)].map((m) => m[1] ?? '');
    // Notify(app_name, replaces_id, app_icon, summary, body, actions, hints, timeout)
    const urgency = /string "urgency"\s+variant\s+byte (\d+)/.exec(block);
    calls.push({ summary: strings[2] ?? '', body: strings[3] ?? '', urgency: urgency ? Number(urgency[1]) : null });
  }
  return calls;
}

async function main(): Promise<void> {
  const display = `:${100 + Math.floor(Math.random() * 800)}`;
  const env = { ...process.env, DISPLAY: display };
  start('Xvfb', [display, '-screen', '0', '1024x768x24', '-nolisten', 'tcp']);
  await sleep(700);
  start('dunst', [], env);
  const monitor = start('dbus-monitor', ["interface='org.freedesktop.Notifications',member='Notify'"], env);
  let seen = '';
  monitor.stdout!.on('data', (d: Buffer) => (seen += d.toString()));
  await sleep(700);
  process.env.DISPLAY = display;

  const now = Date.now();
  const dueIn = Number(process.argv[2] ?? '1500');
  const due = now + dueIn;
  const planner = {
    async plan(ticketId: string, t: number): Promise<PlanResult> {
      const c: AlertCandidate = {
        ticketId,
        caseNumber: 'K7-0042-X',
        target: 'update',
        kind: 'callback_due',
        dueAt: due,
        critical: true,
        text: 'Callback to Hanne Olsen due now (every 4 h while the repair goes on)',
      };
      return t >= due ? { candidates: [c], nextAt: null } : { candidates: [], nextAt: due };
    },
  };
  const scheduler = new AlertScheduler({
    clock: { now: () => Date.now() },
    timers: { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) },
    planner,
    store: new MemoryAlertStore(),
    notifier: new NodeNotifier(),
    settings: () => DEFAULT_ALERT_SETTINGS,
  });
  await scheduler.start([['t1', due]]);
  const deadline = Date.now() + dueIn + 8000;
  while (Date.now() < deadline && parseMonitor(seen).length === 0) await sleep(100);
  await sleep(300);
  scheduler.dispose();
  process.stdout.write(JSON.stringify({ dueAt: due, calls: parseMonitor(seen) }) + '\n');
}

try {
  await main();
} finally {
  for (const c of children.reverse()) c.kill('SIGKILL');
}
