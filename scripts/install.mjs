#!/usr/bin/env node
// Installs Vakt's dependencies and builds it: the README's install step.
//
// Electron's binary comes from Electron's download host. Where that host
// cannot be reached (an offline machine, a locked-down CI), the install goes
// on without the binary (ELECTRON_SKIP_BINARY_DOWNLOAD=1) and says so; `npm
// start` then runs the browser shell. Where it can, Electron installs for real.
// better-sqlite3 is built for Node here; `npm run dist` rebuilds it for
// Electron with electron-builder's install-app-deps.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request } from 'node:https';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const say = (msg) => process.stderr.write(`vakt install: ${msg}\n`);

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  say(`Node ${process.versions.node} is too old: Vakt needs Node 20.19 or newer.`);
  process.exit(1);
}

function reachable(url, timeoutMs = 5000) {
  return new Promise((resolve) => {
    const req = request(url, { method: 'HEAD', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.on('error', () => resolve(false));
    req.end();
  });
}

const env = { ...process.env };
if (env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  say('ELECTRON_SKIP_BINARY_DOWNLOAD is set: installing without the Electron binary.');
} else {
  const host = env.ELECTRON_MIRROR ?? 'https://github.com/electron/electron/releases';
  if (await reachable(host)) {
    say(`Electron's download host (${new URL(host).host}) answers: installing Electron for real.`);
  } else {
    env.ELECTRON_SKIP_BINARY_DOWNLOAD = '1';
    say(`Electron's download host (${new URL(host).host}) cannot be reached: skipping the Electron binary.`);
    say('The app will run as the browser shell (`npm start` says so); re-run this step online to get the desktop app.');
  }
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const fresh = !existsSync(join(root, 'node_modules', '.package-lock.json'));
const args = fresh ? ['ci', '--no-audit', '--no-fund'] : ['install', '--no-audit', '--no-fund'];
say(`npm ${args[0]} (better-sqlite3 compiles from source where no prebuilt binary can be fetched: about a minute)`);
execFileSync(npm, args, { cwd: root, env, stdio: 'inherit' });
execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, env, stdio: 'inherit' });
say('done. Run the app with: npm start');
