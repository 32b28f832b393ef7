/** The zone a contract's months (SLA report) and dates (report windows, warranty) are read in. */
import type { Contract as SlaContract } from '../../core/sla/index.js';
import type { Contract } from '../../db/repos/customers.js';

/** The default policy's calendar's zone, else the first calendar's, else `fallback` (the user's). */
export function contractZone(c: Pick<Contract, 'defaultPolicy'>, sla: SlaContract, fallback: string): string {
  const pol = (c.defaultPolicy && sla.policies.get(c.defaultPolicy)) || [...sla.policies.values()][0];
  return (pol && sla.calendars.get(pol.calendar)?.timezone) ?? [...sla.calendars.values()][0]?.timezone ?? fallback;
}
