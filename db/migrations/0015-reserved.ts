/**
 * 0015: reserved for the maintenance plans of issue 20 (another branch, G1).
 * A placeholder so that 0016 has its place in this branch; when the branches
 * are merged, G1's 0015 replaces this file (it changes nothing).
 */
import type { Migration } from './types.js';

export const migration: Migration = {
  version: 15,
  name: 'reserved',
  up() {},
};
