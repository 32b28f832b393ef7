/**
 * Enforces the role matrix (core/sync/roles.ts, docs/sync.md "Roles") on a pushed mutation, after its
 * schema and checks and before anything of it is stored: a change the person's role may not make is
 * `forbidden`, with a message naming the role and the change. An `own` cell reads the ticket (one
 * round trip, only for such cells); an unknown ticket is left to the mutation (`unknown_ticket`).
 */
import { ACTION_TEXT, ROLE_MATRIX, isAssignedTo, roleAction } from '../core/sync/roles.js';
import type { Permission } from '../core/sync/roles.js';
import type { MutationKey, Role } from '../core/sync/mutations.js';
import type { Principal } from './auth.js';
import type { MutationProblem } from './checks.js';
import type { Queryable } from './db.js';

const ROLE_TEXT: Record<Role, string> = { duty_officer: 'A duty officer', technician: 'A technician', admin: 'An admin' };

const LIMITED: Record<Exclude<Permission, 'yes' | 'no'>, string> = {
  own: 'only on tickets assigned to them or registered on their device',
  own_or_unassigned: 'only on tickets assigned to them, registered on their device, or assigned to nobody',
  new: 'only add one that is not on the server yet, not change one',
};

export async function roleProblem(tx: Queryable, p: Principal, key: MutationKey, payload: unknown): Promise<MutationProblem | null> {
  const action = roleAction(key, payload);
  const cell = ROLE_MATRIX[action][p.role];
  if (cell === 'yes') return null;
  const refuse = (why: string): MutationProblem => ({
    reason: 'forbidden',
    message: `${ROLE_TEXT[p.role]} (${p.role}) may not ${ACTION_TEXT[action]} (${key})${why}.`,
  });
  if (cell === 'no') return refuse('');
  if (cell === 'new') {
    const r = await tx.query('SELECT 1 FROM records WHERE tenant_id = $1 AND id = $2', [p.tenantId, (payload as { id: string }).id]);
    return r.rows.length ? refuse(`: ${LIMITED.new}`) : null;
  }
  const ticketId = (payload as { ticketId: string }).ticketId;
  const r = await tx.query<{ assignee: string | null; created_by: string }>('SELECT assignee, created_by FROM tickets WHERE tenant_id = $1 AND id = $2', [p.tenantId, ticketId]);
  const t = r.rows[0];
  if (!t) return null;
  if (t.created_by === p.deviceId || isAssignedTo(t.assignee, p.userName)) return null;
  if (cell === 'own_or_unassigned' && (t.assignee === null || t.assignee.trim() === '')) return null;
  return refuse(`: ${LIMITED[cell]}; this ticket is ${t.assignee ? `assigned to ${t.assignee}` : 'assigned to nobody'}`);
}
