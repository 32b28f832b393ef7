/**
 * `vakt start --browser` opens Chromium with a one-time launch code, never the
 * per-launch secret (a command line is readable by any local user with ps).
 * VAKT_CHROMIUM points at a stand-in that records its command line; the page
 * is then opened with that exact URL in Playwright's Chromium.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { startVakt, stopVakt } from './fixtures.js';

test('vakt start --browser gives Chromium a launch code that works once, and no secret', async ({ page, browser }) => {
  const dir = mkdtempSync(join(tmpdir(), 'vakt-e2e-start-'));
  const argvFile = join(dir, 'chromium-argv');
  const fake = join(dir, 'chromium');
  writeFileSync(fake, `#!/bin/sh\nprintf '%s\\n' "$@" > '${argvFile}.part' && mv '${argvFile}.part' '${argvFile}'\n`, { mode: 0o755 });
  const vakt = await startVakt(join(dir, 'data'), { VAKT_CHROMIUM: fake, DISPLAY: ':99' }, ['start', '--browser']);
  try {
    await expect.poll(() => existsSync(argvFile)).toBe(true);
    const argv = readFileSync(argvFile, 'utf8').trim().split('\n');
    expect(argv.join(' ')).not.toContain(vakt.secret);
    const app = argv.find((a) => a.startsWith('--app='))?.slice('--app='.length) ?? '';
    expect(app).toMatch(new RegExp(`^${vakt.origin}/#c=[A-Za-z0-9_-]{43}$`));

    await page.goto(app);
    await expect(page.getByTestId('host')).toHaveText('browser');
    expect(page.url()).toBe(`${vakt.origin}/`);
    await page.reload(); // the secret is kept for the tab, the code is not needed again
    await expect(page.getByTestId('host')).toHaveText('browser');

    const other = await browser.newPage();
    await other.goto(app);
    await expect(other.getByText(/this launch link was already used or has expired/)).toBeVisible();
    await other.close();
  } finally {
    await stopVakt(vakt);
    rmSync(dir, { recursive: true, force: true });
  }
});
