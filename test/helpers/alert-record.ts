/**
 * One alert for a test, as the scheduler keeps it and the store records it: an active, critical breach
 * of ticket t1's response target, raised at its due instant and never shown. `over` changes any field;
 * the key follows the fields (alertKey) unless given.
 */
import { alertKey } from '../../main/alerts/types.js';
import type { Alert } from '../../main/alerts/types.js';

export function alertRecord(over: Partial<Alert> & Pick<Alert, 'dueAt'>): Alert {
  const a: Omit<Alert, 'key'> = {
    ticketId: 't1',
    caseNumber: 'K7-0001',
    target: 'response',
    kind: 'breach',
    critical: true,
    text: 'Response deadline passed',
    state: 'active',
    raisedAt: over.dueAt,
    notifiedAt: null,
    snoozedUntil: null,
    held: false,
    closedAt: null,
    ...over,
  };
  return { key: alertKey(a), ...a };
}
