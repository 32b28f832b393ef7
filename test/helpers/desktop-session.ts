/**
 * A desktop for notification tests, inside the current D-Bus session (run the
 * caller under `dbus-run-session`): Xvfb, dunst as the notification server,
 * and dbus-monitor recording every Notify call. `stop()` kills them all.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

export interface NotifyCall {
  summary: string;
  body: string;
  urgency: number | null;
  /** When dbus-monitor printed it (epoch ms). */
  seenAt: number;
}

export function parseMonitor(text: string, seenAt: number[] = []): NotifyCall[] {
  const calls: NotifyCall[] = [];
  for (const block of text.split(/\n(?=method call )/)) {
    if (!/member=Notify\b/.test(block)) continue;
    const strings = [...block.matchAll(/^\s+string "((?:[^"\\]|\\.)*)"/gm)].map((m) => m[1] ?? '');
    // Notify(app_name, replaces_id, app_icon, summary, body, actions, hints, timeout)
    const urgency = /string "urgency"\s+variant\s+byte (\d+)/.exec(block);
    calls.push({ summary: strings[2] ?? '', body: strings[3] ?? '', urgency: urgency ? Number(urgency[1]) : null, seenAt: seenAt[calls.length] ?? 0 });
  }
  return calls;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startDesktopSession(): Promise<{ env: NodeJS.ProcessEnv; calls(): NotifyCall[]; track(child: ChildProcess): void; stop(): void }> {
  const children: ChildProcess[] = [];
  const start = (cmd: string, args: string[], env: NodeJS.ProcessEnv) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    return child;
  };
  const display = `:${100 + Math.floor(Math.random() * 800)}`;
  const env = { ...process.env, DISPLAY: display };
  try {
    start('Xvfb', [display, '-screen', '0', '1024x768x24', '-nolisten', 'tcp'], env);
    await sleep(700);
    start('dunst', [], env);
    const monitor = start('dbus-monitor', ["interface='org.freedesktop.Notifications',member='Notify'"], env);
    let seen = '';
    const times: number[] = [];
    monitor.stdout!.on('data', (d: Buffer) => {
      const text = d.toString();
      for (const _ of text.matchAll(/member=Notify\b/g)) times.push(Date.now());
      seen += text;
    });
    await sleep(700);
    return {
      env,
      calls: () => parseMonitor(seen, times),
      track: (child) => void children.push(child),
      stop: () => {
        for (const c of children.reverse()) c.kill('SIGKILL');
      },
    };
  } catch (err) {
    for (const c of children.reverse()) c.kill('SIGKILL');
    throw err;
  }
}
