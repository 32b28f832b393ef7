/**
 * A desktop for notification tests, inside the current D-Bus session (run the
 * caller under `dbus-run-session`): Xvfb, dunst as the notification server,
 * and dbus-monitor recording every Notify call. `stop()` kills them all.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface NotifyCall {
  appName: string;
  replacesId: number;
  summary: string;
  body: string;
  /** Action keys and labels, in pairs as sent. */
  actions: string[];
  urgency: number | null;
  sound: string | null;
  resident: boolean | null;
  expireTimeout: number | null;
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
    const sound = /string "sound-name"\s+variant\s+string "([^"]*)"/.exec(block);
    const resident = /string "resident"\s+variant\s+boolean (true|false)/.exec(block);
    const replaces = /^\s+uint32 (\d+)/m.exec(block);
    const expire = /^\s+int32 (-?\d+)\s*$/m.exec(block);
    const actionsBlock = /^\s+array \[\n((?:\s+string "[^"]*"\n)*)\s+\]/m.exec(block);
    const actions = [...(actionsBlock?.[1] ?? '').matchAll(/string "([^"]*)"/g)].map((m) => m[1] ?? '');
    calls.push({
      appName: strings[0] ?? '',
      replacesId: replaces ? Number(replaces[1]) : 0,
      summary: strings[2] ?? '',
      body: strings[3] ?? '',
      actions,
      urgency: urgency ? Number(urgency[1]) : null,
      sound: sound ? (sound[1] ?? '') : null,
      resident: resident ? resident[1] === 'true' : null,
      expireTimeout: expire ? Number(expire[1]) : null,
      seenAt: seenAt[calls.length] ?? 0,
    });
  }
  return calls;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An `ActionInvoked` signal dbus-monitor saw: the daemon's notification id and the action key. */
export interface ActionSignal {
  id: number;
  action: string;
}

export function parseActions(text: string): ActionSignal[] {
  return [...text.matchAll(/member=ActionInvoked\n\s+uint32 (\d+)\n\s+string "([^"]*)"/g)].map((m) => ({ id: Number(m[1]), action: m[2] ?? '' }));
}

export interface DesktopSession {
  env: NodeJS.ProcessEnv;
  calls(): NotifyCall[];
  actions(): ActionSignal[];
  /** Runs `dunstctl <args>` against this session's dunst; returns its stdout. */
  dunstctl(...args: string[]): string;
  track(child: ChildProcess): void;
  /** The screen as an XWD file (Xvfb -fbdir), for screen grabs (test/helpers/xwd-png.ts). */
  screenFile: string;
  stop(): void;
}

/**
 * `clickAction`: a label dunst's context menu (`dunstctl context`) picks, as a
 * user clicking that button would (dunst's `dmenu` is set to a grep for it).
 */
export async function startDesktopSession(opts: { clickAction?: string; /** More dunstrc lines, after `[global]`'s own (looks: fonts, colours). */ dunstrc?: string } = {}): Promise<DesktopSession> {
  const children: ChildProcess[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'vakt-desktop-'));
  const dunstrc = join(dir, 'dunstrc');
  writeFileSync(dunstrc, `[global]\n    dmenu = /usr/bin/grep -m1 -F "${opts.clickAction ?? 'Acknowledge'}"\n${opts.dunstrc ?? ''}`);
  const start = (cmd: string, args: string[], env: NodeJS.ProcessEnv) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    return child;
  };
  const display = `:${100 + Math.floor(Math.random() * 800)}`;
  const env = { ...process.env, DISPLAY: display };
  try {
    start('Xvfb', [display, '-screen', '0', '1024x768x24', '-nolisten', 'tcp', '-fbdir', dir], env);
    await sleep(700);
    start('dunst', ['-config', dunstrc], env);
    const monitor = start('dbus-monitor', ["interface='org.freedesktop.Notifications',member='Notify'", "interface='org.freedesktop.Notifications',member='ActionInvoked'"], env);
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
      actions: () => parseActions(seen),
      dunstctl: (...args) => spawnSync('dunstctl', args, { env, encoding: 'utf8', timeout: 5000 }).stdout.trim(),
      track: (child) => void children.push(child),
      screenFile: join(dir, 'Xvfb_screen0'),
      stop: () => {
        for (const c of children.reverse()) c.kill('SIGKILL');
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    for (const c of children.reverse()) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
