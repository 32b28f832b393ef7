/**
 * A push's mutators, one file per mutation family: tickets (create, event), fields (last writer
 * wins), conflicts (edit, resolve), records, alert acks (server/alert-acks.ts) and a user's settings
 * (server/user-settings.ts). `runMutation`
 * applies one mutation whose payload has passed its schema and checks (server/push.ts).
 */
import type { MutationPayload } from '../../core/sync/mutations.js';
import { alertAckWrite } from '../alert-acks.js';
import { setAlertScope } from '../user-settings.js';
import { editField, resolveConflict } from './conflicts.js';
import { setLww } from './fields.js';
import { putRecord } from './records.js';
import { Rejection } from './state.js';
import type { Applied, PushState } from './state.js';
import { addEvent, createTicket } from './tickets.js';

export async function runMutation(s: PushState, key: string, payload: unknown, hlc: string): Promise<Applied> {
  switch (key) {
    case 'ticket.create@1':
    case 'ticket.create@2':
      return createTicket(s, payload as MutationPayload<'ticket.create@2'>, hlc);
    case 'ticket.event@1':
      return addEvent(s, payload as MutationPayload<'ticket.event@1'>, hlc);
    case 'ticket.setPriority@1':
    case 'ticket.assign@1':
    case 'ticket.setIntake@1':
      // What it sets and wins: core/sync/replay.ts, as devices replay it.
      return setLww(s, key, payload as { ticketId: string }, hlc);
    case 'ticket.edit@1':
      return editField(s, payload as MutationPayload<'ticket.edit@1'>, hlc);
    case 'conflict.resolve@1':
      return resolveConflict(s, payload as MutationPayload<'conflict.resolve@1'>, hlc);
    case 'record.put@1':
      return putRecord(s, payload as MutationPayload<'record.put@1'>, hlc);
    case 'alert.ack@1': {
      const m = payload as MutationPayload<'alert.ack@1'>;
      await s.ticket(m.ticketId);
      const w = alertAckWrite(m, s.p, hlc, s.version, s.now);
      await s.write(w.sql, w.params);
      return {};
    }
    case 'user.setAlertScope@1':
      return setAlertScope(s, payload as MutationPayload<'user.setAlertScope@1'>, hlc);
    default:
      throw new Rejection('unknown_mutation');
  }
}

export { deferLate } from './fields.js';
export { PushState, Rejection } from './state.js';
