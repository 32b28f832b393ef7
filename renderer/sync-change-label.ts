/**
 * Which change a refused mutation was, in the person's language (the sync panel's list of refusals):
 * a timeline entry by its event label (a status change with the status), a field change with its
 * value, a record by its kind. Uses the labels the timeline and the status badges use.
 */
import type { TFunction } from 'i18next';
import { TICKET_FIELDS, isTicketTextField } from '../core/domain/ticket-fields.js';

interface Refused {
  name: string;
  payload: unknown;
  caseNumber: string | null;
  record: { kind: string; name: string | null } | null;
}

/** What the change was about: the ticket's case number, or the record's kind and name. */
export function subjectLabel(t: TFunction, r: Refused): string {
  return r.caseNumber ?? (r.record ? `${t(`sync.kinds.${r.record.kind}`, { defaultValue: r.record.kind })} ${r.record.name ?? ''}`.trim() : r.name);
}

export function changeLabel(t: TFunction, r: Refused): string {
  const p = (r.payload ?? {}) as Record<string, unknown>;
  switch (r.name) {
    case 'ticket.event': {
      const e = (p.event ?? {}) as { type?: string; data?: Record<string, unknown> };
      const type = String(e.type);
      const label = t(`event.${type}`, { defaultValue: type });
      return type === 'status' ? `${label}: ${t(`status.${String(e.data?.status)}`, { defaultValue: String(e.data?.status) })}` : label;
    }
    case 'ticket.create':
      return t('sync.change.create');
    case 'ticket.setPriority':
      return t('sync.change.priority', { value: p.priority ?? '–' });
    case 'ticket.assign':
      return t('sync.change.assign', { value: p.assignee ?? '–' });
    case 'ticket.edit':
      return t('sync.change.edit', { field: isTicketTextField(p.field) ? t(TICKET_FIELDS[p.field].label) : String(p.field) });
    case 'ticket.setIntake':
      return t('sync.change.intake');
    case 'conflict.resolve':
      return t('sync.change.conflict');
    case 'alert.ack':
      return t('sync.change.ack');
    case 'user.setAlertScope':
      return t('sync.change.alertScope');
    case 'record.put':
      return t(`sync.kinds.${r.record?.kind ?? String(p.kind)}`, { defaultValue: String(p.kind) });
    default:
      return r.name;
  }
}
