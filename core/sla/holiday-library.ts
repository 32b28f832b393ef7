/**
 * The public-holiday library the engine reads (`date-holidays`), behind one
 * function: the built app loads it on first use, not at every start (issue 19;
 * with moment-timezone and astronomia it is 1.6 MB of code and data, ~85 ms of
 * CPU and 8 MB of heap, and a calendar without holidays never needs it).
 * scripts/build-node.mjs bundles scripts/holiday-library-node.mjs in this
 * module's place, which requires the package from node_modules the first time a
 * calendar with holidays is checked or compiled. Tests, tsx and dist/core run
 * this static import; both give the same library.
 */
import Holidays from 'date-holidays';

export type HolidayLibrary = typeof Holidays;

/** The `date-holidays` class. */
export function holidayLibrary(): HolidayLibrary {
  return Holidays;
}
