/**
 * The role matrix: which role may make which change (docs/sync.md "Roles"). The server enforces
 * it on every pushed mutation (server/roles.ts, `forbidden`); the UI can read the same table.
 *
 * Decided from what the agreements' organisations do (/work/shared/seeds): the duty desk
 * registers, prioritises and distributes cases, answers the customer and keeps the contracts; a
 * technician diagnoses and repairs, on site or at the bench, logs the work and resolves the cases
 * given to them; an admin runs the tenant and may stand in for either. Talking to the customer
 * (the response, updates, callbacks) is anyone's who reaches them, a technician on site included:
 * each such event carries who, which device, the claimed and the receipt time (docs/sync.md
 * "Event times"), so the SLA report shows who answered, and a backdated one is refused.
 *
 * A cell is one of:
 * - `yes`: on any ticket or record of the tenant;
 * - `own`: only on a ticket that is the person's own: assigned to them (the assignee is the name the
 *   admin enrolled them under, case and surrounding spaces aside) or registered on this device;
 * - `own_or_unassigned`: as `own`, or a ticket nobody is assigned to (taking a free case);
 * - `new`: only a record that is not on the server yet (add, not change);
 * - `no`: never.
 */
import type { MutationKey, MutationPayload, RecordKind, Role, SyncEventType } from './mutations.js';

export type Permission = 'yes' | 'own' | 'own_or_unassigned' | 'new' | 'no';

type EventAction = `ticket.event:${Exclude<SyncEventType, 'created'>}`;
type RecordAction = `record.put:${RecordKind}`;
/** Typed from the event types and record kinds: a new one does not compile until its row is decided. */
export type RoleAction =
  'ticket.create' | EventAction | 'ticket.setPriority' | 'ticket.assign' | 'ticket.edit' | 'ticket.setIntake' | 'conflict.resolve' | 'alert.ack' | 'user.setAlertScope' | RecordAction;

/** What each action is, in words (the `forbidden` message and the docs' table). */
export const ACTION_TEXT: Record<RoleAction, string> = {
  'ticket.create': 'register a ticket',
  'ticket.event:responded': 'record the response to the customer (stops the response clock)',
  'ticket.event:status': "change a ticket's status (resolve, close, wait, reopen)",
  'ticket.event:update_logged': 'log an update to the customer',
  'ticket.event:policy_changed': "change a ticket's SLA policy",
  'ticket.event:note': 'add a note',
  'ticket.event:callback': 'schedule a callback',
  'ticket.event:escalation': 'escalate a ticket',
  'ticket.event:time_entry': 'log time',
  'ticket.event:visit': 'log a visit',
  'ticket.event:assigned': 'assign a ticket (timeline entry)',
  'ticket.event:edited': "edit a ticket's text (timeline entry)",
  'ticket.event:visit_step': 'log a visit step (on the way, arrived, ...)',
  'ticket.event:parts': 'log parts used',
  'ticket.event:checklist': 'fill in a checklist',
  'ticket.event:acceptance': "record the customer's acceptance",
  'ticket.event:photo': 'add a photo',
  'ticket.setPriority': "change a ticket's priority",
  'ticket.assign': 'assign a ticket',
  'ticket.edit': "edit a ticket's text fields",
  'ticket.setIntake': "change a ticket's intake values",
  'conflict.resolve': 'resolve an edit conflict',
  'record.put:customer': 'add or change a customer',
  'record.put:contract': 'add or change a contract',
  'record.put:contact': "add, change or remove a contract's authorised contact",
  'record.put:site': 'add or change a site',
  'record.put:asset': 'add or change an asset',
  'record.put:rota': 'change an on-call rota (shifts, overrides, escalation)',
  'record.put:outage': "record or change a service's outage (start, end)",
  'alert.ack': 'acknowledge or snooze an alert (as oneself)',
  'user.setAlertScope': 'choose whose tickets alert oneself (as oneself)',
};

/** A technician's column; the duty officer and the admin may do everything. */
const TECHNICIAN: Record<RoleAction, Permission> = {
  'ticket.create': 'yes',
  'ticket.event:responded': 'yes',
  'ticket.event:status': 'own',
  'ticket.event:update_logged': 'yes',
  'ticket.event:policy_changed': 'no',
  'ticket.event:note': 'yes',
  'ticket.event:callback': 'yes',
  'ticket.event:escalation': 'own',
  'ticket.event:time_entry': 'yes',
  'ticket.event:visit': 'yes',
  'ticket.event:assigned': 'own_or_unassigned',
  'ticket.event:edited': 'own',
  'ticket.event:visit_step': 'yes',
  'ticket.event:parts': 'yes',
  'ticket.event:checklist': 'yes',
  'ticket.event:acceptance': 'yes',
  'ticket.event:photo': 'yes',
  'ticket.setPriority': 'no',
  'ticket.assign': 'own_or_unassigned',
  'ticket.edit': 'own',
  'ticket.setIntake': 'own',
  'conflict.resolve': 'no',
  'record.put:customer': 'new',
  'record.put:contract': 'no',
  'record.put:contact': 'no',
  'record.put:site': 'yes',
  'record.put:asset': 'yes',
  // A technician on the rota swaps shifts ("I take Saturday night for Mette").
  'record.put:rota': 'yes',
  // A technician on site records when the service went down and came back (issue 20).
  'record.put:outage': 'yes',
  // The ack is the device's own user's (server/alert-acks.ts takes the user from the token).
  'alert.ack': 'yes',
  // One's own setting: the server takes the user from the token (server/user-settings.ts).
  'user.setAlertScope': 'yes',
};

export const ROLE_ACTIONS = Object.keys(ACTION_TEXT) as RoleAction[];

export const ROLE_MATRIX: Record<RoleAction, Record<Role, Permission>> = Object.fromEntries(ROLE_ACTIONS.map((a) => [a, { duty_officer: 'yes', technician: TECHNICIAN[a], admin: 'yes' }])) as Record<
  RoleAction,
  Record<Role, Permission>
>;

/** The row of the matrix a (parsed) mutation falls under. */
export function roleAction(key: MutationKey, payload: unknown): RoleAction {
  switch (key) {
    case 'ticket.create@1':
    case 'ticket.create@2':
      return 'ticket.create';
    case 'ticket.event@1': {
      const e = (payload as MutationPayload<'ticket.event@1'>).event;
      // The `edited` entry of a priority change is that change (the app writes both): refused with it.
      const fields = e.type === 'edited' ? (e.data as { fields?: unknown }).fields : undefined;
      if (fields !== null && typeof fields === 'object' && 'priority' in fields) return 'ticket.setPriority';
      return `ticket.event:${e.type}`;
    }
    case 'record.put@1':
      return `record.put:${(payload as MutationPayload<'record.put@1'>).kind}`;
    default:
      return key.slice(0, key.indexOf('@')) as RoleAction;
  }
}

/** Whether `assignee` names the person enrolled as `userName`. */
export function isAssignedTo(assignee: string | null, userName: string): boolean {
  return assignee !== null && assignee.trim().toLowerCase() === userName.trim().toLowerCase() && assignee.trim() !== '';
}

/** A role's column of the matrix (what the UI may offer a device enrolled with it); null for no or an unknown role. */
export function permissionsOf(role: string | null | undefined): Record<RoleAction, Permission> | null {
  if (role !== 'duty_officer' && role !== 'technician' && role !== 'admin') return null;
  return Object.fromEntries(ROLE_ACTIONS.map((a) => [a, ROLE_MATRIX[a][role]])) as Record<RoleAction, Permission>;
}
