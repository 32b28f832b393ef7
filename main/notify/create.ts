import { DbusNotifier } from './dbus.js';
import type { Notifier } from './notifier.js';
import { MemoryNotifier } from './notifier.js';
import { NodeNotifier } from './node-notifier.js';

/**
 * The notifier for a host: on Linux `org.freedesktop.Notifications` over
 * D-Bus (actions, sound, replaces_id); node-notifier on macOS and Windows.
 * `VAKT_NOTIFIER=memory` records only (tests, headless CI).
 */
export async function createNotifier(
  _host: 'electron' | 'browser',
  env: NodeJS.ProcessEnv = process.env,
  log: (msg: string, err?: unknown) => void = () => {},
  platform: NodeJS.Platform = process.platform,
): Promise<Notifier> {
  if (env.VAKT_NOTIFIER === 'memory') return new MemoryNotifier();
  if (platform === 'linux') return new DbusNotifier(log);
  return new NodeNotifier();
}
