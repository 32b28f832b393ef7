// The built app's holiday library: scripts/build-node.mjs bundles this file in place of
// core/sla/holiday-library.ts (issue 19). `date-holidays` (with moment-timezone and astronomia,
// 1.6 MB of code and data) is required from node_modules the first time a calendar with public
// holidays is checked or compiled, not evaluated at every start; a store whose calendars have no
// holidays never loads it. The package's CommonJS build is the same library as its ES one.
import { createRequire } from 'node:module';

let library = null;

/** The `date-holidays` class, loaded on the first call. */
export function holidayLibrary() {
  library ??= createRequire(import.meta.url)('date-holidays');
  return library;
}
