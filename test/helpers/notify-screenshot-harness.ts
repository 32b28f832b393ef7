/**
 * Runs under `dbus-run-session`: a critical SLA breach pops up through the real
 * alert scheduler and the real D-Bus notifier on a desktop session (Xvfb,
 * dunst), once with a light and once with a dark dunst theme, and each time
 * the screen's top-right corner, where dunst shows it, is grabbed into
 * `<outDir>/notification-<theme>.png` (from Xvfb's own screen file: no ImageMagick needed).
 * Prints, per theme, the Notify call, what dunst displayed and the file, as one JSON line.
 */
import { systemClock, systemTimers } from '../../db/system-time.js';
import { join } from 'node:path';
import { DEFAULT_ALERT_SETTINGS } from '../../main/alerts/types.js';
import type { PlanResult } from '../../main/alerts/types.js';
import { criticalFacts, sleep, withDesktopScheduler } from './desktop-alerts.js';
import type { NotifyCall } from './desktop-session.js';
import { grabRegion } from './xwd-png.js';

const outDir = process.argv[2] ?? process.cwd();

const look = (bg: string, fg: string, frame: string) => `    width = 460
    origin = top-right
    offset = 16x16
    font = DejaVu Sans 11
    padding = 12
    horizontal_padding = 14
    frame_width = 3
    corner_radius = 8
    markup = full
    format = "<b>%s</b>\\n%b"
    show_indicators = yes
[urgency_critical]
    background = "${bg}"
    foreground = "${fg}"
    frame_color = "${frame}"
`;
const THEMES = {
  light: look('#ffffff', '#1b1f24', '#c62828'),
  dark: look('#1e2227', '#e8eaed', '#ef5350'),
};

async function shoot(theme: keyof typeof THEMES): Promise<{ theme: string; calls: NotifyCall[]; displayed: number; file: string; width: number; height: number }> {
  // The response deadline passes half a second after the scheduler starts, once the session is up (a catch-up at start would be a summary).
  let dueAt = Infinity;
  const planner = {
    async plan(_id: string, t: number): Promise<PlanResult> {
      if (t < dueAt) return { candidates: [], nextAt: dueAt };
      return { candidates: [{ ticketId: 't1', caseNumber: 'K7-0042-X', target: 'response', kind: 'breach', dueAt, critical: true, text: 'Response deadline passed' }], nextAt: null };
    },
  };
  const deps = { clock: systemClock, timers: systemTimers, planner, settings: () => DEFAULT_ALERT_SETTINGS, facts: criticalFacts('response') };
  return withDesktopScheduler({ dunstrc: THEMES[theme] }, deps, async ({ session, scheduler }) => {
    dueAt = Date.now() + 500;
    await scheduler.start([['t1', dueAt]]);
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && Number(session.dunstctl('count', 'displayed')) < 1) await sleep(50);
    await sleep(500); // drawn
    const displayed = Number(session.dunstctl('count', 'displayed'));
    const file = join(outDir, `notification-${theme}.png`);
    // The top-right corner where dunst draws it, trimmed to the pop-up, on a page-like margin.
    const size = grabRegion(session.screenFile, { x: 464, y: 0, width: 560, height: 400 }, file, 16, theme === 'light' ? [233, 236, 239] : [13, 17, 23]);
    return { theme, calls: session.calls(), displayed, file, ...size };
  });
}

const shots = [];
for (const theme of ['light', 'dark'] as const) shots.push(await shoot(theme));
process.stdout.write(JSON.stringify({ shots }) + '\n');
