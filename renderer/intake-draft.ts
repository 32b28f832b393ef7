/**
 * The call being taken, kept in localStorage while it is typed (issue 15 item
 * 3): a switch of views (Alt+2, Alt+1) or a restart of the app brings it back
 * as it was. The support code is not kept (it is checked again). Cleared when
 * the call is registered or "Next call" / "Change caller" starts another.
 */
import type { TicketChannel } from '../core/domain/index.js';

export type Auth = { kind: 'contact'; contactId: string; name: string } | { kind: 'code' };

export interface IntakeDraft {
  intakeId: string;
  query: string;
  contractId: string | null;
  auth: Auth | null;
  policy: string;
  critical: boolean;
  channel: TicketChannel;
  reporterName: string;
  reporterPhone: string;
  title: string;
  description: string;
  intake: Record<string, string>;
}

const KEY = 'vakt.intakeDraft';

export function loadDraft(): IntakeDraft | null {
  try {
    const d = JSON.parse(localStorage.getItem(KEY) ?? 'null') as IntakeDraft | null;
    return d && typeof d === 'object' && typeof d.intakeId === 'string' ? d : null;
  } catch {
    return null;
  }
}

export function saveDraft(d: IntakeDraft): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(d));
  } catch {
    // storage full or denied: the draft lives as long as the view
  }
}

export function clearDraft(): void {
  localStorage.removeItem(KEY);
}
