/**
 * The zod form of an instant that enters core's contracts (IPC requests,
 * sync mutations): integer epoch milliseconds inside the one supported range
 * of core/time-range.ts, with a message that names the range.
 */
import { z } from 'zod';
import { END_OF_RANGE_MS, EARLIEST_INSTANT_MS, INSTANT_RANGE_TEXT } from './time-range.js';

const RANGE_MESSAGE = `must be an instant ${INSTANT_RANGE_TEXT}`;

/** Epoch milliseconds of an instant in the supported range. */
export const instantMs = z
  .number()
  .int('must be epoch milliseconds (an integer)')
  .min(EARLIEST_INSTANT_MS, RANGE_MESSAGE)
  .max(END_OF_RANGE_MS - 1, RANGE_MESSAGE);
