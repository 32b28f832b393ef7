// Installs the Debian packages the test suite drives for real, when missing
// and when apt is available (CI runs as root): Chromium for Playwright,
// Xvfb + D-Bus + dunst + libnotify for OS notifications, poppler for PDF pages,
// PostgreSQL for the sync server tests.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const PACKAGES = ['chromium', 'xvfb', 'dbus', 'dbus-x11', 'dunst', 'libnotify-bin', 'poppler-utils', 'postgresql'];

function installed(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

export function ensureSystemPackages(log = (m) => process.stderr.write(m + '\n')) {
  if (!existsSync('/usr/bin/apt-get')) {
    log('system packages: no apt-get here; tests that need Chromium, Xvfb or PostgreSQL need them installed by hand');
    return;
  }
  const missing = PACKAGES.filter((p) => !installed(p));
  if (missing.length === 0) return;
  const sudo = process.getuid?.() === 0 ? [] : ['sudo', '-n'];
  log(`system packages: installing ${missing.join(' ')}`);
  const run = (args) => execFileSync(sudo[0] ?? args[0], sudo.length ? [...sudo.slice(1), ...args] : args.slice(1), { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  run(['apt-get', 'update', '-qq']);
  run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...missing]);
}
