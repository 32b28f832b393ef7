import { describe, expect, it } from 'vitest';
import { ticketAction } from '../../../core/api/desk.js';
import type { TicketAction } from '../../../core/api/desk.js';
import { actionEffect, transitionProblem } from '../../../core/tickets/actions.js';
import type { ActionInput } from '../../../core/tickets/actions.js';

const parse = (a: TicketAction): ActionInput => ticketAction.parse(a);

describe('core/tickets/actions', () => {
  it('maps each action to the event it appends and the status it leaves', () => {
    expect(actionEffect('open', parse({ type: 'respond', text: 'On it' }))).toEqual({ event: { type: 'responded', data: { text: 'On it' } }, status: 'open' });
    expect(actionEffect('open', parse({ type: 'callback', channel: 'email', reached: 'Mette', text: 'x', nextCallbackAt: Date.UTC(2026, 2, 27, 16) })).event).toEqual({
      type: 'callback',
      data: { reached: 'Mette', channel: 'email', text: 'x', countsAsUpdate: true, nextCallbackAt: Date.UTC(2026, 2, 27, 16) },
    });
    expect(actionEffect('open', parse({ type: 'pause', reason: 'waiting_on_vendor' })).status).toBe('waiting_on_vendor');
    expect(actionEffect('waiting_on_customer', parse({ type: 'resume' }))).toEqual({ event: { type: 'status', data: { status: 'open', text: null } }, status: 'open' });
    expect(actionEffect('closed', parse({ type: 'reopen' })).status).toBe('open');
    expect(actionEffect('open', parse({ type: 'resolve' })).status).toBe('resolved');
    expect(actionEffect('resolved', parse({ type: 'close' })).status).toBe('closed');
    expect(actionEffect('open', parse({ type: 'escalate', to: 'vendor', vendorRef: 'C-1' })).event).toEqual({ type: 'escalation', data: { level: 3, to: 'vendor C-1', reason: null } });
    expect(actionEffect('open', parse({ type: 'escalate', to: 'level2' })).event.data.level).toBe(2);
    expect(actionEffect('waiting_on_customer', parse({ type: 'note', text: 'n' }))).toEqual({ event: { type: 'note', data: { text: 'n' } }, status: 'waiting_on_customer' });
    expect(actionEffect('open', parse({ type: 'priority', policy: 'high' })).event).toEqual({ type: 'policy_changed', data: { policy: 'high', reason: null } });
    expect(actionEffect('open', parse({ type: 'assign', assignee: 'Ole' })).event).toEqual({ type: 'assigned', data: { assignee: 'Ole' } });
  });

  it('says why a status does not allow an action', () => {
    expect(transitionProblem('waiting_on_customer', 'pause')).toBe('the ticket is waiting_on_customer; only an open ticket can be paused');
    expect(transitionProblem('open', 'resume')).toBe('the ticket is open, not paused');
    expect(transitionProblem('resolved', 'resolve')).toBe('the ticket is already resolved');
    expect(transitionProblem('open', 'reopen')).toBe('the ticket is open, not resolved or closed');
    expect(transitionProblem('closed', 'close')).toBe('the ticket is already closed');
    expect(transitionProblem('open', 'pause')).toBeNull();
    expect(transitionProblem('resolved', 'close')).toBeNull();
    expect(transitionProblem('closed', 'note')).toBeNull();
  });
});
