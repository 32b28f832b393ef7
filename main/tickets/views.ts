/**
 * The desk's views of tickets, contracts and customers (core/api/desk.ts),
 * built from the store and the SLA engine: what the desk handlers answer.
 */
import { slaUnavailableIssue } from '../../core/sla/index.js';
import { visitOf } from '../../core/agreements/maintenance.js';
import { CRITICAL_PRIORITY, ticketPriority } from '../../core/domain/index.js';
import type { ContactView, ContractSummary, ContractView, CustomerView, EventView, PolicySetJson, PolicyView, TargetView, TicketDetail, TicketSummary } from '../../core/api/desk.js';
import type { Contract as SlaContract, TargetStatus, TicketEvent as SlaEvent } from '../../core/sla/index.js';
import { receivedLateMs } from '../../core/reports/index.js';
import type { Contract, Customer } from '../../db/repos/customers.js';
import type { Ticket } from '../../db/repos/tickets.js';
import { ApiFailure } from '../api/dispatch.js';
import type { AppContext } from '../app/context.js';
import { clockEvents } from './sla-events.js';
import { slaOf } from './schedule.js';
import type { SlaFailure } from './schedule.js';

export interface Evaluated {
  policy: string;
  targets: TargetView[];
  raw: TargetStatus[];
}

export const contactView = (c: ContactView): ContactView => ({ id: c.id, name: c.name, phone: c.phone, email: c.email, role: c.role });

export function summaryOf(c: Contract, customerName: string): ContractSummary {
  return { id: c.id, customerId: c.customerId, customerName, agreementNumber: c.agreementNumber, name: c.name };
}

export function policiesOf(c: Contract, wording: Record<string, string>): PolicyView[] {
  return Object.entries(c.policySet.policies).map(([id, p]) => ({
    id,
    name: typeof p.name === 'string' ? p.name : id,
    calendar: String(p.calendar ?? ''),
    wording: wording[id] ?? null,
  }));
}

export const evaluated = (e: Evaluated | SlaFailure | null): Evaluated | null => (e && 'targets' in e ? e : null);

