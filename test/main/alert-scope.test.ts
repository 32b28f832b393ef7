/**
 * Whose alerts a device raises (main/alerts/scope.ts, issue 17 item 4), over a real SQLite store:
 * a technician gets the tickets assigned to him and those of the contracts his rota covers; a
 * duty officer every ticket; the user's setting overrides the role's default.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { scopedPlanner } from '../../main/alerts/scope.js';
import { planDue } from '../../main/alerts/plan-due.js';
import { IndexedMinHeap } from '../../main/alerts/heap.js';
import { OpenAlerts } from '../../main/alerts/open-alerts.js';
import { DEFAULT_ALERT_SETTINGS } from '../../main/alerts/types.js';
import type { AlertSettings, PlanResult } from '../../main/alerts/types.js';
import { cleanupTempDirs, sampleContract, testStore, T0 } from '../db/helpers.js';

afterEach(cleanupTempDirs);

function setup(role: 'technician' | 'duty_officer', owned = false) {
  const { store } = testStore();
  store.sync.enrol({ serverUrl: 'http://127.0.0.1:1', tenantId: 'tn', deviceId: 'dev-1', role, casePrefix: 'K7', userId: 'u-ola', userName: 'Ola' });
  const cust = store.customers.createCustomer({ name: 'Hansen A/S' });
  const covered = store.customers.createContract(sampleContract(cust.id, { intakeFields: [], agreementNumber: 'SA-1' }));
  const elsewhere = store.customers.createContract(sampleContract(cust.id, { intakeFields: [], agreementNumber: 'SA-2' }));
  const reg = (contractId: string, assignee: string | null) => store.tickets.register({ customerId: cust.id, contractId, channel: 'phone', policy: 'normal', assignee });
  const mine = reg(elsewhere.id, ' ola ');
  const kari = reg(elsewhere.id, 'Kari');
  const onRota = reg(covered.id, null);
  store.oncall.putRota({
    name: 'Field',
    timezone: 'Europe/Copenhagen',
    members: [{ userId: 'u-ola', name: 'Ola' }],
    lead: null,
    contractIds: [covered.id],
    week: [{ day: 'sat', start: '22:00', end: '06:00', person: 'u-ola', backup: null }],
    overrides: [],
    escalation: { ackMinutes: 10, repeat: 1 },
  });
  // `owned`: the plan carries the ticket's assignee and contract, as planning read them (SlaPlanner, the change's plan).
  const owner = (id: string) => ({ assignee: store.tickets.get(id)!.assignee, contractId: store.tickets.get(id)!.contractId });
  const inner = {
    plan: async (ticketId: string, t: number): Promise<PlanResult> => ({
      candidates: [{ ticketId, caseNumber: 'K7-1', target: 'response', kind: 'breach', dueAt: t, critical: true, text: 'Response deadline passed' }],
      nextAt: t + 1000,
      ...(owned ? { owner: owner(ticketId) } : {}),
    }),
  };
  const reads: string[] = [];
  const ticket = async (id: string) => (reads.push(id), store.tickets.get(id));
  const planner = scopedPlanner(inner, { enrolment: async () => store.sync.enrolment(), rotas: async () => store.oncall.rotas(), ticket });
  const alerted = async (settings: AlertSettings = DEFAULT_ALERT_SETTINGS) => {
    const out: string[] = [];
    for (const [name, t] of Object.entries({ mine, kari, onRota })) {
      const r = await planner.plan(t.id, T0, settings);
      expect(r.nextAt).toBe(T0 + 1000); // the ticket is still planned, only its alerts are not raised here
      if (r.candidates.length) out.push(name);
    }
    return out;
  };
  /** A plan made by the change that wrote the ticket (main/tickets/sla.ts) goes to the scheduler as it is: through planDue, as the scheduler does. */
  const admitted = async (settings: AlertSettings = DEFAULT_ALERT_SETTINGS) => {
    const out: string[] = [];
    for (const [name, t] of Object.entries({ mine, kari, onRota })) {
      const given = await inner.plan(t.id, T0);
      const { fresh } = await planDue([{ id: t.id, at: T0, plan: given }], T0, settings, { planner, heap: new IndexedMinHeap<string>(), open: new OpenAlerts() });
      if (fresh.length) out.push(name);
    }
    return out;
  };
  return { alerted, admitted, reads };
}

describe('alert scope', () => {
  it("a plan made by the change (desk.act, a pull) passes the same scope: the technician is not alerted for Kari's ticket", async () => {
    const { admitted } = setup('technician');
    expect(await admitted()).toEqual(['mine', 'onRota']);
  });

  it("a technician is alerted for his tickets and his rota's contracts; with `all`, for everything", async () => {
    const { alerted } = setup('technician');
    expect(await alerted()).toEqual(['mine', 'onRota']);
    expect(await alerted({ ...DEFAULT_ALERT_SETTINGS, alertScope: 'all' })).toEqual(['mine', 'kari', 'onRota']);
  });

  it("a plan carrying its ticket's owner is scoped without reading the ticket again", async () => {
    const { alerted, admitted, reads } = setup('technician', true);
    expect(await alerted()).toEqual(['mine', 'onRota']);
    expect(await admitted()).toEqual(['mine', 'onRota']);
    expect(reads).toEqual([]);
  });

  it('a duty officer is alerted for everything; with `mine`, for his own', async () => {
    const { alerted } = setup('duty_officer');
    expect(await alerted()).toEqual(['mine', 'kari', 'onRota']);
    expect(await alerted({ ...DEFAULT_ALERT_SETTINGS, alertScope: 'mine' })).toEqual(['mine', 'onRota']);
  });
});
