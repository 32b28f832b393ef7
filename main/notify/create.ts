import type { Notifier } from './notifier.js';
import { MemoryNotifier } from './notifier.js';
import { NodeNotifier } from './node-notifier.js';

/**
 * The notifier for a host: node-notifier (notify-send on Linux, native on
 * macOS and Windows). `VAKT_NOTIFIER=memory` records only (tests, headless CI).
 */
export async function createNotifier(_host: 'electron' | 'browser', env: NodeJS.ProcessEnv = process.env): Promise<Notifier> {
  if (env.VAKT_NOTIFIER === 'memory') return new MemoryNotifier();
  return new NodeNotifier();
}