/** The views over one app context. */
export function ticketViews(ctx: AppContext) {
  const store = ctx.store;

  async function wordingOf(contractId: string): Promise<Record<string, string>> {
    return ((await store.customers.getContract(contractId))?.wording as Record<string, string> | null) ?? {};
  }
  async function compiled(c: Contract): Promise<SlaContract> {
    return ctx.planner.contractFor({ contractId: c.id, contractVersion: c.version });
  }
  /** The compiled contract, or a clear refusal (path `contractId`) when its SLA cannot be computed (e.g. it arrived by sync). */
  async function compiledOrRefuse(c: Contract): Promise<SlaContract> {
    try {
      return await compiled(c);
    } catch (e) {
      throw ApiFailure.invalid([slaUnavailableIssue('contractId', e, { agreement: c.agreementNumber })]);
    }
  }
  async function customerName(id: string, cache?: Map<string, string>): Promise<string> {
    const hit = cache?.get(id);
    if (hit !== undefined) return hit;
    const name = (await store.customers.getCustomer(id))?.name ?? '?';
    cache?.set(id, name);
    return name;
  }

  function targetViews(targets: readonly TargetStatus[], sla: SlaContract, wording: Record<string, string>, policy: string, now: number): TargetView[] {
    return targets.map((t) => {
      const cal = sla.calendars.get(t.calendar);
      return {
        metric: t.metric,
        state: t.state,
        dueAt: t.dueAt,
        stoppedAt: t.stoppedAt,
        breached: t.breached,
        elapsedMinutes: t.elapsedMinutes,
        remainingMinutes: t.remainingMinutes,
        ...(t.missed !== undefined ? { missed: t.missed } : {}),
        startedAt: t.startedAt,
        timezone: cal?.timezone ?? ctx.timezone(),
        businessMinutesLeft: t.state === 'running' && t.dueAt !== null && cal ? Math.ceil(cal.openMs(now, Math.max(now, t.dueAt)) / 60_000) : null,
        wording: wording[`${policy}.${t.metric}`] ?? null,
        ...(t.trace ? { trace: t.trace } : {}),
      };
    });
  }

  /** The ticket's SLA now (from `events` in place of its stored ones, e.g. after an action), as views; a string: why it cannot be computed; null: it has none. */
  async function evaluate(t: Ticket, opts: { events?: readonly SlaEvent[]; explain?: boolean } = {}): Promise<Evaluated | SlaFailure | null> {
    const now = ctx.clock.now();
    const r = await slaOf(ctx, t, { ...opts, now });
    if (!r) return null;
    if (!r.ok) return r;
    return { policy: r.status.policy, targets: targetViews(r.status.targets, r.sla, await wordingOf(r.contract.id), r.status.policy, now), raw: r.status.targets };
  }


  async function summary(t: Ticket, cache: Map<string, string>, contracts: Map<string, Contract | null>): Promise<TicketSummary> {
    let agreement: string | null = null;
    let priorityName: string | null = null;
    if (t.contractId) {
      if (!contracts.has(t.contractId)) contracts.set(t.contractId, await store.customers.getContract(t.contractId));
      const c = contracts.get(t.contractId);
      agreement = c?.agreementNumber ?? null;
      const p = t.priority && c && Object.hasOwn(c.policySet.policies, t.priority) ? (c.policySet.policies[t.priority] as { name?: unknown }) : null;
      priorityName = typeof p?.name === 'string' ? p.name : null;
    }
    const e = await evaluate(t);
    const ev = evaluated(e);
    return {
      id: t.id,
      caseNumber: t.caseNumber,
      customerId: t.customerId,
      customerName: await customerName(t.customerId, cache),
      contractId: t.contractId,
      agreementNumber: agreement,
      policy: t.policy,
      status: t.status,
      // a ticket marked critical on a policy that is not (or no longer) the contract's critical one is shown by its policy
      priority: t.priority === CRITICAL_PRIORITY && t.policy ? ticketPriority(true, t.policy, (t.contractId && contracts.get(t.contractId)?.criticalPolicy) || null) : t.priority,
      channel: t.channel,
      assignee: t.assignee,
      title: t.title,
      reporterName: t.reporterName,
      reporterPhone: t.reporterPhone,
      priorityName,
      escalationLevel: t.escalationLevel,
      vendorRef: t.vendorRef,
      createdAt: t.createdAt,
      nextDueAt: t.nextDueAt,
      nextCallbackAt: t.nextCallbackAt,
      targets: ev?.targets ?? [],
      slaError: e && 'reason' in e ? e.reason : null,
      slaErrorIssues: e && 'reason' in e ? e.issues : null,
    };
  }
  const summaries = async (ts: Ticket[]) => {
    const names = new Map<string, string>();
    const contracts = new Map<string, Contract | null>();
    const out: TicketSummary[] = [];
    for (const t of ts) out.push(await summary(t, names, contracts));
    return out;
  };

  async function detail(t: Ticket): Promise<TicketDetail> {
    const base = await summary(t, new Map(), new Map());
    const ev = evaluated(await evaluate(t, { explain: true }));
    const log = await store.tickets.events(t.id);
    // Events that stop or pause a clock carry who sent them and when the server received them (docs/reports.md "Evidence").
    const clocks = new Map(clockEvents(t, log).map((c) => [c.eventId, c]));
    const events: EventView[] = log.map((e) => {
      const c = clocks.get(e.id);
      const receipt = c ? { deviceId: e.deviceId, deviceName: c.deviceName, receivedAt: c.receivedAt, lateMs: receivedLateMs(e.at, c.receivedAt) } : undefined;
      return { id: e.id, type: e.type, at: e.at, author: e.author, data: e.data, ...(receipt ? { receipt } : {}) };
    });
    let policies: PolicyView[] = [];
    let policyName = ev?.policy ?? '';
    if (t.contractId) {
      const c = await store.customers.getContract(t.contractId);
      if (c) {
        policies = policiesOf(c, await wordingOf(c.id));
        policyName = policies.find((p) => p.id === ev?.policy)?.name ?? policyName;
      }
    }
    return {
      ...base,
      targets: ev?.targets.map(({ trace: _trace, ...rest }) => rest) ?? base.targets,
      description: t.description,
      customerRef: t.customerRef,
      intake: t.intake,
      visit: visitOf(t.intake),
      events,
      sla: ev ? { policy: ev.policy, policyName, targets: ev.targets } : null,
      policies,
    };
  }

  async function contractView(c: Contract): Promise<ContractView> {
    const wording = await wordingOf(c.id);
    return {
      ...summaryOf(c, await customerName(c.customerId)),
      policies: policiesOf(c, wording),
      defaultPolicy: c.defaultPolicy,
      criticalPolicy: c.criticalPolicy,
      intakeFields: c.intakeFields,
      hasSupportCode: c.hasSupportCode,
      contacts: c.contacts.map(contactView),
      calendars: c.policySet.calendars,
      wording,
      version: c.version,
      policySet: c.policySet as PolicySetJson,
    };
  }

  async function customerView(cu: Customer): Promise<CustomerView> {
    const contracts = await store.customers.contractsOf(cu.id);
    return { id: cu.id, name: cu.name, orgNumber: cu.orgNumber, notes: cu.notes, contracts: contracts.map((c) => summaryOf(c, cu.name)) };
  }

  return { wordingOf, compiled, compiledOrRefuse, customerName, targetViews, evaluate, summary, summaries, detail, contractView, customerView };
}

export type TicketViews = ReturnType<typeof ticketViews>;
