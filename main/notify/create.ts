import type { Notifier } from './notifier.js';
import { MemoryNotifier } from './notifier.js';

/**
 * The notifier for a host: on Linux `org.freedesktop.Notifications` over
 * D-Bus (actions, sound, replaces_id); node-notifier on macOS and Windows.
 * `VAKT_NOTIFIER=memory` records only (tests, headless CI). Only the chosen
 * backend's library is loaded (a start on Linux does not load node-notifier).
 */
export async function createNotifier(
  _host: 'electron' | 'browser',
  env: NodeJS.ProcessEnv = process.env,
  log: (msg: string, err?: unknown) => void = () => {},
  platform: NodeJS.Platform = process.platform,
): Promise<Notifier> {
  if (env.VAKT_NOTIFIER === 'memory') return new MemoryNotifier();
  if (platform === 'linux') return new (await import('./dbus.js')).DbusNotifier(log);
  return new (await import('./node-notifier.js')).NodeNotifier();
}
