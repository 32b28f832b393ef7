/**
 * 0015: reserved for slice G1 of issue 20 (its own migration takes this number
 * when the branches are merged; this file is then deleted). A no-op here, so
 * that 0017 (scheduled reports and warranty) can be numbered as agreed.
 */
import type { Migration } from './types.js';

export const migration: Migration = {
  version: 15,
  name: 'reserved-for-g1',
  up() {},
};
