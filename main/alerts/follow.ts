/**
 * Acks and snoozes follow the person (issue 17 item 4; docs/alerts.md "Acks
 * and snoozes follow the person"): an alert someone acknowledged on another
 * device (the server has the ack) is acknowledged here too; one this user
 * snoozed on another device is snoozed here until the same instant. The
 * scheduler asks before it shows an alert and whenever a pull brings acks.
 */
import type { Alert } from './types.js';

/** What other devices did to alerts, by key (the store's `oncall.elsewhere`). */
export type Elsewhere = (alertKeys: string[]) => Promise<{ alertKey: string; acked: boolean; snoozedUntil: number | null }[]>;

/** Splits active alerts into those acknowledged elsewhere (keys), those to snooze here (updated), and the rest. */
export async function followElsewhere(alerts: Alert[], now: number, elsewhere?: Elsewhere): Promise<{ acked: string[]; snoozed: Alert[]; rest: Alert[] }> {
  if (!elsewhere || !alerts.length) return { acked: [], snoozed: [], rest: alerts };
  const by = new Map((await elsewhere(alerts.map((a) => a.key))).map((e) => [e.alertKey, e]));
  const out = { acked: [] as string[], snoozed: [] as Alert[], rest: [] as Alert[] };
  for (const a of alerts) {
    const e = by.get(a.key);
    if (e?.acked) out.acked.push(a.key);
    else if (e?.snoozedUntil != null && e.snoozedUntil > now) {
      if (a.snoozedUntil !== e.snoozedUntil) out.snoozed.push({ ...a, snoozedUntil: e.snoozedUntil });
    } else out.rest.push(a);
  }
  return out;
}
