/**
 * A monotonic stopwatch for measuring how long something took (slow-query
 * logs, the open report). Durations only: never an instant, never stored as
 * time of day. Domain time comes from the injected Clock.
 */
export function stopwatch(): () => number {
  const start = process.hrtime.bigint();
  return () => Number(process.hrtime.bigint() - start) / 1e6;
}
