/**
 * 0017: reserved for another branch of this session (a device migration being merged now).
 * A placeholder so that 0018 has its place in this branch; when the branches
 * are merged, that branch's 0017 replaces this file (it changes nothing).
 */
import type { Migration } from './types.js';

export const migration: Migration = {
  version: 17,
  name: 'reserved',
  up() {},
};
