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
import { op } from '../../db/client.js';
import { ApiFailure } from '../api/dispatch.js';
import type { AppContext } from '../app/context.js';
import { clockEvents } from './sla-events.js';
import { slaProblem } from './schedule.js';
import type { SlaFailure, SlaInputs, SlaOutcome } from './sla.js';
import { rowTargets } from './row-targets.js';

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
    return ctx.sla.compile(c);
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

  /** An SLA outcome as views (wording from the contract); a failure: why it cannot be computed; null: it has none. */
  function views(r: SlaOutcome, now: number): Evaluated | SlaFailure | null {
    if (!r) return null;
    if (!r.ok) return r;
    const wording = (r.contract.wording as Record<string, string> | null) ?? {};
    return { policy: r.status.policy, targets: targetViews(r.status.targets, r.sla, wording, r.status.policy, now), raw: r.status.targets };
  }

  /** The ticket's SLA now (from `events` in place of its stored ones, e.g. after an action), as views. */
  function evaluate(x: SlaInputs, opts: { events?: readonly SlaEvent[]; explain?: boolean } = {}): Evaluated | SlaFailure | null {
    const now = ctx.clock.now();
    return views(ctx.sla.evaluate(x, { ...opts, now }), now);
  }

  /**
   * A ticket's row. Its targets come from the SLA summary stored with its last change, their state at
   * `now` derived from the stored due times (row-targets.ts); `sla`: evaluated already (the ticket opened or just changed).
   */
  function summary(t: Ticket, customerName: string, contract: Contract | null, sla?: Evaluated | SlaFailure | null): TicketSummary {
    const now = ctx.clock.now();
    const p = t.priority && contract && Object.hasOwn(contract.policySet.policies, t.priority) ? (contract.policySet.policies[t.priority] as { name?: unknown }) : null;
    const row =
      sla !== undefined
        ? { targets: evaluated(sla)?.targets ?? [], slaError: sla && 'reason' in sla ? sla.reason : null, slaErrorIssues: sla && 'reason' in sla ? sla.issues : null }
        : rowTargets(t.sla, now, (contract?.wording as Record<string, string> | null) ?? {});
    return {
      id: t.id,
      caseNumber: t.caseNumber,
      customerId: t.customerId,
      customerName,
      contractId: t.contractId,
      agreementNumber: contract?.agreementNumber ?? null,
      policy: t.policy,
      status: t.status,
      // a ticket marked critical on a policy that is not (or no longer) the contract's critical one is shown by its policy
      priority: t.priority === CRITICAL_PRIORITY && t.policy ? ticketPriority(true, t.policy, contract?.criticalPolicy || null) : t.priority,
      channel: t.channel,
      assignee: t.assignee,
      title: t.title,
      reporterName: t.reporterName,
      reporterPhone: t.reporterPhone,
      priorityName: typeof p?.name === 'string' ? p.name : null,
      escalationLevel: t.escalationLevel,
      vendorRef: t.vendorRef,
      createdAt: t.createdAt,
      nextDueAt: t.nextDueAt,
      nextCallbackAt: t.nextCallbackAt,
      targets: row.targets,
      slaError: row.slaError,
      slaErrorIssues: row.slaErrorIssues,
    };
  }

  /**
   * Rows of a list: names and contracts in one call, targets from each ticket's stored SLA summary.
   * A ticket with a contract but no summary yet (stored before summaries were kept), or one computed with
   * another version of its contract (edited, pulled), is evaluated once and its summary stored, so the next list reads it.
   */
  const summaries = async (ts: Ticket[]): Promise<TicketSummary[]> => {
    const { names, contracts } = await store.customers.listContext(
      ts.map((t) => t.customerId),
      ts.flatMap((t) => (t.contractId ? [t.contractId] : [])),
    );
    const byId = new Map(contracts.map((c) => [c.id, c]));
    // no summary, or one computed with another version of the contract (edited, pulled): evaluate it now
    const missing = ts.filter((t) => t.contractId && t.sla?.contractVersion !== (byId.get(t.contractId)?.version ?? null));
    const fresh = new Map<string, Evaluated | SlaFailure | null>();
    if (missing.length) {
      const now = ctx.clock.now();
      const writes = [];
      for (const t of missing) {
        const x = await ctx.sla.load(t.id);
        if (!x) continue;
        const change = ctx.sla.change(x, x.ticket.status, { now });
        fresh.set(t.id, views(change.outcome, now));
        if (change.schedule) writes.push(op('tickets', 'setSchedule', t.id, change.schedule));
      }
      if (writes.length) await store.batch(writes);
    }
    return ts.map((t) => summary(t, names[t.customerId] ?? '?', (t.contractId && byId.get(t.contractId)) || null, fresh.get(t.id)));
  };

  /** The ticket's page: its SLA evaluated now (with the engine's trace), its log and the contract's policies. */
  async function detail(x: SlaInputs): Promise<TicketDetail> {
    const t = x.ticket;
    const e = evaluate(x, { explain: true });
    const ev = evaluated(e);
    const base = summary(t, await customerName(t.customerId), x.contract, e);
    const log = x.events;
    // Events that stop or pause a clock carry who sent them and when the server received them (docs/reports.md "Evidence").
    const clocks = new Map(clockEvents(t, log).map((c) => [c.eventId, c]));
    const events: EventView[] = log.map((e) => {
      const c = clocks.get(e.id);
      const receipt = c ? { deviceId: e.deviceId, deviceName: c.deviceName, receivedAt: c.receivedAt, lateMs: receivedLateMs(e.at, c.receivedAt) } : undefined;
      return { id: e.id, type: e.type, at: e.at, author: e.author, data: e.data, ...(receipt ? { receipt } : {}) };
    });
    let policies: PolicyView[] = [];
    let policyName = ev?.policy ?? '';
    if (x.contract) {
      policies = policiesOf(x.contract, (x.contract.wording as Record<string, string> | null) ?? {});
      policyName = policies.find((p) => p.id === ev?.policy)?.name ?? policyName;
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

  return { wordingOf, compiled, compiledOrRefuse, customerName, targetViews, views, evaluate, summary, summaries, detail, contractView, customerView };
}

export type TicketViews = ReturnType<typeof ticketViews>;
