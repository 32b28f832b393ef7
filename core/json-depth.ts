/**
 * How deep a JSON text nests, counted without parsing: what walks a parsed
 * value (validation, cloning, the SLA engine, JSON.stringify) recurses, so a
 * hostile body nested thousands of levels deep must be refused before it is
 * parsed. Used by both HTTP entry points: the sync server (server/bodies.ts) and the
 * browser shell (main/hosts/http/body.ts).
 */

/** Deepest nesting of arrays and objects a JSON body may have: far above any real request (a contract nests about a dozen), far below the stack. */
export const MAX_JSON_DEPTH = 64;

/** The deepest nesting of arrays and objects in a JSON text (strings skipped). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) max = depth;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

/**
 * Whether a value already parsed or structured-cloned (an IPC request) nests
 * arrays and objects deeper than `max`. Walks iteratively, so the walk itself
 * cannot exhaust the stack, and stops at the first node that is too deep.
 */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}
