import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The OS's per-user app-data folder, the same one Electron's
 * `app.getPath('userData')` uses for an app named Vakt, so that both hosts
 * share one data dir.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  if (env.VAKT_DATA_DIR) return resolve(env.VAKT_DATA_DIR);
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Vakt');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Vakt');
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'Vakt');
}

/** `--data-dir D` (or `--data-dir=D`) from argv, else the default. */
export function resolveDataDir(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): string {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--data-dir' && argv[i + 1]) return resolve(argv[i + 1] as string);
    if (a?.startsWith('--data-dir=')) return resolve(a.slice('--data-dir='.length));
  }
  return defaultDataDir(env);
}
