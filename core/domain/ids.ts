/**
 * What may be a calendar or policy id (from a file, the network or a form): the one rule, used by the
 * contract checks (core/sla), the zod maps keyed by id (core/id-schema.ts) and the policy editor.
 */
import { issue } from './issue-keys.js';
import type { KeyedIssue } from './issue-keys.js';

/** Names every JavaScript object has (Object.prototype's, and `prototype`): an id among them would be mistaken for them. */
const RESERVED_IDS = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/** Why `id` cannot be one (an issue at `path`), or null when it can. */
export function idIssue(path: string, id: string): KeyedIssue | null {
  if (id.trim() === '') return issue(path, 'idEmpty');
  if (RESERVED_IDS.has(id)) return issue(path, 'idReserved', { id, names: [...RESERVED_IDS].slice(0, 4).join(', ') });
  return null;
}
